package dev.gantry.protocol.payload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.protocol.Json;
import java.util.List;

/**
 * A task's arguments: two buffers, the positional arguments and the keyword arguments (a JSON object),
 * packed as Globus Compute packs them. Positional arguments are a JSON array, or, where both ends opted in,
 * an array of Java objects in {@link Strategy#JAVA_NATIVE} ({@code javaNative} holds its base64 body, and
 * {@code args} is then empty).
 */
public record Arguments(ArrayNode args, ObjectNode kwargs, String javaNative) {

    public Arguments(ArrayNode args, ObjectNode kwargs) {
        this(args, kwargs, null);
    }

    public static Arguments of(List<?> args) {
        return new Arguments(Json.mapper().valueToTree(args), Json.mapper().createObjectNode());
    }

    public static Arguments of(List<?> args, java.util.Map<String, ?> kwargs) {
        return new Arguments(Json.mapper().valueToTree(args), Json.mapper().valueToTree(kwargs));
    }

    /** Positional arguments in Java native serialization; for functions written in Java only. */
    public static Arguments javaNative(Object[] args) {
        return new Arguments(
                Json.mapper().createArrayNode(), Json.mapper().createObjectNode(), JavaNative.encode(args));
    }

    /** For functions that take JSON only: fails if the arguments came in Java native serialization. */
    public Arguments requireJson(String kind) {
        if (javaNative != null) {
            throw new IllegalArgumentException(kind + " functions take JSON arguments, not Java native serialization");
        }
        return this;
    }

    public String pack() {
        String first = javaNative != null ? Strategy.JAVA_NATIVE.tag(javaNative) : Strategy.JSON.tag(args.toString());
        return Buffers.pack(List.of(first, Strategy.JSON.tag(kwargs.toString())));
    }

    public static Arguments unpack(String payload) {
        List<String> parts = Buffers.unpack(payload);
        if (parts.size() != 2) {
            throw Buffers.malformed("task arguments are 2 buffers (args, kwargs), got " + parts.size());
        }
        JsonNode kwargs = jsonBuffer(parts.get(1));
        if (!kwargs.isObject()) {
            throw Buffers.malformed("task keyword arguments are a JSON object");
        }
        Serialized first = Serialized.parse(parts.get(0));
        if (first.strategy() == Strategy.JAVA_NATIVE) {
            return new Arguments(Json.mapper().createArrayNode(), (ObjectNode) kwargs, first.body());
        }
        JsonNode args = jsonBuffer(parts.get(0));
        if (!args.isArray()) {
            throw Buffers.malformed("task arguments are a JSON array and a JSON object");
        }
        return new Arguments((ArrayNode) args, (ObjectNode) kwargs);
    }

    private static JsonNode jsonBuffer(String buffer) {
        Serialized s = Serialized.parse(buffer);
        if (s.strategy() != Strategy.JSON) {
            throw Buffers.malformed("task arguments must use the JSON strategy (11), got "
                    + s.strategy().id() + " (" + s.strategy() + ")");
        }
        try {
            return Json.mapper().readTree(s.body());
        } catch (Exception e) {
            throw Buffers.malformed("an argument buffer is not valid JSON");
        }
    }
}
