package dev.gantry.protocol.api;

import dev.gantry.protocol.EndpointId;

/**
 * Reply of endpoint registration. Instead of Globus Compute's AMQP queue details, a Gantry endpoint gets
 * the path of its channel (a WebSocket on the same port) and the heartbeat period it must keep.
 */
public record EndpointRegistered(EndpointId endpointId, String channelPath, int heartbeatPeriodMs) {}
