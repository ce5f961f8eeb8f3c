package dev.gantry.protocol.api;

/** Body of {@code POST /v3/functions}. {@code function_code} is a packed, strategy-tagged buffer. */
public record FunctionRegistration(String functionName, String functionCode, String description, FunctionMeta meta) {
    public static final int MAX_NAME = 256;

    public FunctionRegistration {
        Check.text("function_name", functionName, MAX_NAME);
        if (functionCode == null || functionCode.isEmpty()) {
            throw Check.invalid("function_code is required");
        }
        Check.optionalText("description", description, 4096);
    }
}
