package dev.gantry.service.store;

import dev.gantry.protocol.FailureCode;
import dev.gantry.protocol.TaskGroupId;
import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.TaskState;
import dev.gantry.protocol.api.TaskStatus;
import dev.gantry.protocol.channel.TaskResult;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds the REST view of a task, from a row or from a result just committed. */
public final class TaskStatuses {
    private TaskStatuses() {}

    static TaskStatus read(ResultSet rs) throws SQLException {
        Long nodesWait = Rows.nullableLong(rs, "nodes_wait_at");
        Long dispatched = Rows.nullableLong(rs, "dispatched_at");
        TaskState state = StoredState.visible(rs.getString("state"), dispatched, nodesWait);
        Map<String, Double> transitions = new LinkedHashMap<>();
        long[] last = {0};
        put(transitions, TaskState.RECEIVED, Rows.nullableLong(rs, "created_at"), last);
        put(transitions, TaskState.WAITING_FOR_LAUNCH, dispatched, last);
        put(transitions, TaskState.WAITING_FOR_NODES, nodesWait, last);
        put(transitions, TaskState.RUNNING, Rows.nullableLong(rs, "started_at"), last);
        Long completed = Rows.nullableLong(rs, "completed_at");
        if (state.isTerminal()) {
            put(transitions, state, completed, last);
        }
        String code = rs.getString("error_code");
        return new TaskStatus(
                new TaskId(Rows.uuid(rs, "id")),
                state.wire(),
                !state.isTerminal(),
                rs.getString("result"),
                rs.getString("exception"),
                seconds(completed),
                code == null ? null : FailureCode.valueOf(code),
                rs.getString("exception_type"),
                new TaskGroupId(Rows.uuid(rs, "group_id")),
                new TaskStatus.Details(transitions, new dev.gantry.protocol.EndpointId(Rows.uuid(rs, "endpoint_id"))));
    }

    /** The status a result just committed gives its task, for the result stream. */
    public static TaskStatus of(TaskResult r, TaskGroupId group) {
        TaskResult.Failure f = r.error();
        TaskState state = f == null ? TaskState.SUCCESS : TaskState.FAILED;
        Map<String, Double> transitions = new LinkedHashMap<>();
        long[] last = {0};
        put(transitions, TaskState.RUNNING, r.startedAtMs(), last);
        put(transitions, state, r.completedAtMs(), last);
        return new TaskStatus(
                r.task(),
                state.wire(),
                false,
                f == null ? r.data() : null,
                f == null ? null : r.data(),
                seconds(r.completedAtMs()),
                f == null ? null : f.code(),
                f == null ? null : f.exceptionType(),
                group,
                new TaskStatus.Details(transitions));
    }

    /**
     * Adds a transition, never earlier than the one before it ({@code last}): the times come from the service's
     * clock and the endpoint's, which may disagree, and a task's history reads in the order it happened.
     */
    private static void put(Map<String, Double> m, TaskState s, Long ms, long[] last) {
        if (ms != null) {
            last[0] = Math.max(last[0], ms);
            m.put(s.wire(), last[0] / 1000.0);
        }
    }

    private static String seconds(Long ms) {
        return ms == null ? null : String.format(java.util.Locale.ROOT, "%.3f", ms / 1000.0);
    }
}
