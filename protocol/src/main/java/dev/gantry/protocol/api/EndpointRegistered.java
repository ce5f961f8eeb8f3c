package dev.gantry.protocol.api;

import dev.gantry.protocol.EndpointId;

/**
 * Reply of endpoint registration. Instead of Globus Compute's AMQP queue details, a Gantry endpoint gets
 * the path of its channel (a WebSocket on the same port), the heartbeat period it must keep, and the identity
 * id of its owner (a personal endpoint manager serves that identity only).
 */
public record EndpointRegistered(EndpointId endpointId, String channelPath, int heartbeatPeriodMs, String ownerId) {
    public EndpointRegistered(EndpointId endpointId, String channelPath, int heartbeatPeriodMs) {
        this(endpointId, channelPath, heartbeatPeriodMs, null);
    }
}
