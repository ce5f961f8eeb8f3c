/**
 * The service's WebSocket side: endpoint channels (tasks out, acceptances and results in) and SDK result
 * streams. Each connection has one bounded sender; tasks go out only within the endpoint's credit; results
 * are committed in batches by one {@link dev.gantry.service.channel.ResultWriter} before they are
 * acknowledged to the endpoint and fanned out to watchers.
 */
package dev.gantry.service.channel;
