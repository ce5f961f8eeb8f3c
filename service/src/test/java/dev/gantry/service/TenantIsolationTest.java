package dev.gantry.service;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.FailureCode;
import dev.gantry.protocol.Json;
import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.channel.ChannelMessage;
import dev.gantry.protocol.channel.TaskMessage;
import dev.gantry.protocol.channel.TaskResult;
import java.net.URI;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * One tenant's endpoint cannot write, end, start or retry another tenant's task, and cannot stall the shared
 * machinery for others: each case is tried by bob's own endpoint against alice's task, and alice's round trip
 * is checked afterwards (both backends: the service module runs its tests on each).
 */
class TenantIsolationTest extends AliceAndBob {
    static final Duration WAIT = Duration.ofSeconds(20);
    static String aliceEndpoint;
    static String bobEndpoint;
    static String aliceFunction;
    static String bobFunction;

    @BeforeAll
    static void endpoints() throws Exception {
        aliceEndpoint = endpoint(alice, "alice-ep");
        bobEndpoint = endpoint(bob, "bob-ep");
        aliceFunction = EndpointManagerApiTest.function(alice);
        bobFunction = EndpointManagerApiTest.function(bob);
    }

    static String endpoint(String token, String name) throws Exception {
        return api.call("POST", "/v3/endpoints", token, "{\"endpoint_name\":\"" + name + "\"}")
                .body()
                .get("endpoint_id")
                .asText();
    }

    /** Submits {@code n} tasks and returns their ids, in order, and the group's id last. */
    static List<String> submit(String token, String endpoint, String function, int n) throws Exception {
        JsonNode r = api.call(
                        "POST", "/v3/endpoints/" + endpoint + "/submit", token, ServiceApiTest.submitBody(function, n))
                .body();
        List<String> out = new ArrayList<>();
        r.get("tasks").get(function).forEach(t -> out.add(t.asText()));
        out.add(r.get("task_group_id").asText());
        return out;
    }

