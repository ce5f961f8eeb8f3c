package dev.gantry.service.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.protocol.ApiError;
import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.FailureCode;
import dev.gantry.protocol.FunctionId;
import dev.gantry.protocol.GantryException;
import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.api.EndpointRegistration;
import dev.gantry.protocol.api.FunctionRegistration;
import dev.gantry.protocol.api.SubmitResponse;
import dev.gantry.protocol.api.TaskStatus;
import dev.gantry.protocol.channel.OutputChunk;
import dev.gantry.protocol.channel.TaskMessage;
import dev.gantry.protocol.channel.TaskResult;
import dev.gantry.protocol.payload.Buffers;
import dev.gantry.protocol.payload.Strategy;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the task stores must do on every database: the life of a task from submit to its end, through
 * dispatch, lease, start, result, retry, cancel and expiry, with idempotent submits, results only from the
 * endpoint a task was dispatched to, and transitions that read in time order. One subclass per database;
 * times are the test's own numbers, not the clock's.
 */
abstract class TaskStoreContract {
    static final long T0 = 1_900_000_000_000L;
    Database db;
    TaskStore store;
    TaskSubmits submits;
    TaskCommits commits;
    TaskLeases leases;
    Identity alice;
    EndpointId endpoint;
    EndpointId other;
    FunctionId function;

    abstract Database open() throws Exception;

    abstract void drop() throws Exception;

    @BeforeEach
    void setUp() throws Exception {
        db = open();
        store = new TaskStore(db);
        submits = new TaskSubmits(db, Clock.systemUTC());
        commits = new TaskCommits(db);
        leases = new TaskLeases(db);
        IdentityStore identities = new IdentityStore(db, Clock.systemUTC());
        alice = identities.findOrCreate("alice");
        Identity bob = identities.findOrCreate("bob");
        EndpointStore endpoints = new EndpointStore(db, Clock.systemUTC());
        endpoint = endpoints.register(alice, null, new EndpointRegistration("a", null, "t", false, false, null));
        other = endpoints.register(bob, null, new EndpointRegistration("b", null, "t", false, false, null));
        endpoints.claimChannel(endpoint, java.util.UUID.randomUUID(), null, 1000, 2);
        function = new FunctionStore(db, Clock.systemUTC())
                .register(
                        alice,
                        new FunctionRegistration(
                                "f", Buffers.pack(List.of(Strategy.SHELL.tag("{\"cmd\":\"true\"}"))), null, null));
    }

    @AfterEach
    void tearDown() throws Exception {
        db.close();
        drop();
    }

