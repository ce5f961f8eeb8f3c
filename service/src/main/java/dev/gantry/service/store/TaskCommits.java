package dev.gantry.service.store;

import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.channel.TaskMessage;
import dev.gantry.protocol.channel.TaskResult;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One commit of the result writer: everything the endpoints' connections need written at that moment, in one
 * transaction. Results come first (a redelivered copy of a task whose result is in the same commit is not
 * leased, so not sent again); failed attempts the retry rule keeps go back to their queue instead of ending
 * their tasks.
 */
public final class TaskCommits {
    private final Database db;

    public TaskCommits(Database db) {
        this.db = db;
    }

    /**
     * What to write: results, tasks to lease before they are sent (each since its time in {@code leaseAtMs}),
     * and starts and waits for nodes.
     */
    public record Batch(
            List<Report.Result> results,
            List<TaskMessage> lease,
            List<Long> leaseAtMs,
            List<Report.Started> starts,
            List<Report.WaitingForNodes> nodeWaits) {
        public Batch {
            if (lease.size() != leaseAtMs.size()) {
                throw new IllegalArgumentException("one lease time per task");
            }
        }
    }

    /**
     * What the commit did: for each result whether it ended its task, the tasks whose failed attempt was queued
     * again instead, and the tasks leased.
     */
    public record Committed(boolean[] ended, Set<TaskId> requeued, Set<TaskId> leased) {}

    public Committed commit(Batch b, long nowMs) {
        return db.tx(c -> {
            Set<TaskId> requeued = retry(c, b.results(), nowMs);
            List<Report.Result> ending = requeued.isEmpty()
                    ? b.results()
                    : b.results().stream()
                            .filter(r -> !requeued.contains(r.task()))
                            .toList();
            boolean[] written = TaskTransitions.end(c, ending);
            boolean[] ended = new boolean[b.results().size()];
            for (int i = 0, j = 0; i < ended.length; i++) {
                if (!requeued.contains(b.results().get(i).task())) {
                    ended[i] = written[j++];
                }
            }
            Set<TaskId> leased = TaskTransitions.lease(c, b.lease(), b.leaseAtMs());
            TaskTransitions.waitForNodes(c, b.nodeWaits());
            TaskTransitions.start(c, b.starts());
            return new Committed(ended, requeued, leased);
        });
    }

    /**
     * Failed attempts that the retry rule runs again: those of the task's current attempt, on the endpoint that
     * sent them. Returns the tasks queued again.
     */
    private static Set<TaskId> retry(Connection c, List<Report.Result> results, long nowMs) throws SQLException {
        List<Report.Result> candidates = results.stream()
                .filter(r -> r.result().failed()
                        && RetryPolicy.mayRetry(r.result().error().code()))
                .toList();
        if (candidates.isEmpty()) {
            return Set.of();
        }
        LeaseRows rows = LeaseRows.read(c, candidates.stream().map(Report::task).toList());
        List<Lost> lost = new ArrayList<>();
        for (Report.Result r : candidates) {
            LeaseRows.Row row = rows.get(r.task());
            TaskResult t = r.result();
            if (row != null
                    && row.endpoint().equals(r.from())
                    && row.attempt() == t.attempt()
                    && RetryPolicy.retries(t.error().code(), t.attempt(), row.options())) {
                lost.add(new Lost(
                        t.task(),
                        r.from(),
                        t.attempt(),
                        t.error().code(),
                        t.error().userMessage(),
                        t.startedAtMs()));
            }
        }
        Set<TaskId> out = new HashSet<>();
        for (Lost l : lost) {
            if (TaskTransitions.requeue(c, l, nowMs)) {
                out.add(l.task());
            }
        }
        return out;
    }
}
