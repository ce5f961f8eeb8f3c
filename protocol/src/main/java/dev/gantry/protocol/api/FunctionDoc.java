package dev.gantry.protocol.api;

import dev.gantry.protocol.FunctionId;

/** Reply of {@code GET /v2/functions/{id}}; also what the service sends an endpoint before a function's tasks. */
public record FunctionDoc(
        FunctionId functionUuid, String functionName, String functionCode, String description, FunctionMeta metadata) {}
