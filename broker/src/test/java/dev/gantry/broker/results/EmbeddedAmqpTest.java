package dev.gantry.broker.results;

import java.net.URI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The result queues on the embedded default's broker: Qpid Broker-J on loopback. */
class EmbeddedAmqpTest extends ResultQueuesContract {
    EmbeddedAmqp amqp;

    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path dir;

    @BeforeEach
    void start() throws Exception {
        amqp = EmbeddedAmqp.start(dir.resolve("amqp"), 0, null);
    }

    @AfterEach
    void stop() {
        amqp.close();
    }

    @Override
    ResultQueues queues() throws Exception {
        return new ResultQueues(
                connect(amqp.adminUrl()),
                amqp,
                URI.create("amqp://127.0.0.1:" + amqp.port() + "/"),
                ResultQueues.QPID_ARGUMENTS);
    }
}
