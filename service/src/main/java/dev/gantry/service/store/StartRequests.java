package dev.gantry.service.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.protocol.EndpointId;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;
import java.util.UUID;

/** The start requests sent to endpoint managers and their answers ({@code user_endpoint_starts}). */
public final class StartRequests {
    private final Database db;

    public StartRequests(Database db) {
        this.db = db;
    }

    /** One request: for whom, which user endpoint, with what configuration and runtime. */
    public record Request(
            UUID requestId,
            EndpointId userEndpoint,
            EndpointId manager,
            UUID identity,
            JsonNode userConfig,
            JsonNode userRuntime,
            long requestedAt) {}

    /** An answer: {@code error} null means the user endpoint runs. */
    public record Answer(long answeredAt, String error) {}

    public void add(Request r) {
        db.durableTx(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO user_endpoint_starts (request_id,"
                    + " user_endpoint_id, manager_id, identity_id, user_config, user_runtime, requested_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                ps.setObject(1, r.requestId());
                ps.setObject(2, r.userEndpoint().value());
                ps.setObject(3, r.manager().value());
                ps.setObject(4, r.identity());
                ps.setString(5, Rows.jsonOrNull(r.userConfig()));
                ps.setString(6, Rows.jsonOrNull(r.userRuntime()));
                ps.setLong(7, r.requestedAt());
                return ps.executeUpdate();
            }
        });
    }

    /** The request, if {@code manager} was sent it and has not answered yet. */
    public Optional<Request> unanswered(UUID requestId, EndpointId manager) {
        return db.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT user_endpoint_id, identity_id, user_config,"
                    + " user_runtime, requested_at FROM user_endpoint_starts WHERE request_id = ? AND manager_id = ?"
                    + " AND answered_at IS NULL")) {
                ps.setObject(1, requestId);
                ps.setObject(2, manager.value());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new Request(
                            requestId,
                            new EndpointId(Rows.uuid(rs, "user_endpoint_id")),
                            manager,
                            Rows.uuid(rs, "identity_id"),
                            Rows.tree(rs.getString("user_config")),
                            Rows.tree(rs.getString("user_runtime")),
                            rs.getLong("requested_at")));
                }
            }
        });
    }

    /** Records the manager's answer; a manager can answer only its own requests, once. */
    public boolean answer(UUID requestId, EndpointId manager, String error, long nowMs) {
        return db.update(
                        "UPDATE user_endpoint_starts SET answered_at = ?, error = ? WHERE request_id = ?"
                                + " AND manager_id = ? AND answered_at IS NULL",
                        nowMs,
                        error,
                        requestId,
                        manager.value())
                == 1;
    }

    public Optional<Answer> answerOf(UUID requestId) {
        return db.tx(c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT answered_at, error FROM user_endpoint_starts WHERE request_id = ?")) {
                ps.setObject(1, requestId);
                try (ResultSet rs = ps.executeQuery()) {
                    Long at = rs.next() ? Rows.nullableLong(rs, "answered_at") : null;
                    return at == null ? Optional.empty() : Optional.of(new Answer(at, rs.getString("error")));
                }
            }
        });
    }

    /** Forgets requests made before {@code cutoffMs}. */
    public int purgeBefore(long cutoffMs) {
        return db.update("DELETE FROM user_endpoint_starts WHERE requested_at < ?", cutoffMs);
    }
}
