package dev.gantry.service.store;

import dev.gantry.protocol.FailureCode;
import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.TaskState;
import dev.gantry.protocol.channel.TaskMessage;
import dev.gantry.protocol.channel.TaskResult;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Every change of a task's state, each an UPDATE guarded by the states it moves from. Those states are
 * checked against {@link TaskState}'s transition table when this class loads, so a move the table forbids
 * cannot be written. Moves reported by an endpoint are guarded by that endpoint too: no endpoint can change a
 * task that was not dispatched to it. All run in the caller's transaction, batched.
 */
public final class TaskTransitions {
    private static final String LEASE = guard(TaskState.WAITING_FOR_LAUNCH, TaskState.WAITING_FOR_EP);
    private static final String WAIT_FOR_NODES = guard(TaskState.WAITING_FOR_NODES, TaskState.WAITING_FOR_LAUNCH);
    private static final String START =
            guard(TaskState.RUNNING, TaskState.WAITING_FOR_LAUNCH, TaskState.WAITING_FOR_NODES);
    private static final String SUCCEED = guard(
            TaskState.SUCCESS,
            TaskState.WAITING_FOR_EP,
            TaskState.WAITING_FOR_LAUNCH,
            TaskState.WAITING_FOR_NODES,
            TaskState.RUNNING);
    private static final String FAIL = guard(
            TaskState.FAILED,
            TaskState.WAITING_FOR_EP,
            TaskState.WAITING_FOR_LAUNCH,
            TaskState.WAITING_FOR_NODES,
            TaskState.RUNNING);
    private static final String FAIL_LEASED =
            guard(TaskState.FAILED, TaskState.WAITING_FOR_LAUNCH, TaskState.WAITING_FOR_NODES, TaskState.RUNNING);
    private static final String REQUEUE = guard(
            TaskState.WAITING_FOR_EP,
            TaskState.WAITING_FOR_EP,
            TaskState.WAITING_FOR_LAUNCH,
            TaskState.WAITING_FOR_NODES,
            TaskState.RUNNING);
    private static final String CANCEL =
            guard(TaskState.CANCELLED, TaskState.live().toArray(TaskState[]::new));
    private static final String EXPIRE =
            guard(TaskState.EXPIRED, TaskState.sources(TaskState.EXPIRED).toArray(TaskState[]::new));

    /**
     * The task was dispatched to the endpoint given as text. Compared as text so that no plan can use the index
     * on {@code (endpoint_id, state)} instead of the primary key: PostgreSQL plans a prepared statement once,
     * and a plan made while the table was empty scanned every task of the endpoint for each row it changed.
     */
    private static final String SENT_BY = "CAST(endpoint_id AS VARCHAR(36)) = ?";

    private TaskTransitions() {}

    /** The SQL condition for a move from any of {@code from} to {@code to}, which the table must allow. */
    static String guard(TaskState to, TaskState... from) {
        for (TaskState f : from) {
            if (!f.canMoveTo(to)) {
                throw new IllegalStateException("the transition table does not allow " + f + " -> " + to);
            }
        }
        return StoredState.in(from.length == 0 ? EnumSet.noneOf(TaskState.class) : EnumSet.of(from[0], from));
    }

