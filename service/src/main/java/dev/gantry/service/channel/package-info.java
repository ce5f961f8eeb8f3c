/**
 * The service's WebSocket side: endpoint channels (tasks out, acceptances and results in) and SDK result
 * streams. Each connection has one bounded sender that never makes another thread wait; tasks go out only within
 * the endpoint's credit; an endpoint may report only on the tasks its connection was given ({@code ReportFilter}).
 * Results are committed in batches by one {@link dev.gantry.service.channel.ResultWriter} before they are fanned
 * out to watchers and acknowledged to the endpoint.
 */
package dev.gantry.service.channel;
