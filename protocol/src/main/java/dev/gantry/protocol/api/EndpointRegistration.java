package dev.gantry.protocol.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Body of {@code POST /v3/endpoints} and {@code PUT /v3/endpoints/{id}}. */
public record EndpointRegistration(String endpointName, String displayName, String version, boolean multiUser,
        @JsonProperty("public") boolean isPublic, EndpointMetadata metadata) {
    public static final int MAX_NAME = 128;

    public EndpointRegistration {
        Check.text("endpoint_name", endpointName, MAX_NAME);
        Check.optionalText("display_name", displayName, 256);
    }
}
