package dev.gantry.service.store;

import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.FailureCode;
import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.TaskState;
import dev.gantry.protocol.api.TaskStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Who holds a task between its queue and its result. The broker holds it until it is dispatched; from then on
 * the database does: a dispatched task ({@code waiting-for-launch}, {@code waiting-for-nodes} or
 * {@code running}) is leased to its endpoint, and goes back to the queue, one attempt later, when the endpoint
 * is lost: its connection closes, it reconnects without the task, or it stops heartbeating. An attempt past the
 * task's retry limit fails it instead, with every attempt in its history.
 */
public final class TaskLeases {
    private static final String LEASED = StoredState.in(StoredState.LEASED, "t");
    private static final int CHUNK = 500;

    private final Database db;

    public TaskLeases(Database db) {
        this.db = db;
    }

    /** What became of lost attempts: tasks queued again (to be published), and tasks that failed for good. */
    public record Outcome(List<TaskId> requeued, List<TaskStatus> failed) {
        public static final Outcome NONE = new Outcome(List.of(), List.of());
    }

    /**
     * Tasks of {@code endpoint} cancelled before they were ever leased, newest first: their broker messages may
     * still be queued, and a connection that takes over the endpoint must not send them.
     */
    public List<TaskId> cancelledUnsent(EndpointId endpoint, int limit) {
        return db.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM tasks WHERE endpoint_id = ? AND state = ?"
                    + " AND dispatched_at IS NULL ORDER BY seq DESC LIMIT ?")) {
                ps.setObject(1, endpoint.value());
                ps.setString(2, StoredState.column(TaskState.CANCELLED));
                ps.setInt(3, limit);
                return ids(ps);
            }
        });
    }

    /**
     * Of the tasks an endpoint says it holds when it connects, those that were dispatched to it: the only ones,
     * besides those sent on the new channel, it may report on.
     */
    public Set<TaskId> heldBy(EndpointId endpoint, Collection<TaskId> held) {
        Set<TaskId> out = new HashSet<>();
        List<TaskId> all = List.copyOf(new HashSet<>(held));
        for (int i = 0; i < all.size(); i += CHUNK) {
            List<TaskId> part = all.subList(i, Math.min(all.size(), i + CHUNK));
            out.addAll(db.tx(c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT id FROM tasks WHERE endpoint_id = ? AND id IN (" + Rows.marks(part.size()) + ")")) {
                    ps.setObject(1, endpoint.value());
                    Rows.setUuids(ps, 2, part.stream().map(TaskId::value).toList());
                    return ids(ps);
                }
            }));
        }
        return out;
    }

    /** Requeues (or fails, past their limit) these leased tasks, whatever attempt they are at. */
    public Outcome release(Collection<TaskId> tasks, FailureCode code, String reason, long nowMs) {
        if (tasks.isEmpty()) {
            return Outcome.NONE;
        }
        return db.tx(c -> {
            LeaseRows rows = LeaseRows.read(c, tasks);
            List<Lost> lost = new ArrayList<>();
            for (TaskId t : tasks) {
                LeaseRows.Row r = rows.get(t);
                if (r != null && r.leasedAtMs() != null) {
                    lost.add(new Lost(t, r.endpoint(), r.attempt(), code, reason, r.leasedAtMs()));
                }
            }
            return lose(c, lost, rows, nowMs);
        });
    }

    /** The endpoint reconnected holding {@code held}: its other leased tasks were lost with its last process. */
    public Outcome reconcile(EndpointId endpoint, Collection<TaskId> held, long nowMs) {
        List<TaskId> lost = new ArrayList<>();
        Set<TaskId> holding = new HashSet<>(held);
        for (TaskId t : leasedTo(endpoint)) {
            if (!holding.contains(t)) {
                lost.add(t);
            }
        }
        return release(
                lost, FailureCode.ENDPOINT_LOST, "the endpoint reconnected without the task (it restarted)", nowMs);
    }

    /**
     * Leases of endpoints silent for more than three heartbeat periods (and two seconds): their tasks go back to
     * the queue, to run when the endpoint returns.
     */
    public Outcome expire(long nowMs, int limit) {
        List<TaskId> stale = db.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT t.id FROM endpoints e JOIN tasks t ON t.endpoint_id"
                    + " = e.id WHERE e.last_heartbeat_at + 3 * CAST(e.heartbeat_period_ms AS BIGINT) + 2000"
                    + " < CAST(? AS BIGINT) AND " + LEASED + " LIMIT ?")) {
                ps.setLong(1, nowMs);
                ps.setInt(2, limit);
                return ids(ps);
            }
        });
        return release(
                stale,
                FailureCode.ENDPOINT_LOST,
                "the endpoint's lease expired: no heartbeat for three periods",
                nowMs);
    }

    /**
     * Carries out lost attempts in the caller's transaction: each task goes back to its queue if the retry rule
     * says so, else fails. An attempt the task has moved on from changes nothing.
     */
    static Outcome lose(Connection c, List<Lost> lost, LeaseRows rows, long nowMs) throws SQLException {
        List<TaskId> requeued = new ArrayList<>();
        List<TaskId> failed = new ArrayList<>();
        for (Lost l : lost) {
            if (RetryPolicy.retries(l.code(), l.attempt(), rows.get(l.task()).options())) {
                if (TaskTransitions.requeue(c, l, nowMs)) {
                    requeued.add(l.task());
                }
            } else if (TaskTransitions.failLost(c, l, nowMs)) {
                failed.add(l.task());
            }
        }
        return new Outcome(requeued, TaskStore.statuses(c, failed));
    }

    /** Each attempt of {@code task} that ended without ending it, oldest first. */
    public List<TaskStatus.Attempt> attempts(TaskId task) {
        return db.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT attempt, error_code, reason, started_at, ended_at"
                    + " FROM task_attempts WHERE task_id = ? ORDER BY attempt")) {
                ps.setObject(1, task.value());
                List<TaskStatus.Attempt> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Long started = Rows.nullableLong(rs, "started_at");
                        out.add(new TaskStatus.Attempt(
                                rs.getInt("attempt"),
                                FailureCode.valueOf(rs.getString("error_code")),
                                rs.getString("reason"),
                                started == null ? null : started / 1000.0,
                                rs.getLong("ended_at") / 1000.0));
                    }
                }
                return out;
            }
        });
    }

    private List<TaskId> leasedTo(EndpointId endpoint) {
        return db.tx(c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT t.id FROM tasks t WHERE t.endpoint_id = ? AND " + LEASED)) {
                ps.setObject(1, endpoint.value());
                return ids(ps);
            }
        });
    }

    private static List<TaskId> ids(PreparedStatement ps) throws SQLException {
        List<TaskId> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new TaskId(Rows.uuid(rs, "id")));
            }
        }
        return out;
    }
}
