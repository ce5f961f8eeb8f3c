package dev.gantry.service.store;

import dev.gantry.protocol.ApiError;
import dev.gantry.protocol.FunctionId;
import dev.gantry.protocol.GantryException;
import dev.gantry.protocol.api.FunctionDoc;
import dev.gantry.protocol.api.FunctionMeta;
import dev.gantry.protocol.api.FunctionRegistration;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Registered functions. Their code never changes, so reads for dispatch are cached by the caller. Deleting
 * hides a function from its owner and from new submissions; tasks submitted before still get its code.
 */
public final class FunctionStore {
    private static final long DAY_MS = 86_400_000L;
    private final Database db;
    private final Clock clock;
    private final Map<UUID, Long> lastUseRecorded = new ConcurrentHashMap<>();

    public FunctionStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    public FunctionId register(Identity owner, FunctionRegistration r) {
        FunctionId id = FunctionId.random();
        db.durableTx(c -> {
            if (r.group() != null && !GroupStore.member(c, r.group(), owner.id())) {
                throw new GantryException(ApiError.GROUP_NOT_FOUND, "group " + r.group() + " not found");
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO functions"
                    + " (id, owner_id, name, code, description, meta, created_at, is_public, ha_endpoint_id, group_id)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setObject(1, id.value());
                ps.setObject(2, owner.id());
                ps.setString(3, r.functionName());
                ps.setString(4, ClassFileBlobs.store(c, r.functionCode()));
                ps.setString(5, r.description());
                ps.setString(6, Rows.jsonOrNull(r.meta()));
                ps.setLong(7, clock.millis());
                ps.setBoolean(8, r.isPublic());
                ps.setObject(
                        9, r.haEndpointId() == null ? null : r.haEndpointId().value());
                ps.setObject(10, r.group());
                return ps.executeUpdate();
            }
        });
        return id;
    }

    /** The function if {@code who} owns it, it is public or shared with a group of theirs, and it is not deleted. */
    public Optional<FunctionDoc> get(Identity who, FunctionId id) {
        return runnable(who, List.of(id.value())).isEmpty() ? Optional.empty() : find(id);
    }

    /** The function whoever owns it, deleted or not: for sending to an endpoint that has a task of it. */
    public Optional<FunctionDoc> forDispatch(FunctionId id) {
        return find(id);
    }

    /** A function someone may run, and the high-assurance endpoint it is pinned to (null: none). */
    public record RunnableFunction(UUID id, UUID pinnedTo) {}

    /** Of {@code ids}, those {@code who} may run: not deleted, and theirs, public, or shared with a group of theirs. */
    public List<RunnableFunction> runnable(Identity who, Collection<UUID> ids) {
        return db.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, ha_endpoint_id FROM functions"
                    + " WHERE (owner_id = ? OR is_public OR group_id IN"
                    + " (SELECT group_id FROM group_members WHERE identity_id = ?))"
                    + " AND deleted_at IS NULL AND id IN (" + Rows.marks(ids.size()) + ")")) {
                ps.setObject(1, who.id());
                ps.setObject(2, who.id());
                Rows.setUuids(ps, 3, ids);
                List<RunnableFunction> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new RunnableFunction(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class)));
                    }
                }
                return out;
            }
        });
    }

    /**
     * Records that pinned (high-assurance) functions {@code ids} were submitted now: at most once a day each, so
     * a busy endpoint's submits write nothing more.
     */
    public void used(Collection<UUID> ids) {
        long now = clock.millis();
        List<UUID> stale = ids.stream()
                .filter(id -> lastUseRecorded.getOrDefault(id, 0L) < now - DAY_MS)
                .toList();
        if (stale.isEmpty()) {
            return;
        }
        db.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE functions SET last_used_at = ? WHERE id IN (" + Rows.marks(stale.size()) + ")")) {
                ps.setLong(1, now);
                Rows.setUuids(ps, 2, stale);
                return ps.executeUpdate();
            }
        });
        if (lastUseRecorded.size() > 100_000) {
            lastUseRecorded.clear();
        }
        stale.forEach(id -> lastUseRecorded.put(id, now));
    }

    /** Deletes the high-assurance functions not submitted since {@code idleSinceMs}; returns how many. */
    public int purgeIdleHighAssurance(long idleSinceMs) {
        return db.update(
                "UPDATE functions SET deleted_at = ? WHERE ha_endpoint_id IS NOT NULL AND deleted_at IS NULL"
                        + " AND COALESCE(last_used_at, created_at) < ?",
                clock.millis(),
                idleSinceMs);
    }

    public boolean delete(Identity owner, FunctionId id) {
        return db.update(
                        "UPDATE functions SET deleted_at = ? WHERE id = ? AND owner_id = ? AND deleted_at IS NULL",
                        clock.millis(),
                        id.value(),
                        owner.id())
                == 1;
    }

    private Optional<FunctionDoc> find(FunctionId id) {
        return db.tx(c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT name, code, description, meta FROM functions WHERE id = ?")) {
                ps.setObject(1, id.value());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new FunctionDoc(
                            id,
                            rs.getString("name"),
                            ClassFileBlobs.load(c, rs.getString("code")),
                            rs.getString("description"),
                            Rows.readJson(rs.getString("meta"), FunctionMeta.class)));
                }
            }
        });
    }
}
