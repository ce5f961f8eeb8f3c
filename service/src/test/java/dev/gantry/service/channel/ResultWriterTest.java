package dev.gantry.service.channel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.protocol.FailureCode;
import dev.gantry.protocol.ManualClock;
import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.channel.TaskResult;
import dev.gantry.service.store.TaskCommits;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The commit loop, one turn at a time, with a store that records its batches and a clock the test moves:
 * batching, one bad item failing only its sender, delayed writes coming due, requeued tasks handed on.
 */
class ResultWriterTest {
    final List<TaskCommits.Batch> commits = new CopyOnWriteArrayList<>();
    final List<Set<TaskId>> requeued = new CopyOnWriteArrayList<>();
    final List<List<WorkItem.Results>> after = new CopyOnWriteArrayList<>();
    final AtomicReference<TaskId> poison = new AtomicReference<>();
    final ManualClock clock = new ManualClock();
    final List<String> events = new CopyOnWriteArrayList<>();
    final ResultWriter writer = new ResultWriter(
            this::commit,
            (items, done) -> {
                after.add(items);
                items.forEach(it -> it.from().acknowledged(it.results()));
                events.add("acknowledged");
            },
            ids -> {
                requeued.add(ids);
                events.add("requeued");
            },
            clock);

    private TaskCommits.Committed commit(TaskCommits.Batch b, long nowMs) {
        if (b.results().stream().anyMatch(r -> r.task().equals(poison.get()))) {
            throw new IllegalStateException("value too long for type character varying(512)");
        }
        commits.add(b);
        boolean[] ended = new boolean[b.results().size()];
        java.util.Arrays.fill(ended, true);
        Set<TaskId> again = new java.util.HashSet<>();
        b.results().stream().filter(r -> r.result().failed()).forEach(r -> again.add(r.task()));
        return new TaskCommits.Committed(ended, again, Set.of());
    }

    static TaskResult ok(TaskId t) {
        return new TaskResult(t, 1, "11\n1", null, 1, 2);
    }

    @Test
    void framesQueuedMeanwhileGoIntoOneCommitAndAreAcknowledgedAfterIt() throws Exception {
        FakePeer a = new FakePeer();
        FakePeer b = new FakePeer();
        TaskId t1 = TaskId.random();
        TaskId t2 = TaskId.random();
        writer.submit(a, List.of(ok(t1)));
        writer.submit(b, List.of(ok(t2)));
        writer.step(0);
        assertThat(commits)
                .singleElement()
                .satisfies(c -> assertThat(c.results()).hasSize(2));
        assertThat(a.acknowledged).containsExactly(t1);
        assertThat(b.acknowledged).containsExactly(t2);
    }

    @Test
    void aBadItemFailsOnlyItsSender() throws Exception {
        FakePeer good = new FakePeer();
        FakePeer bad = new FakePeer();
        TaskId fine = TaskId.random();
        poison.set(TaskId.random());
        writer.submit(bad, List.of(ok(poison.get())));
        writer.submit(good, List.of(ok(fine)));
        writer.step(0);
        assertThat(good.acknowledged).containsExactly(fine);
        assertThat(good.reconnects).isEmpty();
        assertThat(bad.acknowledged).isEmpty();
        assertThat(bad.reconnects).hasSize(1);
    }

    @Test
    void startsAreWrittenWhenTheirDelayHasPassedByTheClock() throws Exception {
        FakePeer a = new FakePeer();
        TaskId t = TaskId.random();
        writer.accepted(a, List.of(t), clock.millis());
        writer.step(0);
        assertThat(commits).isEmpty();
        clock.advanceMillis(DelayedWrites.DELAY_MS);
        writer.step(0);
        assertThat(commits)
                .singleElement()
                .satisfies(c -> assertThat(c.starts()).extracting(s -> s.task()).containsExactly(t));
    }

    @Test
    void requeuedTasksAreHandedOnAndNotAnnouncedAsEnded() throws Exception {
        FakePeer a = new FakePeer();
        TaskId t = TaskId.random();
        writer.submit(
                a,
                List.of(new TaskResult(
                        t, 1, "x", new TaskResult.Failure(FailureCode.WORKER_LOST, "lost", null), 1, 2)));
        writer.step(0);
        assertThat(requeued).containsExactly(Set.of(t));
        assertThat(new ArrayList<>(after)).hasSize(1);
        // acknowledged before the next attempt is published, which may reach the same connection at once
        assertThat(events).containsExactly("acknowledged", "requeued");
    }
}
