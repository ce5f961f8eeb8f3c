/**
 * The HTTP side of talking to a Gantry service, shared by the SDK and the endpoint: JSON requests with a
 * bearer token, failures as {@link dev.gantry.client.ApiException} carrying the service's stable error code,
 * and WebSocket connections with the same credentials.
 */
package dev.gantry.client;
