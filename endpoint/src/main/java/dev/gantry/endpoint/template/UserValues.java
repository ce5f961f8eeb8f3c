package dev.gantry.endpoint.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.protocol.ApiError;
import dev.gantry.protocol.GantryException;
import dev.gantry.protocol.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The submitter's template values: reserved names refused, then made inert before they reach the template. */
final class UserValues {
    /** Names the template's own variables use; a user value may not take them. */
    static final Set<String> RESERVED = Set.of("parent_config", "user_runtime", "mapped_identity", "_GC");

    private static final int MAX_DEPTH = 16;

    private UserValues() {}

    /** The user's options as an object; null is no options. */
    static ObjectNode options(JsonNode options) {
        if (options == null || options.isNull()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!options.isObject()) {
            throw invalid("user_endpoint_config must be a JSON object, got "
                    + options.getNodeType().name().toLowerCase());
        }
        options.properties().forEach(p -> {
            String name = p.getKey();
            if (RESERVED.contains(name)) {
                throw invalid("user_endpoint_config may not set '" + name + "': the name is reserved for the template's"
                        + " own variables ("
                        + String.join(", ", RESERVED.stream().sorted().toList()) + ")");
            }
        });
        return (ObjectNode) options;
    }

    /**
     * The value as the template sees it: every string replaced by its JSON encoding (so it renders as one
     * double-quoted YAML scalar, whatever quotes, newlines or template syntax it holds), null as {@code "null"},
     * numbers and booleans as they are, objects and arrays with their members treated the same way.
     */
    static Object inert(JsonNode v) {
        return inert(v, 0);
    }

    private static Object inert(JsonNode v, int depth) {
        if (depth > MAX_DEPTH) {
            throw invalid("user_endpoint_config is nested more than " + MAX_DEPTH + " levels deep");
        }
        if (v == null || v.isNull()) {
            return "null";
        }
        if (v.isTextual()) {
            return Json.write(v.textValue());
        }
        if (v.isIntegralNumber()) {
            return v.canConvertToLong() ? (Object) v.longValue() : v.bigIntegerValue();
        }
        if (v.isNumber()) {
            return v.doubleValue();
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isArray()) {
            List<Object> out = new ArrayList<>(v.size());
            v.forEach(e -> out.add(inert(e, depth + 1)));
            return out;
        }
        if (v.isObject()) {
            Map<String, Object> out = new LinkedHashMap<>();
            v.properties().forEach(e -> out.put(e.getKey(), inert(e.getValue(), depth + 1)));
            return out;
        }
        throw invalid("user_endpoint_config holds a value of an unsupported kind: " + v.getNodeType());
    }

    static GantryException invalid(String message) {
        return new GantryException(ApiError.SEMANTICALLY_INVALID, message);
    }
}
