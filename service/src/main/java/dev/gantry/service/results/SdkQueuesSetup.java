package dev.gantry.service.results;

import com.rabbitmq.client.ConnectionFactory;
import dev.gantry.broker.results.EmbeddedAmqp;
import dev.gantry.broker.results.RabbitManagement;
import dev.gantry.broker.results.ResultQueues;
import dev.gantry.service.tls.TlsConnector;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Where the result queues live. With RabbitMQ, on it: its management API ({@code GANTRY_RABBITMQ_MANAGEMENT_URL},
 * by default port 15672 of the broker's host, with the broker URL's user) keeps the identities' users, and SDKs
 * connect to {@code GANTRY_AMQP_PUBLIC_URL} (by default the broker URL without its user). Embedded, on Apache
 * Qpid Broker-J inside the service, on a loopback port ({@code GANTRY_AMQP_PORT}, by default a free one).
 */
public final class SdkQueuesSetup {
    private SdkQueuesSetup() {}

    /**
     * Starts the embedded broker, its files in {@code dir}, and the queues on it (closing them stops it). With
     * {@code tls} (the service's HTTPS), SDKs connect over TLS with the same certificate ({@code amqps://}), which
     * is served anew whenever the service's is.
     */
    public static ResultQueues embedded(java.nio.file.Path dir, TlsConnector tls) throws Exception {
        String p = System.getenv("GANTRY_AMQP_PORT");
        EmbeddedAmqp amqp = EmbeddedAmqp.start(
                dir, p == null || p.isBlank() ? 0 : Integer.parseInt(p.strip()), tls == null ? null : tls.keyStore());
        try {
            if (tls != null) {
                tls.onReload(amqp::reloadTls);
            }
            return new ResultQueues(
                            connect(amqp.adminUrl()),
                            amqp,
                            URI.create((amqp.tls() ? "amqps" : "amqp") + "://127.0.0.1:" + amqp.port() + "/"),
                            ResultQueues.QPID_ARGUMENTS)
                    .closing(amqp);
        } catch (Exception | LinkageError e) {
            amqp.close();
            throw e;
        }
    }

    /** The queues on the RabbitMQ at {@code brokerUrl}. */
    public static ResultQueues rabbit(String brokerUrl) throws Exception {
        URI url = URI.create(brokerUrl);
        String[] user = (url.getRawUserInfo() == null ? "guest:guest" : url.getRawUserInfo()).split(":", 2);
        String vhost = url.getRawPath() == null || url.getRawPath().length() <= 1
                ? "/"
                : URLDecoder.decode(url.getRawPath().substring(1), StandardCharsets.UTF_8);
        String api = env("GANTRY_RABBITMQ_MANAGEMENT_URL", "http://" + url.getHost() + ":15672/api");
        String publicUrl = env(
                "GANTRY_AMQP_PUBLIC_URL",
                url.getScheme() + "://" + url.getHost() + ":" + (url.getPort() < 0 ? 5672 : url.getPort())
                        + (url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath()));
        return new ResultQueues(
                connect(brokerUrl),
                new RabbitManagement(
                        URI.create(api),
                        URLDecoder.decode(user[0], StandardCharsets.UTF_8),
                        user.length > 1 ? URLDecoder.decode(user[1], StandardCharsets.UTF_8) : "",
                        vhost),
                URI.create(publicUrl),
                ResultQueues.RABBITMQ_ARGUMENTS);
    }

    /**
     * Deletes from RabbitMQ what a deployment that goes away left there: every result queue its groups had, and
     * its identities' users (for tests and benchmarks, whose databases are dropped after them).
     */
    public static void forget(dev.gantry.service.store.Database db, String brokerUrl) throws Exception {
        dev.gantry.service.store.ResultQueueGroups groups = new dev.gantry.service.store.ResultQueueGroups(db);
        try (ResultQueues queues = rabbit(brokerUrl)) {
            for (var e : groups.newest(Integer.MAX_VALUE).entrySet()) {
                queues.delete(e.getValue(), e.getKey());
            }
            groups.identities().forEach(queues::revoke);
        }
    }

    private static com.rabbitmq.client.Connection connect(String url) throws Exception {
        ConnectionFactory f = new ConnectionFactory();
        f.setUri(url);
        f.setAutomaticRecoveryEnabled(true);
        return f.newConnection("gantry-result-queues");
    }

    private static String env(String name, String dflt) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? dflt : v.strip();
    }
}
