package dev.gantry.service.store;

import dev.gantry.protocol.ApiError;
import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.GantryException;
import dev.gantry.protocol.api.EndpointDoc;
import dev.gantry.protocol.api.EndpointMetadata;
import dev.gantry.protocol.api.EndpointRegistration;
import dev.gantry.protocol.api.EndpointStatus;
import dev.gantry.protocol.api.EndpointSummary;
import dev.gantry.protocol.api.StatusReport;
import dev.gantry.protocol.api.SubmitPolicy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** Registered endpoints and their liveness: connected flag, last heartbeat, last status report. */
public final class EndpointStore {
    private static final String COLUMNS =
            "e.id, e.owner_id, e.name, e.display_name, e.multi_user, e.is_public," + " e.metadata, i.username";
    private final Database db;
    private final Clock clock;
    private final Map<EndpointId, Boolean> highAssurance = new ConcurrentHashMap<>();

    public EndpointStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Registers a new endpoint, or re-registers {@code id}; someone else's endpoint is not found (404). */
    public EndpointId register(Identity owner, EndpointId id, EndpointRegistration r) {
        EndpointId eid = id == null ? EndpointId.random() : id;
        db.durableTx(c -> {
            UUID existingOwner = ownerOf(c, eid);
            if (existingOwner != null
                    && existingOwner.equals(owner.id())
                    && highAssurance(c, eid) != r.highAssurance()) {
                throw new GantryException(
                        ApiError.HIGH_ASSURANCE_IMMUTABLE,
                        "endpoint " + eid + " was registered with high_assurance " + !r.highAssurance()
                                + "; that never changes (register a new endpoint instead)");
            }
            if (existingOwner != null && !existingOwner.equals(owner.id())) {
                // as every other route answers for another's endpoint: it is not there for the caller
                throw new GantryException(
                        ApiError.ENDPOINT_NOT_FOUND,
                        "endpoint " + eid + " not found (an id another identity holds cannot be registered)");
            }
            String sql = existingOwner == null
                    ? "INSERT INTO endpoints (name, display_name, multi_user, is_public, metadata, is_manager,"
                            + " allowed_functions, submit_policy, owner_id, id, created_at, high_assurance)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    : "UPDATE endpoints SET name = ?, display_name = ?, multi_user = ?, is_public = ?, metadata = ?,"
                            + " is_manager = ?, allowed_functions = ?, submit_policy = ? WHERE owner_id = ? AND id = ?";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, r.endpointName());
                ps.setString(2, r.displayName());
                ps.setBoolean(3, r.multiUser());
                ps.setBoolean(4, r.isPublic());
                ps.setString(5, Rows.jsonOrNull(r.metadata()));
                ps.setBoolean(6, r.manager());
                ps.setString(7, Rows.jsonOrNull(r.allowedFunctions()));
                ps.setString(8, Rows.jsonOrNull(r.submitPolicy()));
                ps.setObject(9, owner.id());
                ps.setObject(10, eid.value());
                if (existingOwner == null) {
                    ps.setLong(11, clock.millis());
                    ps.setBoolean(12, r.highAssurance());
                }
                ps.executeUpdate();
            }
            EndpointAdmins.replace(c, eid, r.admins());
            return 1;
        });
        return eid;
    }

    private static boolean highAssurance(Connection c, EndpointId id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT high_assurance FROM endpoints WHERE id = ?")) {
            ps.setObject(1, id.value());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private static UUID ownerOf(Connection c, EndpointId id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT owner_id FROM endpoints WHERE id = ?")) {
            ps.setObject(1, id.value());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getObject(1, UUID.class) : null;
            }
        }
    }

    public Optional<EndpointTarget> target(EndpointId id) {
        return db.tx(c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT e.owner_id, e.is_manager, e.multi_user, e.manager_id,"
                            + " e.user_identity_id, e.connected, e.last_heartbeat_at, e.heartbeat_period_ms,"
                            + " CASE WHEN e.manager_id IS NULL THEN e.high_assurance ELSE m.high_assurance END AS ha,"
                            + " CASE WHEN e.manager_id IS NULL THEN e.allowed_functions ELSE m.allowed_functions END AS allowed,"
                            + " CASE WHEN e.manager_id IS NULL THEN e.submit_policy ELSE m.submit_policy END AS policy"
                            + " FROM endpoints e LEFT JOIN endpoints m ON m.id = e.manager_id WHERE e.id = ?")) {
                ps.setObject(1, id.value());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new EndpointTarget(
                            id,
                            Rows.uuid(rs, "owner_id"),
                            rs.getBoolean("is_manager"),
                            rs.getBoolean("multi_user"),
                            rs.getObject("manager_id", UUID.class),
                            rs.getObject("user_identity_id", UUID.class),
                            rs.getBoolean("connected"),
                            Rows.nullableLong(rs, "last_heartbeat_at"),
                            rs.getInt("heartbeat_period_ms"),
                            Rows.functionIds(rs.getString("allowed")),
                            Rows.readJson(rs.getString("policy"), SubmitPolicy.class),
                            rs.getBoolean("ha")));
                }
            }
        });
    }

    /** The endpoint if {@code who} owns it or is one of its admins. */
    public Optional<EndpointDoc> get(Identity who, EndpointId id) {
        List<EndpointDoc> found =
                query("WHERE e.id = ? AND " + EndpointAdmins.MANAGED_BY, id.value(), who.id(), who.id());
        return found.stream().findFirst();
    }

    /**
     * Whether {@code id} (or a user endpoint's manager) is high-assurance, cached: the flag never changes once
     * registered. An endpoint not (or no longer) registered is not.
     */
    public boolean highAssurance(EndpointId id) {
        Boolean known = highAssurance.get(id);
        if (known == null) {
            known = target(id).map(EndpointTarget::highAssurance).orElse(false);
            if (highAssurance.size() > 100_000) {
                highAssurance.clear();
            }
            highAssurance.put(id, known);
        }
        return known;
    }

    /** Whether {@code who} owns {@code id}: only its owner's credentials open its channel, not its admins'. */
    public boolean ownedBy(Identity who, EndpointId id) {
        return !query("WHERE e.id = ? AND e.owner_id = ?", id.value(), who.id()).isEmpty();
    }

    public List<EndpointSummary> list(Identity who) {
        return query("WHERE e.owner_id = ? ORDER BY e.created_at", who.id()).stream()
                .map(d -> new EndpointSummary(d.uuid(), d.name(), d.displayName(), d.owner()))
                .toList();
    }

    private List<EndpointDoc> query(String where, Object... params) {
        return db.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT " + COLUMNS + " FROM endpoints e JOIN identities i ON i.id = e.owner_id " + where)) {
                for (int i = 0; i < params.length; i++) {
                    ps.setObject(i + 1, params[i]);
                }
                List<EndpointDoc> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new EndpointDoc(
                                new EndpointId(Rows.uuid(rs, "id")),
                                rs.getString("name"),
                                rs.getString("display_name"),
                                rs.getString("username"),
                                rs.getBoolean("multi_user"),
                                rs.getBoolean("is_public"),
                                Rows.readJson(rs.getString("metadata"), EndpointMetadata.class)));
                    }
                }
                return out;
            }
        });
    }

    public boolean delete(Identity who, EndpointId id) {
        return db.update("DELETE FROM endpoints WHERE id = ? AND owner_id = ?", id.value(), who.id()) == 1;
    }

    /**
     * Records that service instance {@code instance} holds the channel of endpoint process {@code process}, unless
     * another process of the endpoint holds it and was heard from within three of its heartbeat periods (and
     * two seconds); false then. The same process may always connect again (it lost its old channel).
     */
    public boolean claimChannel(EndpointId id, UUID instance, UUID process, int heartbeatPeriodMs, int maxRetries) {
        long now = clock.millis();
        return db.update(
                        "UPDATE endpoints SET connected = TRUE, connected_instance = ?, channel_instance = ?,"
                                + " heartbeat_period_ms = ?, last_heartbeat_at = ?, max_retries = ? WHERE id = ?"
                                + " AND (connected = FALSE OR channel_instance IS NULL OR channel_instance = ?"
                                + " OR last_heartbeat_at IS NULL OR last_heartbeat_at + 3 * heartbeat_period_ms"
                                + " + 2000 < ?)",
                        instance,
                        process,
                        heartbeatPeriodMs,
                        now,
                        maxRetries,
                        id.value(),
                        process,
                        now)
                == 1;
    }

    /** Records that instance {@code instance} lost the endpoint's channel, unless another instance holds it now. */
    public void disconnected(EndpointId id, UUID instance) {
        db.update(
                "UPDATE endpoints SET connected = FALSE WHERE id = ? AND connected_instance = ?", id.value(), instance);
    }

    public void heartbeat(EndpointId id, StatusReport report) {
        db.update(
                "UPDATE endpoints SET last_heartbeat_at = ?, status_report = ? WHERE id = ?",
                clock.millis(),
                Rows.jsonOrNull(report),
                id.value());
    }

    /** Online: connected, and heard from within two heartbeat periods. */
    public Optional<EndpointStatus> status(Identity who, EndpointId id, long nowMs) {
        return db.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT connected, heartbeat_period_ms,"
                    + " last_heartbeat_at, status_report FROM endpoints e WHERE e.id = ? AND "
                    + EndpointAdmins.MANAGED_BY)) {
                ps.setObject(1, id.value());
                ps.setObject(2, who.id());
                ps.setObject(3, who.id());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    Long last = Rows.nullableLong(rs, "last_heartbeat_at");
                    boolean online = rs.getBoolean("connected")
                            && last != null
                            && nowMs - last <= 2L * rs.getInt("heartbeat_period_ms");
                    return Optional.of(new EndpointStatus(
                            online ? EndpointStatus.ONLINE : EndpointStatus.OFFLINE,
                            Rows.readJson(rs.getString("status_report"), StatusReport.class),
                            last == null ? null : last / 1000.0));
                }
            }
        });
    }
}
