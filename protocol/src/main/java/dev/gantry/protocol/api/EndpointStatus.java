package dev.gantry.protocol.api;

/** Reply of {@code GET /v2/endpoints/{id}/status}: {@code online} or {@code offline}, with the last report. */
public record EndpointStatus(String status, StatusReport details, Double lastHeartbeat) {
    public static final String ONLINE = "online";
    public static final String OFFLINE = "offline";
}
