package dev.gantry.service.store;

import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.ErrorCode;
import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.TaskState;
import dev.gantry.protocol.api.TaskStatus;
import dev.gantry.protocol.channel.TaskMessage;
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
 * the database does: a dispatched task ({@code waiting-for-launch} or {@code running}) is leased to its
 * endpoint, and goes back to the queue, one attempt later, when the endpoint is lost: its connection closes,
 * it reconnects without the task, or it stops heartbeating. An attempt past the task's retry limit fails it
 * instead, with every attempt in its history.
 */
public final class TaskLeases {
    /**
     * A leased task: dispatched ({@code dispatched_at} set while its state stays {@code waiting-for-ep}, shown as
     * {@code waiting-for-launch}; no indexed column changes, so PostgreSQL updates the row in place), or running.
     */
    static final String DISPATCHED = dispatched("tasks");

    /** {@link #DISPATCHED} for the tasks table under another name in the query. */
    static String dispatched(String t) {
        return "(" + t + ".state = 'running' OR (" + t + ".state = 'waiting-for-ep' AND " + t + ".dispatched_at IS NOT NULL))";
    }
    private static final int CHUNK = 500;

    private final Database db;

    public TaskLeases(Database db) {
        this.db = db;
    }

    /** A lost attempt: the task, the attempt that was lost, why, and when it had started (if known). */
    public record Lost(TaskId task, int attempt, ErrorCode code, String reason, Long startedAtMs) {}

    /** What became of lost attempts: tasks queued again (to be published), and tasks that failed for good. */
    public record Outcome(List<TaskId> requeued, List<TaskStatus> failed) {
        public static final Outcome NONE = new Outcome(List.of(), List.of());
    }

