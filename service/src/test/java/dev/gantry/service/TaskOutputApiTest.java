package dev.gantry.service;

import static dev.gantry.service.TenantIsolationTest.received;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.protocol.channel.ChannelMessage;
import dev.gantry.protocol.channel.OutputChunk;
import dev.gantry.protocol.channel.TaskMessage;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v3/tasks/{id}/output}: what the endpoint the task was sent to reported it wrote, in order, for the
 * task's owner only; output another tenant's endpoint claims for the task is ignored; bad offsets are refused.
 */
class TaskOutputApiTest extends AliceAndBob {
    static String aliceEndpoint;
    static String bobEndpoint;
    static String function;

    @BeforeAll
    static void endpoints() throws Exception {
        aliceEndpoint = TenantIsolationTest.endpoint(alice, "alice-out");
        bobEndpoint = TenantIsolationTest.endpoint(bob, "bob-out");
        function = EndpointManagerApiTest.function(alice);
    }

    static JsonNode output(String token, String task, String query, int status) throws Exception {
        ApiFixture.Reply r = api.call("GET", "/v3/tasks/" + task + "/output" + query, token, null);
        assertThat(r.status()).as(r.body().toString()).isEqualTo(status);
        return r.body();
    }

    @Test
    void theOwnerReadsWhatItsTaskWroteAndNoOneElseDoesOrCanAddToIt() throws Exception {
        try (ScriptedChannel a = api.channel(aliceEndpoint, alice, 10);
                ScriptedChannel b = api.channel(bobEndpoint, bob, 10)) {
            String task = TenantIsolationTest.submit(alice, aliceEndpoint, function, 1)
                    .get(0);
            TaskMessage sent = received(a, task);
            b.send(new ChannelMessage.Output(List.of(new OutputChunk(sent.task(), 1, 0, 7, "forged\n"))));
            a.send(new ChannelMessage.Output(List.of(new OutputChunk(sent.task(), 1, 0, 6, "hello\n"))));
            a.send(new ChannelMessage.Output(List.of(new OutputChunk(sent.task(), 1, 6, 6, "world\n"))));
            JsonNode o = Awaitility.await()
                    .atMost(Duration.ofSeconds(20))
                    .until(
                            () -> output(alice, task, "", 200),
                            r -> r.get("next").asLong() == 12);
            assertThat(o.get("text").asText()).isEqualTo("hello\nworld\n");
            assertThat(o.get("offset").asLong()).isZero();
            assertThat(o.get("ended").asBoolean()).isFalse();
            assertThat(output(alice, task, "?from=6", 200).get("text").asText()).isEqualTo("world\n");
            assertThat(output(alice, task, "?from=12", 200).get("text").asText())
                    .isEmpty();

            assertThat(output(bob, task, "", 404).get("code").asText()).isEqualTo("TASK_NOT_FOUND");
            assertThat(output(alice, task, "?from=-1", 422).get("code").asText())
                    .isEqualTo("SEMANTICALLY_INVALID");
            assertThat(output(alice, task, "?from=x", 422).get("reason").asText())
                    .contains("byte offset");
        }
    }
}
