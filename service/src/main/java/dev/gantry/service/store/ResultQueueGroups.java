package dev.gantry.service.store;

import dev.gantry.protocol.TaskGroupId;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Which task groups have a Globus Compute result queue, and whose they are. */
public final class ResultQueueGroups {
    private final Database db;

    public ResultQueueGroups(Database db) {
        this.db = db;
    }

    /** Records that {@code group} has a result queue. */
    public void mark(TaskGroupId group) {
        db.update("UPDATE task_groups SET result_queue = TRUE WHERE id = ? AND result_queue = FALSE", group.value());
    }

    /** The owners of those of {@code groups} that have a result queue, in one query. */
    public Map<TaskGroupId, UUID> owners(Collection<TaskGroupId> groups) {
        if (groups.isEmpty()) {
            return Map.of();
        }
        List<UUID> ids = groups.stream().map(TaskGroupId::value).distinct().toList();
        return db.tx(c -> {
            Map<TaskGroupId, UUID> out = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, owner_id FROM task_groups WHERE result_queue"
                    + " AND id IN (" + Rows.marks(ids.size()) + ")")) {
                Rows.setUuids(ps, 1, ids);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(new TaskGroupId(Rows.uuid(rs, "id")), Rows.uuid(rs, "owner_id"));
                    }
                }
            }
            return out;
        });
    }

    /** Every identity, whose broker users a deployment that goes away deletes. */
    public List<UUID> identities() {
        return db.tx(c -> {
            List<UUID> out = new java.util.ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM identities");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(Rows.uuid(rs, "id"));
                }
            }
            return out;
        });
    }

    /** The newest {@code limit} groups with a result queue, by owner: to declare again on a broker that forgot. */
    public Map<TaskGroupId, UUID> newest(int limit) {
        return db.tx(c -> {
            Map<TaskGroupId, UUID> out = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, owner_id FROM task_groups WHERE result_queue ORDER BY created_at DESC LIMIT ?")) {
                ps.setInt(1, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(new TaskGroupId(Rows.uuid(rs, "id")), Rows.uuid(rs, "owner_id"));
                    }
                }
            }
            return out;
        });
    }
}