    /**
     * Takes tasks out of their queue for an endpoint, in the caller's transaction: those still waiting at the
     * attempt they were queued for and not leased get {@code dispatched_at} (shown as {@code waiting-for-launch}).
     * Returns the ones taken; the others ended, were cancelled, or are already leased (a broker's redelivery
     * after an instance died), and must not be sent.
     */
    static Set<TaskId> dispatch(Connection c, List<TaskMessage> tasks, long nowMs) throws SQLException {
        Set<TaskId> out = new HashSet<>();
        if (tasks.isEmpty()) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE tasks SET dispatched_at = ?"
                + " WHERE id = ? AND attempt = ? AND state = ? AND dispatched_at IS NULL")) {
            for (TaskMessage t : tasks) {
                ps.setLong(1, nowMs);
                ps.setObject(2, t.task().value());
                ps.setInt(3, t.attempt());
                ps.setString(4, TaskState.WAITING_FOR_EP.wire());
                ps.addBatch();
            }
            int[] counts = ps.executeBatch();
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] != 0) {
                    out.add(tasks.get(i).task());
                }
            }
        }
        return out;
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
                ps.setString(2, TaskState.CANCELLED.wire());
                ps.setInt(3, limit);
                return ids(ps);
            }
        });
    }

    /**
     * Notes, in the caller's transaction, that leased tasks wait at their endpoint for a pilot block with room
     * (shown as {@code waiting-for-nodes} until they start).
     */
    static void waitingForNodes(Connection c, Collection<TaskId> tasks, long sinceMs) throws SQLException {
        if (tasks.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE tasks SET nodes_wait_at = ? WHERE id = ? AND state = ?"
                + " AND dispatched_at IS NOT NULL AND nodes_wait_at IS NULL")) {
            for (TaskId t : tasks) {
                ps.setLong(1, sinceMs);
                ps.setObject(2, t.value());
                ps.setString(3, TaskState.WAITING_FOR_EP.wire());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Requeues (or fails, past their limit) these leased tasks, whatever attempt they are at. */
    public Outcome release(Collection<TaskId> tasks, ErrorCode code, String reason, long nowMs) {
        if (tasks.isEmpty()) {
            return Outcome.NONE;
        }
        return lose(leased(tasks).stream().map(r -> new Lost(r.task(), r.attempt(), code, reason, r.dispatchedAtMs()))
                .toList(), nowMs);
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
        return release(lost, ErrorCode.ENDPOINT_LOST, "the endpoint reconnected without the task (it restarted)", nowMs);
    }

    /**
     * Leases of endpoints silent for more than three heartbeat periods (and two seconds): their tasks go back to
     * the queue, to run when the endpoint returns.
     */
    public Outcome expire(long nowMs, int limit) {
        List<TaskId> stale = db.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT t.id FROM endpoints e JOIN tasks t ON t.endpoint_id"
                    + " = e.id WHERE e.last_heartbeat_at + 3 * e.heartbeat_period_ms + 2000 < CAST(? AS BIGINT) AND "
                    + dispatched("t")
                    + " LIMIT ?")) {
                ps.setLong(1, nowMs);
                ps.setInt(2, limit);
                return ids(ps);
            }
        });
        return release(stale, ErrorCode.ENDPOINT_LOST, "the endpoint's lease expired: no heartbeat for three periods",
                nowMs);
    }

    /**
     * Attempts that ended with a system failure (or a user error, for tasks that asked): each task goes back to
     * its queue while it has retries left; the others are returned to be recorded as they are.
     */
    public List<Lost> retry(List<Lost> failed, long nowMs, List<TaskId> requeued) {
        if (failed.isEmpty()) {
            return List.of();
        }
        List<Lost> keep = new ArrayList<>();
        db.tx(c -> {
            Set<TaskId> userRetry = new HashSet<>();
            for (Lease l : leases(c, failed.stream().map(Lost::task).toList())) {
                if (l.retryUserErrors()) {
                    userRetry.add(l.task());
                }
            }
            for (Lost f : failed) {
                boolean retryable = f.code().systemFailure() || userRetry.contains(f.task());
                if (!retryable || !requeue(c, f, nowMs)) {
                    keep.add(f);
                } else {
                    requeued.add(f.task());
                }
            }
            return null;
        });
        return keep;
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
                        out.add(new TaskStatus.Attempt(rs.getInt("attempt"), ErrorCode.valueOf(rs.getString("error_code")),
                                rs.getString("reason"), started == null ? null : started / 1000.0,
                                rs.getLong("ended_at") / 1000.0));
                    }
                }
                return out;
            }
        });
    }

    private record Lease(TaskId task, int attempt, Long dispatchedAtMs, boolean retryUserErrors) {}

    private List<Lease> leased(Collection<TaskId> tasks) {
        return db.tx(c -> leases(c, tasks).stream().filter(l -> l.dispatchedAtMs() != null).toList());
    }

    private static List<Lease> leases(Connection c, Collection<TaskId> tasks) throws SQLException {
        List<Lease> out = new ArrayList<>();
        List<TaskId> all = List.copyOf(tasks);
        for (int i = 0; i < all.size(); i += CHUNK) {
            List<TaskId> part = all.subList(i, Math.min(all.size(), i + CHUNK));
            try (PreparedStatement ps = c.prepareStatement("SELECT id, attempt, dispatched_at, retry_user_errors,"
                    + " state FROM tasks WHERE id IN (" + Rows.marks(part.size()) + ")")) {
                Rows.setUuids(ps, 1, part.stream().map(TaskId::value).toList());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String state = rs.getString("state");
                        boolean leased = state.equals("running")
                                || (state.equals("waiting-for-ep") && Rows.nullableLong(rs, "dispatched_at") != null);
                        out.add(new Lease(new TaskId(Rows.uuid(rs, "id")), rs.getInt("attempt"),
                                leased ? Rows.nullableLong(rs, "dispatched_at") : null, rs.getBoolean("retry_user_errors")));
                    }
                }
            }
        }
        return out;
    }

    private List<TaskId> leasedTo(EndpointId endpoint) {
        return db.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM tasks WHERE endpoint_id = ? AND " + DISPATCHED)) {
                ps.setObject(1, endpoint.value());
                return ids(ps);
            }
        });
    }

    private Outcome lose(List<Lost> lost, long nowMs) {
        List<TaskId> requeued = new ArrayList<>();
        List<Lost> exhausted = retry(lost, nowMs, requeued);
        List<TaskStatus> failed = exhausted.isEmpty() ? List.of() : fail(exhausted, nowMs);
        return new Outcome(requeued, failed);
    }

    /** Queues the task again at its next attempt if it has retries left; false if it has none (or moved on). */
    private static boolean requeue(Connection c, Lost f, long nowMs) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE tasks SET state = ?, attempt = attempt + 1,"
                + " queued = FALSE, dispatched_at = NULL, nodes_wait_at = NULL, started_at = NULL"
                + " WHERE id = ? AND attempt = ? AND "
                + TaskStore.NOT_ENDED + " AND attempt <= COALESCE(max_retries,"
                + " (SELECT e.max_retries FROM endpoints e WHERE e.id = tasks.endpoint_id))")) {
            ps.setString(1, TaskState.WAITING_FOR_EP.wire());
            ps.setObject(2, f.task().value());
            ps.setInt(3, f.attempt());
            if (ps.executeUpdate() == 0) {
                return false;
            }
        }
        insertAttempt(c, f, nowMs);
        return true;
    }

    /** Fails leased tasks that have no retries left; their history holds this last attempt too. */
    private List<TaskStatus> fail(List<Lost> exhausted, long nowMs) {
        return db.tx(c -> {
            List<TaskId> failed = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("UPDATE tasks SET state = ?, error_code = ?, exception = ?,"
                    + " exception_type = ?, completed_at = ? WHERE id = ? AND attempt = ? AND " + DISPATCHED)) {
                for (Lost f : exhausted) {
                    ps.setString(1, TaskState.FAILED.wire());
                    ps.setString(2, f.code().name());
                    ps.setString(3, f.reason() + " (attempt " + f.attempt() + "; no retries left)");
                    ps.setString(4, f.code() == ErrorCode.WORKER_LOST ? "WorkerLost" : "EndpointLost");
                    ps.setLong(5, nowMs);
                    ps.setObject(6, f.task().value());
                    ps.setInt(7, f.attempt());
                    if (ps.executeUpdate() != 0) {
                        insertAttempt(c, f, nowMs);
                        failed.add(f.task());
                    }
                }
            }
            if (failed.isEmpty()) {
                return List.<TaskStatus>of();
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT " + TaskStore.STATUS_COLUMNS + " FROM tasks WHERE id IN ("
                    + Rows.marks(failed.size()) + ")")) {
                Rows.setUuids(ps, 1, failed.stream().map(TaskId::value).toList());
                List<TaskStatus> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(TaskStatuses.read(rs));
                    }
                }
                return out;
            }
        });
    }

    private static void insertAttempt(Connection c, Lost f, long nowMs) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO task_attempts (task_id, attempt, error_code, reason,"
                + " started_at, ended_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            ps.setObject(1, f.task().value());
            ps.setInt(2, f.attempt());
            ps.setString(3, f.code().name());
            ps.setString(4, f.reason());
            Rows.setNullableLong(ps, 5, f.startedAtMs());
            ps.setLong(6, nowMs);
            ps.executeUpdate();
        }
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
