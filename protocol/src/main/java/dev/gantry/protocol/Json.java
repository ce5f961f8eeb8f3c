package dev.gantry.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;

/**
 * The one JSON codec of the wire: snake_case field names (Globus Compute's), nulls left out, unknown fields
 * ignored (peers of other versions may add some), nesting depth bounded, no number with a fraction where a whole
 * number is due, and in a REST body ({@link #readBody}) no key twice in one object (no "last one wins").
 * Decoding failures become {@link GantryException}s with {@link ApiError#INVALID_JSON} (not JSON at all) or
 * {@link ApiError#SEMANTICALLY_INVALID} (JSON of the wrong shape).
 */
public final class Json {
    public static final int MAX_NESTING_DEPTH = 64;

    private static final ObjectMapper MAPPER = create();
    private static final ObjectReader BODIES = MAPPER.reader().with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private Json() {}

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    private static ObjectMapper create() {
        JsonMapper mapper = JsonMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .serializationInclusion(JsonInclude.Include.NON_NULL)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .withCoercionConfig(
                        LogicalType.Textual,
                        c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .build();
        mapper.getFactory()
                .setStreamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING_DEPTH)
                        .maxStringLength(Integer.MAX_VALUE)
                        .build());
        return mapper;
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new GantryException(
                    ApiError.INTERNAL_ERROR, "cannot encode " + value.getClass().getSimpleName(), e);
        }
    }

    public static byte[] writeBytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new GantryException(
                    ApiError.INTERNAL_ERROR, "cannot encode " + value.getClass().getSimpleName(), e);
        }
    }

    public static <T> T read(String text, Class<T> type) {
        return map(parse(() -> MAPPER.readTree(text)), type);
    }

    public static <T> T read(byte[] bytes, Class<T> type) {
        return map(parse(() -> MAPPER.readTree(bytes)), type);
    }

    /**
     * A REST request body: as {@link #read}, and a key twice in one object is {@code INVALID_JSON}, so no rule that
     * reads one occurrence can be sidestepped by another. Frames of the channels skip that check: it costs on every
     * object, their fields are checked after decoding, and they come from authenticated peers at a high rate.
     */
    public static <T> T readBody(byte[] bytes, Class<T> type) {
        return map(parse(() -> BODIES.readTree(bytes)), type);
    }

    private interface Parse {
        JsonNode run() throws IOException;
    }

    /** Syntax first: anything that is not one well-formed JSON value is {@code INVALID_JSON}. */
    private static JsonNode parse(Parse p) {
        try {
            JsonNode tree = p.run();
            if (tree == null || tree.isMissingNode()) {
                throw new GantryException(ApiError.INVALID_JSON, "the body is empty; a JSON document is expected");
            }
            return tree;
        } catch (IOException e) {
            throw new GantryException(
                    ApiError.INVALID_JSON, "the body is not valid JSON: " + firstLine(e.getMessage()));
        }
    }

    /** Then shape: JSON that does not fit the type is {@code SEMANTICALLY_INVALID} (or the type's own code). */
    private static <T> T map(JsonNode tree, Class<T> type) {
        try {
            return require(MAPPER.treeToValue(tree, type), type);
        } catch (IOException | IllegalArgumentException e) {
            throw decodeFailure(type, e);
        }
    }

    private static <T> T require(T value, Class<T> type) {
        if (value == null) {
            throw new GantryException(
                    ApiError.SEMANTICALLY_INVALID, "expected a JSON " + describe(type) + ", got null");
        }
        return value;
    }

    private static GantryException decodeFailure(Class<?> type, Exception e) {
        if (e.getCause() instanceof GantryException g) {
            return g;
        }
        if (e instanceof JsonMappingException m) {
            String where = m.getPathReference() == null ? "" : " at " + path(m);
            return new GantryException(
                    ApiError.SEMANTICALLY_INVALID,
                    "the JSON does not fit a " + describe(type) + where + ": " + plain(m.getOriginalMessage()));
        }
        return new GantryException(ApiError.INVALID_JSON, "the body is not valid JSON: " + firstLine(e.getMessage()));
    }

    private static String path(JsonMappingException m) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : m.getPath()) {
            sb.append(r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]");
        }
        return sb.length() == 0 ? "the top level" : sb.substring(sb.charAt(0) == '.' ? 1 : 0);
    }

    /** Jackson's message without its advice on configuring Jackson. */
    private static String plain(String message) {
        int advice = message == null ? -1 : message.indexOf(" (set DeserializationConfig");
        return advice < 0 ? message : message.substring(0, advice);
    }

    private static String describe(Class<?> type) {
        return type.getSimpleName();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable input";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
