/**
 * A Gantry endpoint: its directory (Globus Compute's layout: {@code config.yaml}, {@code endpoint.json},
 * {@code daemon.pid}, {@code endpoint.log}), its configuration, and the {@link dev.gantry.endpoint.EndpointAgent}
 * that registers with the service, dials out to it over one WebSocket, runs tasks on an engine, returns
 * results (kept until the service acknowledges them) and reports its status every heartbeat period.
 */
package dev.gantry.endpoint;
