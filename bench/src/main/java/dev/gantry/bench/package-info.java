/**
 * Benchmarks (not tests): they print figures and gate nothing. {@link dev.gantry.bench.RoundTripBench}
 * measures the no-op round trip and throughput through the executor, the service and an endpoint.
 */
package dev.gantry.bench;
