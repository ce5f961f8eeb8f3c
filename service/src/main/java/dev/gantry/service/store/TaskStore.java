package dev.gantry.service.store;

import dev.gantry.protocol.ApiError;
import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.FunctionId;
import dev.gantry.protocol.GantryException;
import dev.gantry.protocol.TaskGroupId;
import dev.gantry.protocol.TaskId;
import dev.gantry.protocol.TaskState;
import dev.gantry.protocol.api.ResourceSpec;
import dev.gantry.protocol.api.TaskGroupDoc;
import dev.gantry.protocol.api.TaskStatus;
import dev.gantry.protocol.channel.TaskMessage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Tasks and task groups. A task costs a few batched writes in its life: the insert at submit, its lease to an
 * endpoint at dispatch ({@link TaskLeases}), its start when the endpoint accepts it (skipped when the result
 * comes in the same batch), and the result (first result wins; later ones change nothing).
 */
public final class TaskStore {
    static final String STATUS_COLUMNS = "id, group_id, endpoint_id, state, result, exception, error_code,"
            + " exception_type, created_at, dispatched_at, nodes_wait_at, started_at, completed_at";
    static final String LIVE = StoredState.live("tasks");
    private final Database db;

    public TaskStore(Database db) {
        this.db = db;
    }

    /** The database this store writes to (for the stores that share its transactions' rules). */
    public Database database() {
        return db;
    }

    static TaskGroupId createGroup(Connection c, Identity owner, long now) throws SQLException {
        TaskGroupId id = TaskGroupId.random();
        try (PreparedStatement ps =
                c.prepareStatement("INSERT INTO task_groups (id, owner_id, created_at) VALUES (?, ?, ?)")) {
            ps.setObject(1, id.value());
            ps.setObject(2, owner.id());
            ps.setLong(3, now);
            ps.executeUpdate();
        }
        return id;
    }

    static TaskGroupId requireGroup(Connection c, Identity owner, TaskGroupId id) throws SQLException {
        if (!groupOwned(c, owner, id)) {
            throw new GantryException(ApiError.TASK_GROUP_NOT_FOUND, "task group " + id + " not found");
        }
        return id;
    }

