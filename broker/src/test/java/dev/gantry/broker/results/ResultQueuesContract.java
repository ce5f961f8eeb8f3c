package dev.gantry.broker.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import dev.gantry.protocol.TaskGroupId;
import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.api.TaskStatus;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Result queues on a real broker: declared and published by the service, read with an identity's credentials
 * (fresh ones each time), and closed to every other identity.
 */
abstract class ResultQueuesContract {
    static Connection connect(String url) throws Exception {
        ConnectionFactory f = new ConnectionFactory();
        f.setUri(url);
        return f.newConnection();
    }

    final UUID alice = UUID.randomUUID();
    final UUID bob = UUID.randomUUID();

    /** The queues under test, on their broker. */
    abstract ResultQueues queues() throws Exception;

    @Test
    void anIdentityReadsItsOwnResultQueueAndNoOneElses() throws Exception {
        try (ResultQueues queues = queues()) {
            TaskGroupId group = TaskGroupId.random();
            queues.declare(alice, group);
            try {
                TaskStatus done = new TaskStatus(
                        TaskId.random(), "success", false, "00\ngARLBS4=\n", null, "1.5", null, null, group, null);
                assertThat(queues.publish(alice, group, List.of(done, done.notice())))
                        .isTrue();

                ResultQueues.Endpoint a = queues.connectionFor(alice);
                assertThat(a.queuePrefix()).isEqualTo("gantry.results." + alice + ".");
                try (Connection c = connect(a.connectionUrl())) {
                    Channel ch = c.createChannel();
                    GetResponse r = ch.basicGet(a.queuePrefix() + group, true);
                    assertThat(r).isNotNull();
                    assertThat(r.getBody()[0]).isEqualTo((byte) 1);
                    assertThat(new String(r.getBody(), 1, r.getBody().length - 1, StandardCharsets.UTF_8))
                            .contains("\"message_type\":\"result\"")
                            .contains("\"data\":\"00\\ngARLBS4=\\n\"");
                    assertThat(r.getProps().getHeaders()).isNull();
                    GetResponse notice = ch.basicGet(a.queuePrefix() + group, true);
                    assertThat(notice.getProps().getHeaders())
                            .as("a high-assurance task's notice: Globus Compute's SDK fetches the result")
                            .containsEntry("high_assurance", true);
                    assertThat(new String(notice.getBody(), StandardCharsets.UTF_8))
                            .contains("\"data\":\"\"")
                            .doesNotContain("gARLBS4");
                }
                ResultQueues.Endpoint b = queues.connectionFor(bob);
                Connection c = connect(b.connectionUrl());
                try {
                    Channel ch = c.createChannel();
                    assertThatThrownBy(() -> ch.basicConsume(a.queuePrefix() + group, (t, m) -> {}, t -> {}))
                            .as("bob may not read alice's queue")
                            .hasStackTraceContaining("reply-code=403");
                } finally {
                    c.abort();
                }
                String url = queues.connectionFor(alice).connectionUrl();
                assertThatThrownBy(() -> connect(a.connectionUrl()))
                        .as("each call gives a fresh password; the older one stops working")
                        .isInstanceOf(com.rabbitmq.client.PossibleAuthenticationFailureException.class);
                connect(url).abort();
            } finally {
                queues.delete(alice, group);
            }
        }
    }
}
