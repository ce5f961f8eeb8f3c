package dev.gantry.protocol.api;

import dev.gantry.protocol.EndpointId;

/** One row of {@code GET /v2/endpoints}. */
public record EndpointSummary(EndpointId uuid, String name, String displayName, String owner) {}
