package dev.gantry.service.channel;

import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.channel.TaskMessage;
import dev.gantry.protocol.channel.TaskResult;
import dev.gantry.service.store.Report;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

/** What the result writer commits: the things its endpoints' connections need written. */
sealed interface WorkItem {
    int size();

    /** A results frame of one connection. */
    record Results(Peer from, List<TaskResult> results) implements WorkItem {
        @Override
        public int size() {
            return results.size();
        }
    }

    /**
     * Tasks to lease before they are sent or kept out (each since its time in {@code atMs}); {@code then} is
     * called in the commit with the tasks leased, or with the failure.
     */
    record Leases(List<TaskMessage> tasks, List<Long> atMs, BiConsumer<Set<TaskId>, Throwable> then)
            implements WorkItem {
        @Override
        public int size() {
            return tasks.size();
        }
    }

    /** Starts and waits for nodes that are still true after their delay. */
    record Notes(List<Report.Started> starts, List<Report.WaitingForNodes> waits) implements WorkItem {
        @Override
        public int size() {
            return starts.size() + waits.size();
        }
    }
}
