package dev.gantry.service.channel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.protocol.FunctionId;
import dev.gantry.protocol.TaskGroupId;
import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.channel.TaskMessage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The delayed writes over times in milliseconds: nothing is due before its delay, and ended tasks need none. */
class DelayedWritesTest {
    final DelayedWrites delayed = new DelayedWrites();
    final FakePeer peer = new FakePeer();

    static TaskMessage task() {
        return new TaskMessage(TaskId.random(), TaskGroupId.random(), 1, FunctionId.random(), "", null);
    }

    @Test
    void aStartIsDueOnlyAfterTheDelayAndOnlyOnce() {
        TaskId t = TaskId.random();
        delayed.accepted(peer, List.of(t), 1_000);
        assertThat(delayed.due(1_000 + DelayedWrites.DELAY_MS - 1)).isEmpty();
        List<WorkItem> due = delayed.due(1_000 + DelayedWrites.DELAY_MS);
        assertThat(due).singleElement().isInstanceOfSatisfying(WorkItem.Notes.class, n -> {
            assertThat(n.starts()).singleElement().satisfies(s -> {
                assertThat(s.task()).isEqualTo(t);
                assertThat(s.atMs()).isEqualTo(1_000);
                assertThat(s.from()).isEqualTo(peer.endpoint);
            });
            assertThat(n.waits()).isEmpty();
        });
        assertThat(delayed.due(10_000)).isEmpty();
    }

    @Test
    void aTaskThatEndsInTimeCostsNoWriteAndAnotherPeersResultTakesNothingAway() {
        TaskMessage mine = task();
        TaskMessage other = task();
        FakePeer stranger = new FakePeer();
        delayed.sendingUnleased(peer, List.of(mine, other), 0);
        delayed.accepted(peer, List.of(mine.task(), other.task()), 10);
        delayed.waitingForNodes(peer, List.of(other.task()), 20);
        delayed.ended(peer, List.of(mine.task()));
        delayed.ended(stranger, List.of(other.task()));
        List<WorkItem> due = delayed.due(5_000);
        assertThat(due).hasSize(2);
        assertThat(due.get(0)).isInstanceOfSatisfying(WorkItem.Leases.class, l -> {
            assertThat(l.tasks()).containsExactly(other);
            assertThat(l.atMs()).containsExactly(0L);
            l.then().accept(java.util.Set.of(other.task()), null);
        });
        assertThat(peer.leased).containsExactly(other);
        assertThat(due.get(1)).isInstanceOfSatisfying(WorkItem.Notes.class, n -> {
            assertThat(n.starts()).extracting(s -> s.task()).containsExactly(other.task());
            assertThat(n.waits()).extracting(w -> w.task()).containsExactly(other.task());
        });
    }

    @Test
    void aClosedConnectionsUnleasedTasksAreNotLeased() {
        delayed.sendingUnleased(peer, List.of(task()), 0);
        delayed.forget(peer);
        assertThat(delayed.due(5_000)).isEmpty();
        delayed.sendingUnleased(peer, List.of(task()), 0);
        peer.open = false;
        assertThat(delayed.due(5_000)).isEmpty();
    }

    @Test
    void acceptanceReplacesAWaitForNodes() {
        TaskId t = TaskId.random();
        delayed.waitingForNodes(peer, List.of(t), 0);
        delayed.accepted(peer, List.of(t), 100);
        assertThat(delayed.due(5_000))
                .singleElement()
                .isInstanceOfSatisfying(
                        WorkItem.Notes.class, n -> assertThat(n.waits()).isEmpty());
    }
}
