package dev.gantry.protocol.api;

import dev.gantry.protocol.FunctionId;

/** Reply of {@code POST /v3/functions}. */
public record FunctionRegistered(FunctionId functionUuid) {}