    private static boolean groupOwned(Connection c, Identity owner, TaskGroupId id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM task_groups WHERE id = ? AND owner_id = ?")) {
            ps.setObject(1, id.value());
            ps.setObject(2, owner.id());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    public boolean groupOwned(Identity owner, TaskGroupId id) {
        return db.tx(c -> groupOwned(c, owner, id));
    }

    public Optional<TaskStatus> status(Identity owner, TaskId id) {
        return statuses(owner, List.of(id.value())).stream().findFirst();
    }

    /** The statuses of those of {@code ids} that {@code owner} owns. */
    public List<TaskStatus> statuses(Identity owner, Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return db.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + STATUS_COLUMNS + " FROM tasks WHERE owner_id = ?"
                    + " AND id IN (" + Rows.marks(ids.size()) + ")")) {
                ps.setObject(1, owner.id());
                Rows.setUuids(ps, 2, ids);
                return readStatuses(ps);
            }
        });
    }

    public Optional<TaskGroupDoc> group(Identity owner, TaskGroupId id) {
        return db.tx(c -> {
            if (!groupOwned(c, owner, id)) {
                return Optional.empty();
            }
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT id, created_at FROM tasks WHERE group_id = ? ORDER BY seq")) {
                ps.setObject(1, id.value());
                List<TaskGroupDoc.Member> members = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        members.add(new TaskGroupDoc.Member(
                                new TaskId(Rows.uuid(rs, "id")), rs.getLong("created_at") / 1000.0));
                    }
                }
                return Optional.of(new TaskGroupDoc(id, true, members));
            }
        });
    }

    /** Up to {@code limit} ended tasks of a group after {@code afterSeq}: what a reconnecting stream replays. */
    public List<TaskStatus> endedInGroup(TaskGroupId group, long afterSeq, int limit, long[] lastSeq) {
        return db.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT seq, " + STATUS_COLUMNS + " FROM tasks"
                    + " WHERE group_id = ? AND seq > ? AND NOT " + LIVE + " ORDER BY seq LIMIT ?")) {
                ps.setObject(1, group.value());
                ps.setLong(2, afterSeq);
                ps.setInt(3, limit);
                List<TaskStatus> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        lastSeq[0] = rs.getLong("seq");
                        out.add(TaskStatuses.read(rs));
                    }
                }
                return out;
            }
        });
    }

    /**
     * Records whether tasks are in the broker: false for tasks that could not be handed to it (the housekeeper
     * queues them later), true once it has them.
     */
    public void setQueued(Collection<TaskId> ids, boolean queued) {
        db.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE tasks SET queued = ? WHERE id = ?")) {
                for (TaskId id : ids) {
                    ps.setBoolean(1, queued);
                    ps.setObject(2, id.value());
                    ps.addBatch();
                }
                return ps.executeBatch().length;
            }
        });
    }

    /** Up to {@code limit} unfinished tasks that are not in the broker, oldest first. */
    public List<QueuedTask> unqueued(int limit) {
        return db.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT seq, id, group_id, endpoint_id, function_id,"
                    + " attempt, payload, resources, result_serializers FROM tasks WHERE queued = FALSE AND " + LIVE
                    + " ORDER BY seq LIMIT ?")) {
                ps.setInt(1, limit);
                return readQueued(ps);
            }
        });
    }

    /**
     * Marks every task waiting for its endpoint as not in the broker: at the start of a service whose broker
     * forgets. Leased tasks are the database's already.
     */
    public int unqueueWaiting() {
        return db.update("UPDATE tasks SET queued = FALSE WHERE " + StoredState.in(Set.of(TaskState.WAITING_FOR_EP)));
    }

    /** The stored statuses of {@code ids}, whoever owns them: what a duplicate result re-announces. */
    public List<TaskStatus> statusesOf(Collection<TaskId> ids) {
        return db.tx(c -> statuses(c, ids));
    }

    /** The stored statuses of {@code ids}, in the caller's transaction. */
    static List<TaskStatus> statuses(Connection c, Collection<TaskId> ids) throws SQLException {
        if (ids.isEmpty()) {
            return List.of();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT " + STATUS_COLUMNS + " FROM tasks WHERE id IN (" + Rows.marks(ids.size()) + ")")) {
            Rows.setUuids(ps, 1, ids.stream().map(TaskId::value).toList());
            return readStatuses(ps);
        }
    }

    /**
     * Expires tasks submitted before {@code beforeMs}: their payloads and results are dropped and they answer
     * {@code expired} from then on. Returns how many expired.
     */
    public int expire(long beforeMs, long nowMs) {
        db.update("DELETE FROM submit_keys WHERE created_at < ?", beforeMs);
        return db.tx(c -> TaskTransitions.expire(c, beforeMs, nowMs));
    }

    /** A cancel's outcome: the task's status after it, its endpoint, and whether it had not ended before. */
    public record Cancelled(TaskStatus status, EndpointId endpoint, boolean changed) {}

    /**
     * Cancels {@code owner}'s task if it has not ended: it ends {@code cancelled} (so a result that comes later
     * is dropped, and a queued copy is never dispatched). A task that had ended is left as it was.
     */
    public Optional<Cancelled> cancel(Identity owner, TaskId id, long nowMs) {
        return db.durableTx(c -> {
            String state;
            EndpointId endpoint;
            boolean dispatched;
            try (PreparedStatement ps = c.prepareStatement("SELECT state, endpoint_id, dispatched_at FROM tasks"
                    + " WHERE id = ? AND owner_id = ? FOR UPDATE")) {
                ps.setObject(1, id.value());
                ps.setObject(2, owner.id());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    state = rs.getString(1);
                    endpoint = new EndpointId(Rows.uuid(rs, "endpoint_id"));
                    dispatched = Rows.nullableLong(rs, "dispatched_at") != null;
                }
            }
            TaskState was = StoredState.visible(state, dispatched ? 0L : null, null);
            boolean changed =
                    TaskTransitions.cancel(c, id, "the task was cancelled by its submitter while " + was.wire(), nowMs);
            try (PreparedStatement ps = c.prepareStatement("SELECT " + STATUS_COLUMNS + " FROM tasks WHERE id = ?")) {
                ps.setObject(1, id.value());
                return Optional.of(new Cancelled(readStatuses(ps).get(0), endpoint, changed));
            }
        });
    }

    /** The task group of each of {@code ids} that exists. */
    public Map<TaskId, TaskGroupId> groupsOf(Collection<TaskId> ids) {
        return db.tx(c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT id, group_id FROM tasks WHERE id IN (" + Rows.marks(ids.size()) + ")")) {
                Rows.setUuids(ps, 1, ids.stream().map(TaskId::value).toList());
                Map<TaskId, TaskGroupId> out = new HashMap<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(new TaskId(Rows.uuid(rs, "id")), new TaskGroupId(Rows.uuid(rs, "group_id")));
                    }
                }
                return out;
            }
        });
    }

    private static List<QueuedTask> readQueued(PreparedStatement ps) throws SQLException {
        List<QueuedTask> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new QueuedTask(
                        rs.getLong("seq"),
                        new EndpointId(Rows.uuid(rs, "endpoint_id")),
                        new TaskMessage(
                                new TaskId(Rows.uuid(rs, "id")),
                                new TaskGroupId(Rows.uuid(rs, "group_id")),
                                rs.getInt("attempt"),
                                new FunctionId(Rows.uuid(rs, "function_id")),
                                rs.getString("payload"),
                                Rows.readJson(rs.getString("resources"), ResourceSpec.class),
                                Rows.split(rs.getString("result_serializers")))));
            }
        }
        return out;
    }

    private static List<TaskStatus> readStatuses(PreparedStatement ps) throws SQLException {
        List<TaskStatus> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(TaskStatuses.read(rs));
            }
        }
        return out;
    }
}