    List<TaskMessage> submit(int n, String key) {
        List<NewTask> tasks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            tasks.add(new NewTask(function, "payload-" + i));
        }
        return submits.submit(
                        alice,
                        endpoint,
                        new NewBatch(null, tasks, null, null, null, false, key, key == null ? null : "h"),
                        TaskStoreContract::reply)
                .tasks();
    }

    static SubmitResponse reply(TaskSubmits.Submitted s) {
        return new SubmitResponse(
                java.util.UUID.randomUUID(),
                s.group(),
                null,
                Map.of("f", s.tasks().stream().map(TaskMessage::task).toList()));
    }

    TaskCommits.Committed lease(List<TaskMessage> tasks, long atMs) {
        return commits.commit(
                new TaskCommits.Batch(
                        List.of(), tasks, tasks.stream().map(t -> atMs).toList(), List.of(), List.of()),
                atMs);
    }

    TaskCommits.Committed report(EndpointId from, TaskResult... results) {
        return commits.commit(
                new TaskCommits.Batch(
                        List.of(results).stream()
                                .map(r -> new Report.Result(from, r))
                                .toList(),
                        List.of(),
                        List.of(),
                        List.of(),
                        List.of()),
                T0 + 50_000);
    }

    void start(EndpointId from, TaskId t, long atMs) {
        commits.commit(
                new TaskCommits.Batch(
                        List.of(), List.of(), List.of(), List.of(new Report.Started(from, t, atMs)), List.of()),
                atMs);
    }

    static TaskResult ok(TaskMessage t, String data, long startedAtMs, long completedAtMs) {
        return new TaskResult(t.task(), t.attempt(), data, null, startedAtMs, completedAtMs);
    }

    static TaskResult failed(TaskId t, int attempt, FailureCode code) {
        return new TaskResult(t, attempt, "trace", new TaskResult.Failure(code, "why", "E"), T0 + 10, T0 + 20);
    }

    TaskStatus status(TaskId t) {
        return store.status(alice, t).orElseThrow();
    }

    @Test
    void aTaskGoesFromWaitingThroughLaunchAndRunningToSuccessAndTheFirstResultWins() {
        TaskMessage t = submit(1, null).get(0);
        assertThat(status(t.task()).status()).isEqualTo("waiting-for-ep");
        assertThat(lease(List.of(t), T0 + 1_000).leased()).containsExactly(t.task());
        assertThat(status(t.task()).status()).isEqualTo("waiting-for-launch");
        assertThat(lease(List.of(t), T0 + 1_100).leased()).as("leased once").isEmpty();
        start(endpoint, t.task(), T0 + 2_000);
        assertThat(status(t.task()).status()).isEqualTo("running");
        assertThat(report(endpoint, ok(t, "first", T0 + 2_000, T0 + 3_000)).ended())
                .containsExactly(true);
        assertThat(report(endpoint, ok(t, "second", T0 + 2_000, T0 + 4_000)).ended())
                .containsExactly(false);
        TaskStatus s = status(t.task());
        assertThat(s.status()).isEqualTo("success");
        assertThat(s.result()).isEqualTo("first");
        assertThat(s.details().taskTransitions().keySet())
                .containsExactly("received", "waiting-for-launch", "running", "success");
    }

    @Test
    void transitionsReadInTimeOrderWhenTheEndpointsClockIsBehind() {
        TaskMessage t = submit(1, null).get(0);
        lease(List.of(t), System.currentTimeMillis() + 5_000);
        long behind = System.currentTimeMillis() - 60_000;
        report(endpoint, ok(t, "x", behind, behind + 10));
        List<Double> times =
                new ArrayList<>(status(t.task()).details().taskTransitions().values());
        assertThat(times).isSorted();
    }

    @Test
    void onlyTheEndpointATaskWasDispatchedToCanStartWaitRetryOrEndIt() {
        TaskMessage t = submit(1, null).get(0);
        lease(List.of(t), T0);
        start(other, t.task(), T0 + 1);
        commits.commit(
                new TaskCommits.Batch(
                        List.of(),
                        List.of(),
                        List.of(),
                        List.of(),
                        List.of(new Report.WaitingForNodes(other, t.task(), T0 + 1))),
                T0 + 1);
        assertThat(status(t.task()).status()).isEqualTo("waiting-for-launch");
        TaskCommits.Committed lost = report(other, failed(t.task(), 1, FailureCode.WORKER_LOST));
        assertThat(lost.requeued()).isEmpty();
        assertThat(lost.ended()).containsExactly(false);
        assertThat(report(other, ok(t, "forged", T0, T0)).ended()).containsExactly(false);
        assertThat(leases.release(List.of(t.task()), FailureCode.ENDPOINT_LOST, "x", T0)
                        .requeued())
                .hasSize(1);
        assertThat(leases.attempts(t.task()))
                .singleElement()
                .satisfies(a -> assertThat(a.attempt()).isEqualTo(1));
        assertThat(status(t.task()).pending()).isTrue();
    }

    @Test
    void aSystemFailureRetriesUntilTheLimitAndAnOldAttemptsFailureChangesNothing() {
        TaskMessage t = submit(1, null).get(0);
        for (int attempt = 1; attempt <= 2; attempt++) {
            TaskCommits.Committed c = report(endpoint, failed(t.task(), attempt, FailureCode.WORKER_LOST));
            assertThat(c.requeued()).as("attempt " + attempt).containsExactly(t.task());
        }
        assertThat(report(endpoint, failed(t.task(), 1, FailureCode.WORKER_LOST))
                        .ended())
                .containsExactly(false);
        TaskCommits.Committed last = report(endpoint, failed(t.task(), 3, FailureCode.WORKER_LOST));
        assertThat(last.requeued()).isEmpty();
        assertThat(last.ended()).containsExactly(true);
        assertThat(status(t.task()).status()).isEqualTo("failed");
        assertThat(leases.attempts(t.task()))
                .extracting(TaskStatus.Attempt::attempt)
                .containsExactly(1, 2);
    }

    @Test
    void aUserErrorEndsTheTaskAndASuccessOfAnEarlierAttemptStillWins() {
        TaskMessage t = submit(1, null).get(0);
        assertThat(report(endpoint, failed(t.task(), 1, FailureCode.REMOTE_EXECUTION_ERROR))
                        .requeued())
                .isEmpty();
        assertThat(status(t.task()).status()).isEqualTo("failed");

        TaskMessage u = submit(1, null).get(0);
        report(endpoint, failed(u.task(), 1, FailureCode.WORKER_LOST));
        assertThat(report(endpoint, ok(u, "late but good", T0, T0 + 1)).ended()).containsExactly(true);
        assertThat(status(u.task()).result()).isEqualTo("late but good");
    }

    @Test
    void lostLeasesRequeueUntilTheLimitThenFailWithEveryAttempt() {
        TaskMessage t = submit(1, null).get(0);
        for (int attempt = 1; attempt <= 3; attempt++) {
            lease(
                    List.of(new TaskMessage(t.task(), t.group(), attempt, t.function(), t.payload(), null)),
                    T0 + attempt);
            TaskLeases.Outcome o =
                    leases.release(List.of(t.task()), FailureCode.ENDPOINT_LOST, "gone", T0 + attempt + 1);
            assertThat(o.requeued().size() + o.failed().size()).isEqualTo(1);
        }
        TaskStatus s = status(t.task());
        assertThat(s.status()).isEqualTo("failed");
        assertThat(s.exception()).contains("attempt 3; no retries left");
        assertThat(leases.attempts(t.task()))
                .extracting(TaskStatus.Attempt::attempt)
                .containsExactly(1, 2, 3);
        assertThat(leases.release(List.of(t.task()), FailureCode.ENDPOINT_LOST, "again", T0 + 9))
                .isEqualTo(new TaskLeases.Outcome(List.of(), List.of()));
    }

    @Test
    void aCancelledTaskTakesNoResultAndACancelOfAnEndedTaskChangesNothing() {
        TaskMessage t = submit(1, null).get(0);
        lease(List.of(t), T0);
        TaskStore.Cancelled c = store.cancel(alice, t.task(), T0 + 1).orElseThrow();
        assertThat(c.changed()).isTrue();
        assertThat(c.status().status()).isEqualTo("cancelled");
        assertThat(c.status().exception()).contains("while waiting-for-launch");
        assertThat(report(endpoint, ok(t, "late", T0, T0 + 2)).ended()).containsExactly(false);
        assertThat(store.cancel(alice, t.task(), T0 + 3).orElseThrow().changed())
                .isFalse();
        assertThat(leases.cancelledUnsent(endpoint, 10)).isEmpty();
        TaskMessage u = submit(1, null).get(0);
        store.cancel(alice, u.task(), T0 + 4);
        assertThat(leases.cancelledUnsent(endpoint, 10)).containsExactly(u.task());
    }

    @Test
    void retentionExpiresEveryOldTaskAndAnExpiredTaskTakesNoResult() {
        TaskMessage t = submit(2, null).get(0);
        TaskMessage done = submit(1, null).get(0);
        report(endpoint, ok(done, "kept until expiry", T0, T0));
        assertThat(store.expire(System.currentTimeMillis() + 1_000, T0 + 5)).isEqualTo(3);
        assertThat(status(t.task()).status()).isEqualTo("expired");
        assertThat(status(t.task()).errorCode()).isEqualTo(FailureCode.TASK_EXPIRED);
        assertThat(status(done.task()).status()).isEqualTo("expired");
        assertThat(status(done.task()).result()).isNull();
        assertThat(report(endpoint, ok(t, "late", T0, T0)).ended()).containsExactly(false);
    }

    @Test
    void aRetriedSubmitWithItsKeyGetsTheSameTasksAndAnotherRequestWithItIsRefused() {
        List<TaskMessage> first = submit(3, "k1");
        List<TaskMessage> again = submits.submit(
                        alice,
                        endpoint,
                        new NewBatch(null, List.of(new NewTask(function, "p")), null, null, null, false, "k1", "h"),
                        TaskStoreContract::reply)
                .tasks();
        assertThat(first).hasSize(3);
        assertThat(again).isEmpty();
        assertThatThrownBy(() -> submits.submit(
                        alice,
                        endpoint,
                        new NewBatch(null, List.of(new NewTask(function, "p")), null, null, null, false, "k1", "other"),
                        TaskStoreContract::reply))
                .isInstanceOfSatisfying(
                        GantryException.class, e -> assertThat(e.code()).isEqualTo(ApiError.IDEMPOTENCY_KEY_REUSED));
    }

    @Test
    void leasesOfASilentEndpointExpireWhateverItsHeartbeatPeriod() {
        TaskMessage t = submit(1, null).get(0);
        lease(List.of(t), T0);
        db.update(
                "UPDATE endpoints SET heartbeat_period_ms = ?, last_heartbeat_at = ? WHERE id = ?",
                Integer.MAX_VALUE,
                T0,
                endpoint.value());
        assertThat(leases.expire(T0 + 1_000, 10).requeued()).isEmpty();
        assertThat(leases.expire(T0 + 3L * Integer.MAX_VALUE + 3_000, 10).requeued())
                .containsExactly(t.task());
    }

    @Test
    void taskOutputIsKeptToItsBoundNewestFirstAndALaterAttemptReplacesAnEarlierOne() {
        TaskOutputs outputs = new TaskOutputs(db, 10);
        TaskId task = new TaskId(UUID.randomUUID());
        outputs.append(List.of(new OutputChunk(task, 1, 0, 6, "hello\n"), new OutputChunk(task, 1, 6, 6, "world\n")));
        outputs.append(List.of(new OutputChunk(task, 1, 6, 6, "world\n")));
        TaskOutputs.Read all = outputs.read(task, 0, 1000);
        assertThat(all.text())
                .as("the newest 10 bytes, a stored chunk sent again ignored")
                .isEqualTo("llo\nworld\n");
        assertThat(all.offset()).isEqualTo(2);
        assertThat(all.next()).isEqualTo(12);
        assertThat(outputs.read(task, 8, 1000).text()).isEqualTo("rld\n");
        outputs.append(List.of(new OutputChunk(task, 1, 40, 3, "é\n")));
        TaskOutputs.Read gap = outputs.read(task, 12, 1000);
        assertThat(gap.offset()).as("dropped bytes are a gap").isEqualTo(40);
        assertThat(gap.text()).isEqualTo("é\n");
        outputs.append(List.of(new OutputChunk(task, 2, 0, 7, "again\n\n")));
        TaskOutputs.Read second = outputs.read(task, 0, 1000);
        assertThat(second.attempt()).isEqualTo(2);
        assertThat(second.text()).isEqualTo("again\n\n");
        assertThat(outputs.read(new TaskId(UUID.randomUUID()), 0, 1000).text()).isEmpty();
    }

    @Test
    void aBatchStoresOnlyTheChunksThatStayWithinTheBound() {
        TaskOutputs outputs = new TaskOutputs(db, 10);
        TaskId task = new TaskId(UUID.randomUUID());
        outputs.append(List.of(
                new OutputChunk(task, 1, 0, 6, "first\n"),
                new OutputChunk(task, 1, 6, 7, "second\n"),
                new OutputChunk(task, 1, 13, 6, "third\n")));
        assertThat(outputs.read(task, 0, 1000).text()).isEqualTo("ond\nthird\n");
        assertThat(db.update("DELETE FROM task_output WHERE task_id = ?", task.value()))
                .as("rows stored: the first chunk was out of the bound before it was written")
                .isEqualTo(2);
    }

    @Test
    void theTailsOfSeveralTasksOutputComeInOneReadNewestAttemptOnly() {
        TaskOutputs outputs = new TaskOutputs(db, 1000);
        TaskId a = new TaskId(UUID.randomUUID());
        TaskId b = new TaskId(UUID.randomUUID());
        TaskId quiet = new TaskId(UUID.randomUUID());
        outputs.append(List.of(
                new OutputChunk(a, 1, 0, 4, "one\n"),
                new OutputChunk(a, 1, 4, 4, "two\n"),
                new OutputChunk(a, 1, 8, 6, "three\n"),
                new OutputChunk(b, 1, 0, 6, "first\n"),
                new OutputChunk(b, 2, 0, 7, "second\n")));
        List<OutputChunk> tails = outputs.tails(List.of(a, b, quiet), 8);
        assertThat(tails)
                .as("whole chunks ending within the last 8 bytes, the latest attempt's")
                .containsExactlyInAnyOrder(
                        new OutputChunk(a, 1, 4, 4, "two\n"),
                        new OutputChunk(a, 1, 8, 6, "three\n"),
                        new OutputChunk(b, 2, 0, 7, "second\n"));
        assertThat(tails.stream().filter(c -> c.task().equals(a)).map(OutputChunk::offset))
                .as("each task's in order")
                .containsExactly(4L, 8L);
        assertThat(outputs.tails(List.of(), 8)).isEmpty();
    }
}
