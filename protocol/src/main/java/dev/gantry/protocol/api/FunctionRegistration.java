package dev.gantry.protocol.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Body of {@code POST /v3/functions}. {@code function_code} is a packed, strategy-tagged buffer. A {@code public}
 * function may be run by every identity of the service (as Globus Compute's); only its owner may delete it.
 */
public record FunctionRegistration(
        String functionName,
        String functionCode,
        String description,
        FunctionMeta meta,
        @JsonProperty("public") boolean isPublic) {
    public static final int MAX_NAME = 256;

    public FunctionRegistration(String functionName, String functionCode, String description, FunctionMeta meta) {
        this(functionName, functionCode, description, meta, false);
    }

    /** The same function, to be run by every identity of the service. */
    public FunctionRegistration publicToAll() {
        return new FunctionRegistration(functionName, functionCode, description, meta, true);
    }

    public FunctionRegistration {
        Check.text("function_name", functionName, MAX_NAME);
        if (functionCode == null || functionCode.isEmpty()) {
            throw Check.invalid("function_code is required");
        }
        Check.optionalText("description", description, 4096);
    }
}
