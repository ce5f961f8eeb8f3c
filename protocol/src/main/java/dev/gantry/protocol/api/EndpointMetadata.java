package dev.gantry.protocol.api;

/** What an endpoint says of its host at registration. */
public record EndpointMetadata(
        String hostname, String localUser, String endpointVersion, String engineType, String endpointConfig) {}
