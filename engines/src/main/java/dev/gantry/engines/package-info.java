/**
 * Engines run tasks inside an endpoint: {@link dev.gantry.engines.ThreadEngine} in the endpoint's own JVM,
 * {@link dev.gantry.engines.ProcessEngine} in a pool of worker JVMs on the same host. Each reports its state
 * for the endpoint's heartbeat.
 */
package dev.gantry.engines;
