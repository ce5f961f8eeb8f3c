/**
 * Globus Compute's result queues on the service's side: where they live (the embedded Qpid broker or
 * RabbitMQ, {@link SdkQueuesSetup}), which groups have one, and the handoff that publishes every ended task of
 * such a group there without slowing the commit that ended it ({@link SdkQueues}).
 */
package dev.gantry.service.results;
