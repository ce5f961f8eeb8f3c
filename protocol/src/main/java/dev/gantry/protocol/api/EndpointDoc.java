package dev.gantry.protocol.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.gantry.protocol.EndpointId;

/** Reply of {@code GET /v2/endpoints/{id}}. */
public record EndpointDoc(
        EndpointId uuid,
        String name,
        String displayName,
        String owner,
        boolean multiUser,
        @JsonProperty("public") boolean isPublic,
        EndpointMetadata metadata) {}
