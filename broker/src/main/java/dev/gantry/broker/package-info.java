/**
 * The broker port between service instances: per-endpoint task queues with exactly one consumer and manual
 * acknowledgement (a task is acknowledged when its result is committed, and redelivered if its consumer goes
 * away first), and per-task-group fan-out of committed results to whichever instance holds the SDK's
 * stream. {@link dev.gantry.broker.InProcessBroker} is the embedded default's adapter.
 */
package dev.gantry.broker;
