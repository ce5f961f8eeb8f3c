package dev.gantry.protocol.payload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.protocol.Json;
import java.util.List;

/**
 * A task's arguments: two JSON buffers, the positional arguments (an array) and the keyword arguments (an
 * object), packed as Globus Compute packs them.
 */
public record Arguments(ArrayNode args, ObjectNode kwargs) {

    public static Arguments of(List<?> args) {
        return new Arguments(Json.mapper().valueToTree(args), Json.mapper().createObjectNode());
    }

    public static Arguments of(List<?> args, java.util.Map<String, ?> kwargs) {
        return new Arguments(Json.mapper().valueToTree(args), Json.mapper().valueToTree(kwargs));
    }

    public String pack() {
        return Buffers.pack(List.of(Strategy.JSON.tag(args.toString()), Strategy.JSON.tag(kwargs.toString())));
    }

    public static Arguments unpack(String payload) {
        List<String> parts = Buffers.unpack(payload);
        if (parts.size() != 2) {
            throw Buffers.malformed("task arguments are 2 buffers (args, kwargs), got " + parts.size());
        }
        JsonNode args = jsonBuffer(parts.get(0));
        JsonNode kwargs = jsonBuffer(parts.get(1));
        if (!args.isArray() || !kwargs.isObject()) {
            throw Buffers.malformed("task arguments are a JSON array and a JSON object");
        }
        return new Arguments((ArrayNode) args, (ObjectNode) kwargs);
    }

    private static JsonNode jsonBuffer(String buffer) {
        Serialized s = Serialized.parse(buffer);
        if (s.strategy() != Strategy.JSON) {
            throw Buffers.malformed("task arguments must use the JSON strategy (11), got " + s.strategy().id()
                    + " (" + s.strategy() + ")");
        }
        try {
            return Json.mapper().readTree(s.body());
        } catch (Exception e) {
            throw Buffers.malformed("an argument buffer is not valid JSON");
        }
    }
}
