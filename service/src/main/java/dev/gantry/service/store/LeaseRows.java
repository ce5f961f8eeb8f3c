package dev.gantry.service.store;

import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.TaskId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What the retry rule needs to know of tasks: where and at which attempt they are, and their options. */
record LeaseRows(Map<TaskId, Row> rows) {
    private static final int CHUNK = 500;

    /** A task's endpoint, attempt, when its lease began (null if it is not leased), and its retry options. */
    record Row(EndpointId endpoint, int attempt, Long leasedAtMs, RetryPolicy.Options options) {}

    Row get(TaskId task) {
        return rows.get(task);
    }

    /** Reads the rows of {@code tasks} (those that exist), in the caller's transaction. */
    static LeaseRows read(Connection c, Collection<TaskId> tasks) throws SQLException {
        Map<TaskId, Row> out = new HashMap<>();
        List<TaskId> all = List.copyOf(tasks);
        for (int i = 0; i < all.size(); i += CHUNK) {
            List<TaskId> part = all.subList(i, Math.min(all.size(), i + CHUNK));
            try (PreparedStatement ps = c.prepareStatement("SELECT t.id, t.endpoint_id, t.attempt, t.dispatched_at,"
                    + " t.nodes_wait_at, t.state, t.retry_user_errors, COALESCE(t.max_retries, e.max_retries, 0)"
                    + " AS retries FROM tasks t LEFT JOIN endpoints e ON e.id = t.endpoint_id WHERE t.id IN ("
                    + Rows.marks(part.size()) + ")")) {
                Rows.setUuids(ps, 1, part.stream().map(TaskId::value).toList());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Long dispatched = Rows.nullableLong(rs, "dispatched_at");
                        boolean leased = StoredState.LEASED.contains(StoredState.visible(
                                rs.getString("state"), dispatched, Rows.nullableLong(rs, "nodes_wait_at")));
                        out.put(
                                new TaskId(Rows.uuid(rs, "id")),
                                new Row(
                                        new EndpointId(Rows.uuid(rs, "endpoint_id")),
                                        rs.getInt("attempt"),
                                        leased ? dispatched : null,
                                        new RetryPolicy.Options(
                                                rs.getInt("retries"), rs.getBoolean("retry_user_errors"))));
                    }
                }
            }
        }
        return new LeaseRows(out);
    }
}
