package dev.gantry.broker;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DeliverCallback;
import dev.gantry.protocol.Json;
import dev.gantry.protocol.TaskGroupId;
import dev.gantry.protocol.api.TaskStatus;
import dev.gantry.protocol.channel.OutputChunk;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Results (and task output, typed {@code output}) between instances: a direct exchange routed by task group, and one private queue per instance,
 * bound to the groups its clients watch. Watchers on the publishing instance get results at once, without
 * the round trip through RabbitMQ; each instance ignores its own messages when they come back. Messages are
 * transient: the database holds every result, and watchers catch up from it after a loss.
 */
final class ResultFanOut {
    private static final Logger log = LoggerFactory.getLogger(ResultFanOut.class);
    private final Connection connection;
    private final String exchange;
    private final String instance = java.util.UUID.randomUUID().toString();
    private final AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
            .contentType("application/json")
            .deliveryMode(1)
            .appId(instance)
            .build();
    private static final String OUTPUT = "output";
    private final AMQP.BasicProperties outputProperties;
    private final Watchers<List<TaskStatus>> watchers = new Watchers<>();
    private final Watchers<List<OutputChunk>> output = new Watchers<>();
    private Channel publish;
    private Channel subscribe;
    private String queue;

    ResultFanOut(Connection connection, String exchange) throws IOException {
        this.connection = connection;
        this.exchange = exchange;
        this.outputProperties = properties.builder().type(OUTPUT).build();
        open();
    }

    private synchronized void open() throws IOException {
        publish = connection.createChannel();
        publish.confirmSelect();
        subscribe = connection.createChannel();
        subscribe.exchangeDeclare(exchange, "direct", false);
        queue = subscribe.queueDeclare().getQueue();
        DeliverCallback deliver = (tag, msg) -> {
            if (instance.equals(msg.getProperties().getAppId())) {
                return;
            }
            TaskGroupId group = TaskGroupId.of(msg.getEnvelope().getRoutingKey());
            if (OUTPUT.equals(msg.getProperties().getType())) {
                output.dispatch(group, Arrays.asList(Json.read(msg.getBody(), OutputChunk[].class)));
            } else {
                watchers.dispatch(group, Arrays.asList(Json.read(msg.getBody(), TaskStatus[].class)));
            }
        };
        subscribe.basicConsume(queue, true, deliver, tag -> {});
        java.util.Set<TaskGroupId> watched = new java.util.HashSet<>(watchers.groups());
        watched.addAll(output.groups());
        for (TaskGroupId g : watched) {
            subscribe.queueBind(queue, exchange, g.toString());
        }
    }

    /** After a connection recovery: a new private queue, bound again to every watched group. */
    void recover() {
        try {
            open();
        } catch (IOException | RuntimeException e) {
            log.error("cannot restore result fan-out after a RabbitMQ recovery", e);
        }
    }

    /** Publishes and waits for RabbitMQ's confirm, so that the results are out before the endpoint forgets them. */
    void publish(TaskGroupId group, List<TaskStatus> results) {
        watchers.dispatch(group, results);
        publishRemote(group, results);
    }

    private synchronized void publishRemote(TaskGroupId group, List<TaskStatus> results) {
        try {
            publish.basicPublish(exchange, group.toString(), false, properties, Json.writeBytes(results));
            if (!publish.waitForConfirms(10_000)) {
                log.warn("RabbitMQ refused results of task group {} (watchers will catch up)", group);
            }
        } catch (IOException | java.util.concurrent.TimeoutException | RuntimeException e) {
            log.warn("results of task group {} not fanned out (watchers will catch up): {}", group, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Publishes what tasks wrote without waiting for a confirm: output is live news, and the database keeps it. */
    synchronized void publishOutput(TaskGroupId group, List<OutputChunk> chunks) {
        output.dispatch(group, chunks);
        try {
            publish.basicPublish(exchange, group.toString(), false, outputProperties, Json.writeBytes(chunks));
        } catch (IOException | RuntimeException e) {
            log.debug("output of task group {} not fanned out: {}", group, e.toString());
        }
    }

    synchronized AutoCloseable subscribe(TaskGroupId group, Consumer<List<TaskStatus>> listener) {
        return subscribe(watchers, group, listener);
    }

    synchronized AutoCloseable subscribeOutput(TaskGroupId group, Consumer<List<OutputChunk>> listener) {
        return subscribe(output, group, listener);
    }

    /** The instance's queue is bound to a group while anybody here watches its results or its output. */
    private <T> AutoCloseable subscribe(Watchers<T> kind, TaskGroupId group, Consumer<T> listener) {
        boolean watched = watchers.has(group) || output.has(group);
        kind.add(group, listener);
        if (!watched) {
            bind(group, true);
        }
        return () -> unsubscribe(kind, group, listener);
    }

    private synchronized <T> void unsubscribe(Watchers<T> kind, TaskGroupId group, Consumer<T> listener) {
        if (kind.remove(group, listener) && !watchers.has(group) && !output.has(group)) {
            bind(group, false);
        }
    }

    private void bind(TaskGroupId group, boolean on) {
        try {
            if (on) {
                subscribe.queueBind(queue, exchange, group.toString());
            } else {
                subscribe.queueUnbind(queue, exchange, group.toString());
            }
        } catch (IOException | RuntimeException e) {
            log.warn("cannot {} task group {}: {}", on ? "watch" : "stop watching", group, e.toString());
        }
    }
}