    static TaskMessage received(ScriptedChannel ch, String task) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            for (TaskMessage t : ch.next(ChannelMessage.Tasks.class, WAIT).tasks()) {
                if (t.task().toString().equals(task)) {
                    return t;
                }
            }
        }
        throw new AssertionError("task " + task + " was not sent");
    }

    static TaskResult success(TaskMessage t, String data) {
        long now = System.currentTimeMillis();
        return new TaskResult(t.task(), t.attempt(), data, null, now, now);
    }

    static TaskResult lost(TaskId task, int attempt) {
        long now = System.currentTimeMillis();
        return new TaskResult(
                task, attempt, "lost", new TaskResult.Failure(FailureCode.WORKER_LOST, "lost", null), now, now);
    }

    /** Sends {@code result} on {@code ch} and waits for its acknowledgement: everything sent before is handled. */
    static void roundTrip(ScriptedChannel ch, TaskResult result) throws Exception {
        ch.send(new ChannelMessage.Results(List.of(result)));
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (ch.next(ChannelMessage.ResultsAck.class, WAIT).tasks().contains(result.task())) {
                return;
            }
        }
        throw new AssertionError("no acknowledgement of " + result.task());
    }

    /** The task's attempt and how many earlier attempts it has, as one number: 1 for an untouched task. */
    static long attempt(String task) {
        return api.service.database().tx(c -> {
            try (var ps = c.prepareStatement("SELECT attempt + (SELECT COUNT(*) FROM task_attempts WHERE task_id = ?)"
                    + " FROM tasks WHERE id = ?")) {
                ps.setObject(1, UUID.fromString(task));
                ps.setObject(2, UUID.fromString(task));
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    static JsonNode status(String token, String task) throws Exception {
        return api.call("GET", "/v2/tasks/" + task, token, null).body();
    }

    @Test
    void anotherTenantsEndpointCannotReportOnATaskInAnyFrameKind() throws Exception {
        try (ScriptedChannel a = api.channel(aliceEndpoint, alice, 10);
                ScriptedChannel b = api.channel(bobEndpoint, bob, 10)) {
            String task = submit(alice, aliceEndpoint, aliceFunction, 1).get(0);
            TaskMessage sent = received(a, task);
            long rejectedBefore = api.service.rejectedReports();
            TaskId id = sent.task();
            Logger channels = (Logger) LoggerFactory.getLogger("dev.gantry.service.channel.ReportFilter");
            ListAppender<ILoggingEvent> logged = new ListAppender<>();
            logged.start();
            channels.addAppender(logged);
            b.send(new ChannelMessage.Results(List.of(success(sent, "11\n\"forged\""))));
            b.send(new ChannelMessage.Results(List.of(lost(id, 1), lost(id, 1), lost(id, 1))));
            b.send(new ChannelMessage.Accepted(List.of(id), System.currentTimeMillis()));
            b.send(new ChannelMessage.WaitingForNodes(List.of(id), System.currentTimeMillis()));
            List<String> own = submit(bob, bobEndpoint, bobFunction, 1);
            roundTrip(b, success(received(b, own.get(0)), "11\n\"bob's\""));

            assertThat(api.service.rejectedReports() - rejectedBefore).isEqualTo(6);
            channels.detachAppender(logged);
            assertThat(logged.list)
                    .as("logged once, with the sender's endpoint in the logging context")
                    .filteredOn(e -> e.getFormattedMessage().contains("not dispatched to it"))
                    .singleElement()
                    .satisfies(e -> assertThat(e.getMDCPropertyMap()).containsEntry("endpoint", bobEndpoint));
            JsonNode s = status(alice, task);
            assertThat(s.get("pending").asBoolean()).isTrue();
            assertThat(s.has("result")).isFalse();
            assertThat(s.get("details").get("task_transitions").has("running")).isFalse();
            assertThat(attempt(task)).isEqualTo(1);

            roundTrip(a, success(sent, "11\n\"alice's\""));
            s = status(alice, task);
            assertThat(s.get("status").asText()).isEqualTo("success");
            assertThat(s.get("result").asText()).isEqualTo("11\n\"alice's\"");
            assertThat(status(bob, own.get(0)).get("result").asText()).isEqualTo("11\n\"bob's\"");
        }
    }

    @Test
    void aResultForATaskDispatchedElsewhereIsIgnoredEvenAfterAReconnectThatClaimsIt() throws Exception {
        try (ScriptedChannel a = api.channel(aliceEndpoint, alice, 10)) {
            String task = submit(alice, aliceEndpoint, aliceFunction, 1).get(0);
            TaskMessage sent = received(a, task);
            // bob's endpoint says hello holding alice's task: only tasks dispatched to it count as held
            try (ScriptedChannel b = api.greeted(
                    bobEndpoint,
                    bob,
                    new ChannelMessage.Hello(
                            EndpointId.of(bobEndpoint), UUID.randomUUID(), "t", List.of(sent.task()), 10, 1000, 0))) {
                List<String> own = submit(bob, bobEndpoint, bobFunction, 1);
                b.send(new ChannelMessage.Results(List.of(success(sent, "11\n\"forged\""))));
                roundTrip(b, success(received(b, own.get(0)), "11\n\"bob's\""));
            }
            assertThat(status(alice, task).get("pending").asBoolean()).isTrue();
            roundTrip(a, success(sent, "11\n\"alice's\""));
            assertThat(status(alice, task).get("result").asText()).isEqualTo("11\n\"alice's\"");
        }
    }

    @Test
    void anOutOfRangeHeartbeatPeriodIsRefusedAndLeasesStillExpire() throws Exception {
        try (ScriptedChannel raw = new ScriptedChannel(api.http, api.service.url(), bobEndpoint, bob)) {
            raw.sendRaw("{\"type\":\"hello\",\"endpoint\":\"" + bobEndpoint + "\",\"instance\":\"" + UUID.randomUUID()
                    + "\",\"version\":\"t\",\"in_flight\":[],\"credit\":10,\"heartbeat_period_ms\":2000000000,"
                    + "\"max_retries\":0}");
            assertThat(raw.closed().get(10, TimeUnit.SECONDS)).isEqualTo(1008);
        }
        // a row written before the bound (or by hand) cannot overflow the expiry query either
        api.service
                .database()
                .update(
                        "UPDATE endpoints SET heartbeat_period_ms = ?, last_heartbeat_at = ? WHERE id = ?",
                        Integer.MAX_VALUE,
                        System.currentTimeMillis(),
                        UUID.fromString(bobEndpoint));
        api.service.leases().expire(System.currentTimeMillis(), 10);
        aliceRoundTripIsQuick();
    }

    private static final int CONNECTION_RESET = -1;

    @Test
    void aStreamFrameLargerThanASubscriptionNeedsClosesTheStream() throws Exception {
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        api.stream(bob, new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onClose(WebSocket w, int code, String why) {
                        closed.complete(code);
                        return null;
                    }

                    @Override
                    public void onError(WebSocket w, Throwable error) {
                        // the service closed while the frame was still arriving: its close frame may be lost
                        // with the unread bytes (a TCP reset), so a closed connection is the other answer
                        closed.complete(CONNECTION_RESET);
                    }
                })
                .sendText("{\"type\":\"subscribe\",\"pad\":\"" + "x".repeat(200_000) + "\"}", true);
        assertThat(closed.get(10, TimeUnit.SECONDS)).isIn(1009, CONNECTION_RESET);
        aliceRoundTripIsQuick();
    }

    @Test
    void aStreamThatSubscribesThousandsOfTimesAndNeverReadsStallsNoOne() throws Exception {
        List<String> own = submit(bob, bobEndpoint, bobFunction, 200);
        String group = own.get(own.size() - 1);
        WebSocket stream = api.stream(bob, new WebSocket.Listener() {
            @Override
            public void onOpen(WebSocket w) {
                // never requests a frame: the service's frames pile up in its queue
            }
        });
        String subscribe = "{\"type\":\"subscribe\",\"task_group_id\":\"" + group + "\",\"replay\":false}";
        for (int i = 0; i < 12_000; i++) {
            stream.sendText(subscribe, true).get(10, TimeUnit.SECONDS);
        }
        try (ScriptedChannel b = api.channel(bobEndpoint, bob, 1000)) {
            String big = "11\n\"" + "x".repeat(50_000) + "\"";
            int sent = 0;
            while (sent < 200) {
                List<TaskResult> results = new ArrayList<>();
                for (TaskMessage t : b.next(ChannelMessage.Tasks.class, WAIT).tasks()) {
                    results.add(success(t, big));
                }
                b.send(new ChannelMessage.Results(results));
                sent += results.size();
            }
            aliceRoundTripIsQuick();
        } finally {
            stream.abort();
        }
    }

    @Test
    void aFailureWithAnOverlongExceptionTypeIsStoredCutAndFailsNoOneElse() throws Exception {
        try (ScriptedChannel b = api.channel(bobEndpoint, bob, 10)) {
            List<String> own = submit(bob, bobEndpoint, bobFunction, 1);
            TaskMessage t = received(b, own.get(0));
            long now = System.currentTimeMillis();
            roundTrip(
                    b,
                    new TaskResult(
                            t.task(),
                            t.attempt(),
                            "trace",
                            new TaskResult.Failure(FailureCode.REMOTE_EXECUTION_ERROR, "boom", "E".repeat(600)),
                            now,
                            now));
            JsonNode s = status(bob, own.get(0));
            assertThat(s.get("status").asText()).isEqualTo("failed");
            assertThat(s.get("exception_type").asText()).hasSize(512).endsWith("...");
        }
        aliceRoundTripIsQuick();
    }

    @Test
    void anEndpointThatStopsReadingItsChannelDelaysNoOneElse() throws Exception {
        List<String> own = submit(bob, bobEndpoint, bobFunction, 1);
        BlockingQueue<String> frames = new LinkedBlockingQueue<>();
        WebSocket[] socket = new WebSocket[1];
        WebSocket ws = api.http
                .newWebSocketBuilder()
                .header("Authorization", "Bearer " + bob)
                .buildAsync(
                        URI.create(api.service.url().replace("http://", "ws://") + "/v3/endpoints/" + bobEndpoint
                                + "/channel"),
                        new WebSocket.Listener() {
                            @Override
                            public void onOpen(WebSocket w) {
                                socket[0] = w;
                                w.request(3); // welcome, functions, tasks: then it reads nothing more
                            }

                            @Override
                            public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                                frames.add(data.toString());
                                return null;
                            }
                        })
                .get(10, TimeUnit.SECONDS);
        try {
            ws.sendText(
                            Json.write(new ChannelMessage.Hello(
                                    EndpointId.of(bobEndpoint), UUID.randomUUID(), "t", List.of(), 10, 1000, 0)),
                            true)
                    .get(10, TimeUnit.SECONDS);
            TaskMessage t = null;
            while (t == null) {
                String f = frames.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertThat(f).as("bob's endpoint gets its task").isNotNull();
                if (Json.read(f, ChannelMessage.class) instanceof ChannelMessage.Tasks tasks) {
                    t = tasks.tasks().get(0);
                }
            }
            // the same result again and again: each is acknowledged, and the acknowledgements pile up unread
            String again =
                    Json.write(new ChannelMessage.Results(List.of(success(t, "11\n\"" + "x".repeat(2_000) + "\""))));
            try {
                for (int i = 0; i < 6_000 && !ws.isOutputClosed(); i++) {
                    ws.sendText(again, true).get(10, TimeUnit.SECONDS);
                }
            } catch (java.util.concurrent.ExecutionException e) {
                // the service closed the channel of the endpoint that does not read: what it should do
            }
            aliceRoundTripIsQuick();
            assertThat(status(bob, own.get(0)).get("status").asText()).isEqualTo("success");
        } finally {
            ws.abort();
        }
    }

    /** Alice submits a task, her endpoint returns it, and she reads its result, all within two seconds. */
    private static void aliceRoundTripIsQuick() throws Exception {
        try (ScriptedChannel a = api.channel(aliceEndpoint, alice, 10)) {
            long start = System.nanoTime();
            String task = submit(alice, aliceEndpoint, aliceFunction, 1).get(0);
            roundTrip(a, success(received(a, task), "11\n\"quick\""));
            Awaitility.await()
                    .atMost(Duration.ofSeconds(2))
                    .until(() -> !status(alice, task).get("pending").asBoolean());
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        }
    }
}
