package dev.gantry.protocol.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Body of {@code POST /v3/endpoints} and {@code PUT /v3/endpoints/{id}}. Gantry adds {@code manager}: the
 * endpoint is an endpoint manager, which runs no tasks itself but starts a user endpoint per submitter (for
 * anyone its identity mapping accepts if {@code multi_user}, else for its owner only).
 */
public record EndpointRegistration(String endpointName, String displayName, String version, boolean multiUser,
        @JsonProperty("public") boolean isPublic, EndpointMetadata metadata, boolean manager) {
    public EndpointRegistration(String endpointName, String displayName, String version, boolean multiUser,
            boolean isPublic, EndpointMetadata metadata) {
        this(endpointName, displayName, version, multiUser, isPublic, metadata, false);
    }

    public static final int MAX_NAME = 128;

    public EndpointRegistration {
        Check.text("endpoint_name", endpointName, MAX_NAME);
        Check.optionalText("display_name", displayName, 256);
    }
}
