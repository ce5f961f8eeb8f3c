package dev.gantry.service;

import static dev.gantry.service.TenantIsolationTest.received;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.protocol.Json;
import dev.gantry.protocol.TaskGroupId;
import dev.gantry.protocol.channel.ChannelMessage;
import dev.gantry.protocol.channel.OutputChunk;
import dev.gantry.protocol.channel.StreamMessage;
import dev.gantry.protocol.channel.TaskMessage;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
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

    @Test
    void aSubscriberThatCameLateGetsWhatEndedTasksWroteAheadOfTheirResults() throws Exception {
        List<String> submitted = TenantIsolationTest.submit(alice, aliceEndpoint, function, 1);
        String task = submitted.get(0);
        try (ScriptedChannel a = api.channel(aliceEndpoint, alice, 10)) {
            TaskMessage sent = received(a, task);
            a.send(new ChannelMessage.Output(List.of(new OutputChunk(sent.task(), 1, 0, 15, "before you came"))));
            TenantIsolationTest.roundTrip(a, TenantIsolationTest.success(sent, "00\n1"));
        }
        BlockingQueue<String> frames = new LinkedBlockingQueue<>();
        WebSocket stream = api.stream(alice, ApiFixture.collect(frames));
        try {
            stream.sendText(Json.write(new StreamMessage.Subscribe(TaskGroupId.of(submitted.get(1)), true, true)), true)
                    .get(5, TimeUnit.SECONDS);
            JsonNode first = Json.mapper().readTree(frames.poll(10, TimeUnit.SECONDS));
            assertThat(first.get("type").asText()).isEqualTo("output");
            assertThat(first.get("output").get(0).get("text").asText()).isEqualTo("before you came");
            JsonNode second = Json.mapper().readTree(frames.poll(10, TimeUnit.SECONDS));
            assertThat(second.get("type").asText()).isEqualTo("results");
            assertThat(second.get("results").get(0).get("task_id").asText()).isEqualTo(task);

            BlockingQueue<String> plain = new LinkedBlockingQueue<>();
            WebSocket results = api.stream(alice, ApiFixture.collect(plain));
            results.sendText(
                            Json.write(new StreamMessage.Subscribe(TaskGroupId.of(submitted.get(1)), true, false)),
                            true)
                    .get(5, TimeUnit.SECONDS);
            assertThat(Json.mapper()
                            .readTree(plain.poll(10, TimeUnit.SECONDS))
                            .get("type")
                            .asText())
                    .as("without output asked for, a replay is results only")
                    .isEqualTo("results");
            results.abort();
        } finally {
            stream.abort();
        }
    }
}
