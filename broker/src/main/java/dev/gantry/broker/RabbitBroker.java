package dev.gantry.broker;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import dev.gantry.protocol.ApiError;
import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.Json;
import dev.gantry.protocol.TaskGroupId;
import dev.gantry.protocol.api.TaskStatus;
import dev.gantry.protocol.channel.OutputChunk;
import dev.gantry.protocol.channel.TaskMessage;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker on RabbitMQ. Each endpoint has a durable queue {@code <prefix>.tasks.<endpoint>} bounded with
 * {@code x-max-length} and {@code reject-publish}; tasks travel as persistent messages of up to {@link #CHUNK}
 * tasks, published with pipelined publisher confirms, consumed with manual acknowledgement; the bound and
 * {@link #depth} count messages. Results fan out
 * through the direct exchange {@code <prefix>.results}, routed by task group, to a private queue per
 * instance. The connection recovers by itself; consumers do not (the endpoint reconnects instead).
 */
public final class RabbitBroker implements Broker {
    private static final Logger log = LoggerFactory.getLogger(RabbitBroker.class);
    static final int CHUNK = 100;
    private static final int PUBLISH_CHANNELS = 4;
    private static final AMQP.BasicProperties PERSISTENT = new AMQP.BasicProperties.Builder()
            .contentType("application/json")
            .deliveryMode(2)
            .build();
    /** A header on tasks published again ({@link #publishAgain}): consumers treat them as redelivered. */
    static final String AGAIN = "gantry-again";

    private static final AMQP.BasicProperties PERSISTENT_AGAIN =
            PERSISTENT.builder().headers(Map.of(AGAIN, true)).build();

    private final String prefix;
    private final int capacity;
    private final Connection connection;
    private final BlockingQueue<Channel> publishers = new ArrayBlockingQueue<>(PUBLISH_CHANNELS);
    private final Set<String> declared = ConcurrentHashMap.newKeySet();
    private final Map<EndpointId, TaskConsumer> consumers = new ConcurrentHashMap<>();
    private final ResultFanOut fanOut;
    private final List<Runnable> reconnectActions = new CopyOnWriteArrayList<>();

    public RabbitBroker(String url, String prefix, int capacityPerEndpoint) {
        this.prefix = prefix;
        this.capacity = capacityPerEndpoint;
        try {
            ConnectionFactory f = new ConnectionFactory();
            f.setUri(url);
            f.setAutomaticRecoveryEnabled(true);
            f.setTopologyRecoveryEnabled(false);
            f.setNetworkRecoveryInterval(1000);
            f.setRequestedHeartbeat(10);
            connection = f.newConnection("gantry-service");
            for (int i = 0; i < PUBLISH_CHANNELS; i++) {
                Channel c = connection.createChannel();
                c.confirmSelect();
                publishers.add(c);
            }
            fanOut = new ResultFanOut(connection, prefix + ".results");
        } catch (Exception e) {
            throw new BrokerException(
                    ApiError.SERVICE_UNAVAILABLE,
                    "cannot connect to RabbitMQ at " + redact(url) + ": " + e.getMessage());
        }
        ((Recoverable) connection).addRecoveryListener(new RecoveryListener() {
            @Override
            public void handleRecovery(Recoverable r) {
                log.info("RabbitMQ connection recovered");
                declared.clear();
                fanOut.recover();
                reconnectActions.forEach(Runnable::run);
            }

            @Override
            public void handleRecoveryStarted(Recoverable r) {
                log.warn("RabbitMQ connection lost; recovering");
            }
        });
    }

    String queueName(EndpointId endpoint) {
        return prefix + ".tasks." + endpoint;
    }

    private String declare(Channel c, EndpointId endpoint) throws IOException {
        String q = queueName(endpoint);
        if (declared.add(q)) {
            c.queueDeclare(q, true, false, false, Map.of("x-max-length", capacity, "x-overflow", "reject-publish"));
        }
        return q;
    }

    @Override
    public void publishTasks(EndpointId endpoint, List<TaskMessage> tasks) {
        publish(endpoint, tasks, PERSISTENT);
    }

    @Override
    public void publishAgain(EndpointId endpoint, List<TaskMessage> tasks) {
        publish(endpoint, tasks, PERSISTENT_AGAIN);
    }

    private void publish(EndpointId endpoint, List<TaskMessage> tasks, AMQP.BasicProperties props) {
        Channel c = borrow();
        try {
            String q = declare(c, endpoint);
            for (int i = 0; i < tasks.size(); i += CHUNK) {
                byte[] body = Json.writeBytes(new TaskChunk(tasks.subList(i, Math.min(tasks.size(), i + CHUNK))));
                c.basicPublish("", q, false, props, body);
            }
            if (!c.waitForConfirms(30_000)) {
                throw new BrokerException(
                        ApiError.ENDPOINT_QUEUE_FULL,
                        "RabbitMQ refused tasks for endpoint " + endpoint + ": its queue is full");
            }
        } catch (IOException | java.util.concurrent.TimeoutException | com.rabbitmq.client.ShutdownSignalException e) {
            declared.remove(queueName(endpoint));
            throw new BrokerException(ApiError.SERVICE_UNAVAILABLE, "RabbitMQ did not confirm the tasks: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerException(ApiError.SERVICE_UNAVAILABLE, "interrupted while publishing");
        } finally {
            giveBack(c);
        }
    }

    private Channel borrow() {
        try {
            Channel c = publishers.poll(30, TimeUnit.SECONDS);
            if (c == null) {
                throw new BrokerException(ApiError.SERVICE_UNAVAILABLE, "no RabbitMQ channel free for 30 s");
            }
            return c;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerException(ApiError.SERVICE_UNAVAILABLE, "interrupted while publishing");
        }
    }

    /** Returns a channel to the pool, or a new one in its place if it was closed by an error. */
    private void giveBack(Channel c) {
        if (c.isOpen()) {
            publishers.add(c);
            return;
        }
        try {
            Channel fresh = connection.createChannel();
            fresh.confirmSelect();
            publishers.add(fresh);
        } catch (IOException | RuntimeException e) {
            publishers.add(c);
            log.warn("cannot replace a RabbitMQ channel yet: {}", e.toString());
        }
    }

    @Override
    public long depth(EndpointId endpoint) {
        Channel c = borrow();
        try {
            declare(c, endpoint);
            return c.queueDeclarePassive(queueName(endpoint)).getMessageCount();
        } catch (IOException | RuntimeException e) {
            declared.remove(queueName(endpoint));
            return 0;
        } finally {
            giveBack(c);
        }
    }

    @Override
    public TaskConsumer consume(EndpointId endpoint) {
        try {
            TaskConsumer old = consumers.remove(endpoint);
            if (old != null) {
                old.close();
            }
            Channel c = connection.createChannel();
            String q = queueName(endpoint);
            c.queueDeclare(q, true, false, false, Map.of("x-max-length", capacity, "x-overflow", "reject-publish"));
            RabbitTaskConsumer consumer = new RabbitTaskConsumer(c, q);
            consumers.put(endpoint, consumer);
            return consumer;
        } catch (IOException | RuntimeException e) {
            throw new BrokerException(ApiError.SERVICE_UNAVAILABLE, "cannot consume tasks from RabbitMQ: " + e);
        }
    }

    @Override
    public void publishResults(TaskGroupId group, List<TaskStatus> results) {
        fanOut.publish(group, results);
    }

    @Override
    public AutoCloseable subscribeResults(TaskGroupId group, Consumer<List<TaskStatus>> listener) {
        return fanOut.subscribe(group, listener);
    }

    @Override
    public void publishOutput(TaskGroupId group, List<OutputChunk> output) {
        fanOut.publishOutput(group, output);
    }

    @Override
    public AutoCloseable subscribeOutput(TaskGroupId group, Consumer<List<OutputChunk>> listener) {
        return fanOut.subscribeOutput(group, listener);
    }

    @Override
    public boolean durable() {
        return true;
    }

    @Override
    public void onReconnect(Runnable action) {
        reconnectActions.add(action);
    }

    /** Deletes every queue and exchange this instance declared (for tests that must leave nothing behind). */
    public void deleteDeclared(List<EndpointId> endpoints) {
        try (Channel c = connection.createChannel()) {
            for (EndpointId e : endpoints) {
                c.queueDelete(queueName(e));
            }
            c.exchangeDelete(prefix + ".results");
        } catch (Exception e) {
            log.warn("cleaning up RabbitMQ: {}", e.toString());
        }
    }

    @Override
    public void close() {
        try {
            connection.close(5000);
        } catch (Exception e) {
            log.debug("closing RabbitMQ: {}", e.toString());
        }
    }

    public static String redact(String url) {
        return url.replaceAll("//[^@/]*@", "//***@");
    }
}
