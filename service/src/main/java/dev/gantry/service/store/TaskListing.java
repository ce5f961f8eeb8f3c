package dev.gantry.service.store;

import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.FailureCode;
import dev.gantry.protocol.FunctionId;
import dev.gantry.protocol.TaskGroupId;
import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.TaskState;
import dev.gantry.protocol.api.TaskList;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The tasks one identity submitted, a page at a time, newest first (by {@code seq}, through the owner's index or
 * the group's), with the number in each visible state of every task the filters match.
 */
public final class TaskListing {
    public static final int MAX_PAGE = 1000;
    private final Database db;

    /** What to list; a null field does not filter. */
    public record Filter(EndpointId endpoint, TaskGroupId group, FunctionId function, TaskState state) {}

    public TaskListing(Database db) {
        this.db = db;
    }

    /** Up to {@code limit} tasks older than the cursor {@code before} (null: from the newest). */
    public TaskList page(Identity owner, Filter f, int limit, Long before) {
        StringBuilder where = new StringBuilder(" WHERE t.owner_id = ?");
        List<UUID> values = new ArrayList<>(List.of(owner.id()));
        add(
                where,
                values,
                "t.endpoint_id",
                f.endpoint() == null ? null : f.endpoint().value());
        add(where, values, "t.group_id", f.group() == null ? null : f.group().value());
        add(
                where,
                values,
                "t.function_id",
                f.function() == null ? null : f.function().value());
        if (f.state() != null) {
            where.append(" AND ").append(StoredState.in(EnumSet.of(f.state()), "t"));
        }
        return db.tx(c -> {
            List<TaskList.Entry> tasks = new ArrayList<>();
            long last = -1;
            try (PreparedStatement ps = c.prepareStatement("SELECT t.seq, t.id, t.state, t.endpoint_id, t.function_id,"
                    + " t.group_id, t.attempt, t.created_at, t.dispatched_at, t.nodes_wait_at, t.completed_at,"
                    + " t.error_code FROM tasks t" + where + (before == null ? "" : " AND t.seq < ?")
                    + " ORDER BY t.seq DESC LIMIT ?")) {
                int i = set(ps, values);
                if (before != null) {
                    ps.setLong(i++, before);
                }
                ps.setInt(i, limit + 1);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next() && tasks.size() <= limit) {
                        if (tasks.size() < limit) {
                            last = rs.getLong("seq");
                        }
                        tasks.add(entry(rs));
                    }
                }
            }
            boolean more = tasks.size() > limit;
            Map<String, Long> counts = counts(c, where.toString(), values);
            long total = counts.values().stream().mapToLong(Long::longValue).sum();
            return new TaskList(
                    more ? tasks.subList(0, limit) : tasks, counts, total, more ? Long.toString(last) : null);
        });
    }

    private static TaskList.Entry entry(ResultSet rs) throws SQLException {
        TaskState state = StoredState.visible(
                rs.getString("state"), Rows.nullableLong(rs, "dispatched_at"), Rows.nullableLong(rs, "nodes_wait_at"));
        Long completed = Rows.nullableLong(rs, "completed_at");
        String code = rs.getString("error_code");
        return new TaskList.Entry(
                new TaskId(Rows.uuid(rs, "id")),
                state.wire(),
                new EndpointId(Rows.uuid(rs, "endpoint_id")),
                new FunctionId(Rows.uuid(rs, "function_id")),
                new TaskGroupId(Rows.uuid(rs, "group_id")),
                rs.getInt("attempt"),
                rs.getLong("created_at") / 1000.0,
                completed == null ? null : completed / 1000.0,
                code == null ? null : FailureCode.valueOf(code));
    }

    private static Map<String, Long> counts(Connection c, String where, List<UUID> values) throws SQLException {
        Map<String, Long> out = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT t.state, t.dispatched_at IS NULL AS undispatched,"
                + " t.nodes_wait_at IS NULL AS no_nodes_wait, COUNT(*) AS n FROM tasks t" + where
                + " GROUP BY t.state, t.dispatched_at IS NULL, t.nodes_wait_at IS NULL")) {
            set(ps, values);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    TaskState s = StoredState.visible(
                            rs.getString("state"),
                            rs.getBoolean("undispatched") ? null : 0L,
                            rs.getBoolean("no_nodes_wait") ? null : 0L);
                    out.merge(s.wire(), rs.getLong("n"), Long::sum);
                }
            }
        }
        return out;
    }

    private static void add(StringBuilder where, List<UUID> values, String column, UUID value) {
        if (value != null) {
            where.append(" AND ").append(column).append(" = ?");
            values.add(value);
        }
    }

    private static int set(PreparedStatement ps, List<UUID> values) throws SQLException {
        int i = 1;
        for (UUID v : values) {
            ps.setObject(i++, v);
        }
        return i;
    }
}