    /**
     * Leases tasks about to be sent ({@code waiting-for-ep} → {@code waiting-for-launch}), since {@code atMs}:
     * those still waiting at the attempt they were queued for. Returns the ones leased.
     */
    static Set<TaskId> lease(Connection c, List<TaskMessage> tasks, List<Long> atMs) throws SQLException {
        Set<TaskId> out = new HashSet<>();
        if (tasks.isEmpty()) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE tasks SET dispatched_at = ? WHERE id = ? AND attempt = ?" + " AND " + LEASE)) {
            for (int i = 0; i < tasks.size(); i++) {
                ps.setLong(1, atMs.get(i));
                ps.setObject(2, tasks.get(i).task().value());
                ps.setInt(3, tasks.get(i).attempt());
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

    /** Leased tasks that wait at their endpoint for a pilot block with room. */
    static void waitForNodes(Connection c, List<Report.WaitingForNodes> notes) throws SQLException {
        noted(
                c,
                "nodes_wait_at = ?",
                WAIT_FOR_NODES,
                notes.stream()
                        .map(n -> new Note(n.from().value(), n.task(), n.atMs()))
                        .toList());
    }

    /** Leased tasks that their endpoint started. */
    static void start(Connection c, List<Report.Started> notes) throws SQLException {
        noted(
                c,
                "state = '" + StoredState.column(TaskState.RUNNING) + "', started_at = ?",
                START,
                notes.stream()
                        .map(n -> new Note(n.from().value(), n.task(), n.atMs()))
                        .toList());
    }

    private record Note(java.util.UUID endpoint, TaskId task, long atMs) {}

    private static void noted(Connection c, String set, String guard, List<Note> notes) throws SQLException {
        if (notes.isEmpty()) {
            return;
        }
        try (PreparedStatement ps =
                c.prepareStatement("UPDATE tasks SET " + set + " WHERE id = ? AND " + SENT_BY + " AND " + guard)) {
            for (Note n : notes) {
                ps.setLong(1, n.atMs());
                ps.setObject(2, n.task().value());
                ps.setString(3, n.endpoint().toString());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * Ends tasks with their endpoints' results: a success of any attempt the task has reached (first result
     * wins), a failure only of its current attempt. Returns, for each, whether it was written; a result for a
     * task that had ended, or that was not dispatched to its sender, is not.
     */
    static boolean[] end(Connection c, List<Report.Result> results) throws SQLException {
        List<Integer> ok = new ArrayList<>();
        List<Integer> failed = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            (results.get(i).result().failed() ? failed : ok).add(i);
        }
        boolean[] written = new boolean[results.size()];
        end(c, endSql(SUCCEED, "attempt >= ?"), results, ok, written);
        end(c, endSql(FAIL, "attempt = ?"), results, failed, written);
        return written;
    }

    /** Writes the results at {@code which}, in one batch, marking each written one in {@code written}. */
    private static void end(
            Connection c, String sql, List<Report.Result> results, List<Integer> which, boolean[] written)
            throws SQLException {
        if (which.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i : which) {
                Report.Result r = results.get(i);
                TaskResult t = r.result();
                TaskResult.Failure f = t.error();
                ps.setString(1, StoredState.column(f != null ? TaskState.FAILED : TaskState.SUCCESS));
                ps.setString(2, f == null ? t.data() : null);
                ps.setString(3, f == null ? null : t.data());
                ps.setString(4, f == null ? null : f.code().name());
                ps.setString(5, f == null ? null : f.exceptionType());
                ps.setLong(6, t.startedAtMs());
                ps.setLong(7, t.completedAtMs());
                ps.setLong(8, t.startedAtMs());
                ps.setObject(9, t.task().value());
                ps.setString(10, r.from().toString());
                ps.setInt(11, t.attempt());
                ps.addBatch();
            }
            int[] counts = ps.executeBatch();
            for (int k = 0; k < counts.length; k++) {
                written[which.get(k)] = counts[k] != 0;
            }
        }
    }

    private static String endSql(String guard, String attempt) {
        return "UPDATE tasks SET state = ?, result = ?, exception = ?, error_code = ?, exception_type = ?,"
                + " started_at = ?, completed_at = ?, dispatched_at = COALESCE(dispatched_at, ?)"
                + " WHERE id = ? AND " + SENT_BY + " AND " + attempt + " AND " + guard;
    }

    /** Queues a task again at its next attempt; false if it moved on (another attempt, an end, another endpoint). */
    static boolean requeue(Connection c, Lost l, long nowMs) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE tasks SET state = ?, attempt = attempt + 1,"
                + " queued = FALSE, dispatched_at = NULL, nodes_wait_at = NULL, started_at = NULL"
                + " WHERE id = ? AND " + SENT_BY + " AND attempt = ? AND " + REQUEUE)) {
            ps.setString(1, StoredState.column(TaskState.WAITING_FOR_EP));
            ps.setObject(2, l.task().value());
            ps.setString(3, l.endpoint().toString());
            ps.setInt(4, l.attempt());
            if (ps.executeUpdate() == 0) {
                return false;
            }
        }
        attempt(c, l, nowMs);
        return true;
    }

    /** Fails a leased task whose attempt was lost with no retries left; its history holds that attempt too. */
    static boolean failLost(Connection c, Lost l, long nowMs) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE tasks SET state = ?, error_code = ?, exception = ?,"
                + " exception_type = ?, completed_at = ? WHERE id = ? AND " + SENT_BY + " AND attempt = ? AND "
                + FAIL_LEASED)) {
            ps.setString(1, StoredState.column(TaskState.FAILED));
            ps.setString(2, l.code().name());
            ps.setString(3, l.reason() + " (attempt " + l.attempt() + "; no retries left)");
            ps.setString(4, l.code() == FailureCode.WORKER_LOST ? "WorkerLost" : "EndpointLost");
            ps.setLong(5, nowMs);
            ps.setObject(6, l.task().value());
            ps.setString(7, l.endpoint().toString());
            ps.setInt(8, l.attempt());
            if (ps.executeUpdate() == 0) {
                return false;
            }
        }
        attempt(c, l, nowMs);
        return true;
    }

    private static void attempt(Connection c, Lost l, long endedAtMs) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("INSERT INTO task_attempts (task_id, attempt, error_code, reason,"
                        + " started_at, ended_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            ps.setObject(1, l.task().value());
            ps.setInt(2, l.attempt());
            ps.setString(3, l.code().name());
            ps.setString(4, l.reason());
            Rows.setNullableLong(ps, 5, l.startedAtMs());
            ps.setLong(6, endedAtMs);
            ps.executeUpdate();
        }
    }

    /** Cancels a task that has not ended; false if it had. */
    static boolean cancel(Connection c, TaskId task, String reason, long nowMs) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE tasks SET state = ?, error_code = ?, exception = ?,"
                + " exception_type = ?, completed_at = ? WHERE id = ? AND " + CANCEL)) {
            ps.setString(1, StoredState.column(TaskState.CANCELLED));
            ps.setString(2, FailureCode.TASK_CANCELLED.name());
            ps.setString(3, reason);
            ps.setString(4, "TaskCancelled");
            ps.setLong(5, nowMs);
            ps.setObject(6, task.value());
            return ps.executeUpdate() != 0;
        }
    }

    /**
     * Expires every task submitted before {@code beforeMs}, ended or not: payloads and results are dropped, and
     * tasks that had not ended say so. Returns how many expired.
     */
    static int expire(Connection c, long beforeMs, long nowMs) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE tasks SET state = ?, payload = '', result = NULL,"
                + " exception = NULL, error_code = CASE WHEN " + StoredState.live("tasks")
                + " THEN ? ELSE error_code END,"
                + " completed_at = COALESCE(completed_at, ?) WHERE created_at < ? AND " + EXPIRE)) {
            ps.setString(1, StoredState.column(TaskState.EXPIRED));
            ps.setString(2, FailureCode.TASK_EXPIRED.name());
            ps.setLong(3, nowMs);
            ps.setLong(4, beforeMs);
            return ps.executeUpdate();
        }
    }
}
