/**
 * Globus Compute's per-task-group result queues, which its SDK's Executor consumes: {@link ResultQueues}
 * declares them, publishes each result as a messagepack v1 {@code Result} ({@link GcResult}) and hands each
 * identity credentials that read only its own queues ({@link Credentials}). On RabbitMQ the management API
 * keeps those users ({@link RabbitManagement}); the embedded default runs Apache Qpid Broker-J in the
 * service, on loopback ({@link EmbeddedAmqp}).
 */
package dev.gantry.broker.results;
