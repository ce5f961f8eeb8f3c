package dev.gantry.service.channel;

import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.channel.TaskMessage;
import dev.gantry.service.store.Report;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes that are made only if still needed some time later: a start, a wait for nodes, the lease of a task
 * sent before it was written. Most tasks end sooner, and their result row records what they need, so these
 * cost no write of their own. Pure bookkeeping over times in milliseconds; the writer asks what is due.
 */
final class DelayedWrites {
    /** How long a note or a lease waits before it is written. */
    static final long DELAY_MS = 500;

    private record Unleased(Peer from, TaskMessage task, long sentAtMs) {}

    private final Map<TaskId, Report.Started> starting = new ConcurrentHashMap<>();
    private final Map<TaskId, Report.WaitingForNodes> waiting = new ConcurrentHashMap<>();
    private final Map<TaskId, Unleased> unleased = new ConcurrentHashMap<>();

    void accepted(Peer from, List<TaskId> tasks, long atMs) {
        for (TaskId t : tasks) {
            starting.put(t, new Report.Started(from.endpoint(), t, atMs));
            waiting.remove(t);
        }
    }

    void waitingForNodes(Peer from, List<TaskId> tasks, long atMs) {
        tasks.forEach(t -> waiting.put(t, new Report.WaitingForNodes(from.endpoint(), t, atMs)));
    }

    /** {@code from} sends these tasks (first taken from the broker) without a lease, at {@code nowMs}. */
    void sendingUnleased(Peer from, List<TaskMessage> tasks, long nowMs) {
        tasks.forEach(t -> unleased.put(t.task(), new Unleased(from, t, nowMs)));
    }

    /** The tasks' results came from {@code from}: what it noted of them is no longer needed. */
    void ended(Peer from, List<TaskId> tasks) {
        for (TaskId t : tasks) {
            starting.computeIfPresent(t, (k, s) -> s.from().equals(from.endpoint()) ? null : s);
            waiting.computeIfPresent(t, (k, w) -> w.from().equals(from.endpoint()) ? null : w);
            unleased.computeIfPresent(t, (k, u) -> u.from() == from ? null : u);
        }
    }

    /** The connection closed: the broker gives its unleased tasks to the next consumer, so they are not leased. */
    void forget(Peer from) {
        unleased.values().removeIf(u -> u.from() == from);
    }

    /**
     * What is due at {@code nowMs}, taken out to be written: leases first (a start or a wait is written only for
     * a leased task), one item per connection, each leased since it was sent; then the notes.
     */
    List<WorkItem> due(long nowMs) {
        long cutoff = nowMs - DELAY_MS;
        Map<Peer, List<Unleased>> leases = new IdentityHashMap<>();
        for (Unleased u : unleased.values()) {
            if (u.sentAtMs() <= cutoff
                    && unleased.remove(u.task().task(), u)
                    && u.from().isOpen()) {
                leases.computeIfAbsent(u.from(), p -> new ArrayList<>()).add(u);
            }
        }
        List<WorkItem> out = new ArrayList<>();
        leases.forEach((from, us) -> {
            List<TaskMessage> tasks = us.stream().map(Unleased::task).toList();
            out.add(new WorkItem.Leases(
                    tasks,
                    us.stream().map(Unleased::sentAtMs).toList(),
                    (ok, failed) -> from.leaseWritten(tasks, failed)));
        });
        List<Report.Started> starts = takeDue(starting, cutoff, Report.Started::atMs);
        List<Report.WaitingForNodes> waits = takeDue(waiting, cutoff, Report.WaitingForNodes::atMs);
        if (!starts.isEmpty() || !waits.isEmpty()) {
            out.add(new WorkItem.Notes(starts, waits));
        }
        return out;
    }

    private static <T> List<T> takeDue(Map<TaskId, T> notes, long cutoff, java.util.function.ToLongFunction<T> at) {
        List<T> due = new ArrayList<>();
        for (Map.Entry<TaskId, T> e : notes.entrySet()) {
            if (at.applyAsLong(e.getValue()) <= cutoff && notes.remove(e.getKey(), e.getValue())) {
                due.add(e.getValue());
            }
        }
        return due;
    }
}
