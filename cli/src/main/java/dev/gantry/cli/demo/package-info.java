/**
 * {@code gantry demo}: the embedded service and a local endpoint in one process, the hello example and a
 * Monte Carlo sweep through the executor. The functions live in {@link dev.gantry.cli.demo.DemoWorkload}, a
 * class that references nothing but the SDK, so what is shipped to the worker stays small.
 */
package dev.gantry.cli.demo;
