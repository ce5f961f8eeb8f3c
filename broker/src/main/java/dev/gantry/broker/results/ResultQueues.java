package dev.gantry.broker.results;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import dev.gantry.protocol.TaskGroupId;
import dev.gantry.protocol.api.TaskStatus;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The result queues of Globus Compute's Executor, on an AMQP 0-9-1 broker: {@code <prefix><task group id>},
 * the prefix naming the identity ({@value #PREFIX}{@code <identity id>.}), declared when a submit asks for one,
 * bounded and left to expire by the broker's own arguments; each ended task published there as a
 * {@link GcResult}, persistent, with publisher confirms. The SDK learns the prefix and a connection URL with a
 * fresh password from {@link #connectionFor}.
 */
public final class ResultQueues implements AutoCloseable {
    public static final String PREFIX = "gantry.results.";
    /** Results a queue holds at most; publishing more is refused (they stay readable over REST). */
    public static final int MAX_MESSAGES = 100_000;

    /** How long a queue nobody consumes or declares lives on RabbitMQ: a day. */
    public static final int UNUSED_EXPIRY_MS = 86_400_000;

    /** RabbitMQ's arguments for a bounded queue that expires when unused. */
    public static final Map<String, Object> RABBITMQ_ARGUMENTS =
            Map.of("x-max-length", MAX_MESSAGES, "x-overflow", "reject-publish", "x-expires", UNUSED_EXPIRY_MS);

    /** Qpid's arguments for a bounded queue (the embedded broker keeps queues in memory, until the service stops). */
    public static final Map<String, Object> QPID_ARGUMENTS =
            Map.of("x-qpid-maximum-message-count", MAX_MESSAGES, "qpid.policy_type", "reject");

    private static final Logger log = LoggerFactory.getLogger(ResultQueues.class);
    private final Connection connection;
    private final Credentials credentials;
    private final URI publicUrl;
    private final Map<String, Object> queueArguments;
    private final ReentrantLock lock = new ReentrantLock();
    private Channel channel;
    private AutoCloseable alsoClose = () -> {};

    /**
     * @param connection a connection with the right to declare, publish to and delete these queues
     * @param publicUrl where SDKs connect: scheme, host, port and virtual host, without a user
     * @param queueArguments the broker's arguments that bound a queue and expire it when unused
     */
    public ResultQueues(
            Connection connection, Credentials credentials, URI publicUrl, Map<String, Object> queueArguments) {
        this.connection = connection;
        this.credentials = credentials;
        this.publicUrl = publicUrl;
        this.queueArguments = Map.copyOf(queueArguments);
    }

    /** What {@code GET /v2/get_amqp_result_connection_url} answers. */
    public record Endpoint(String queuePrefix, String connectionUrl) {}

    public static String prefix(UUID identity) {
        return PREFIX + identity + ".";
    }

    /** Deletes the identity's broker user: its credentials stop working. */
    public void revoke(UUID identity) {
        credentials.revoke(user(identity));
    }

    private static String user(UUID identity) {
        return "gantry-sdk-" + identity;
    }

    /** The identity's queue prefix and a URL whose credentials (a new password each time) read only its queues. */
    public Endpoint connectionFor(UUID identity) {
        String user = user(identity);
        String password = credentials.issue(user, prefix(identity));
        String userInfo = URLEncoder.encode(user, StandardCharsets.UTF_8) + ":"
                + URLEncoder.encode(password, StandardCharsets.UTF_8);
        String url = publicUrl.getScheme() + "://" + userInfo + "@" + publicUrl.getHost() + ":" + publicUrl.getPort()
                + (publicUrl.getRawPath() == null || publicUrl.getRawPath().isEmpty() ? "/" : publicUrl.getRawPath());
        return new Endpoint(prefix(identity), url);
    }

    /** Declares the group's queue (again, harmlessly, if it is there). */
    public void declare(UUID identity, TaskGroupId group) throws IOException {
        withChannel(ch -> ch.queueDeclare(prefix(identity) + group, true, false, false, queueArguments));
    }

    /** Publishes ended tasks to their group's queue; false if the broker did not take them all. */
    public boolean publish(UUID identity, TaskGroupId group, List<TaskStatus> ended) {
        String queue = prefix(identity) + group;
        try {
            withChannel(ch -> {
                for (TaskStatus s : ended) {
                    AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
                            .deliveryMode(2)
                            .timestamp(completion(s))
                            // a high-assurance task's notice: its SDK fetches the result over REST
                            .headers(s.withheld() ? Map.of("high_assurance", true) : null)
                            .build();
                    ch.basicPublish("", queue, false, props, GcResult.pack(s));
                }
                ch.waitForConfirmsOrDie(10_000);
                return null;
            });
            return true;
        } catch (IOException | RuntimeException e) {
            log.warn(
                    "results of task group {} not published to its queue ({}); they stay readable over REST",
                    group,
                    e.toString());
            return false;
        }
    }

    /** Deletes the group's queue, if it is there. */
    public void delete(UUID identity, TaskGroupId group) throws IOException {
        withChannel(ch -> ch.queueDelete(prefix(identity) + group));
    }

    private static java.util.Date completion(TaskStatus s) {
        try {
            return new java.util.Date((long) (Double.parseDouble(s.completionT()) * 1000));
        } catch (RuntimeException e) {
            return new java.util.Date();
        }
    }

    private interface Work<T> {
        T on(Channel ch) throws IOException, InterruptedException, TimeoutException;
    }

    /** Runs {@code work} on the one channel, opened again after a failure (a refused declare closes it). */
    private <T> T withChannel(Work<T> work) throws IOException {
        lock.lock();
        try {
            if (channel == null || !channel.isOpen()) {
                channel = connection.createChannel();
                channel.confirmSelect();
            }
            return work.on(channel);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (TimeoutException e) {
            throw new IOException("the broker did not confirm in 10 s", e);
        } finally {
            lock.unlock();
        }
    }

    /** These queues, closing {@code broker} (one they run inside) after their connection. */
    public ResultQueues closing(AutoCloseable broker) {
        this.alsoClose = broker;
        return this;
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (IOException | RuntimeException e) {
            log.debug("result queues' connection: {}", e.toString());
        }
        try {
            alsoClose.close();
        } catch (Exception e) {
            log.debug("result queues' broker: {}", e.toString());
        }
    }
}
