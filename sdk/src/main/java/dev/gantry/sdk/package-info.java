/**
 * Gantry's Java SDK. {@link dev.gantry.sdk.Client} calls the REST API; {@link dev.gantry.sdk.ComputeExecutor}
 * submits functions to an endpoint in background batches and returns {@link dev.gantry.sdk.ComputeFuture}s
 * completed from the service's result stream. A function is a lambda, method reference or object of a
 * {@link dev.gantry.sdk.RemoteFunction} interface, or a {@link dev.gantry.sdk.ShellFunction}. Everything in
 * {@code dev.gantry.sdk.internal} may change without notice.
 */
package dev.gantry.sdk;
