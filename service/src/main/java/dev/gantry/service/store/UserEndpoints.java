package dev.gantry.service.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.protocol.EndpointId;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

/** The user endpoints of endpoint managers: registered on a submitter's first submit, with what started them. */
public final class UserEndpoints {
    private final Database db;
    private final Clock clock;

    public UserEndpoints(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /**
     * Registers user endpoint {@code id} of {@code manager} for {@code who}, unless it is registered: owned by the
     * manager's owner, private, named after its manager.
     */
    public void ensure(EndpointId id, EndpointTarget manager, Identity who, JsonNode config, JsonNode runtime) {
        if (registered(id)) {
            return;
        }
        try {
            db.durableTx(c -> {
                try (PreparedStatement ps =
                        c.prepareStatement("INSERT INTO endpoints (id, owner_id, name, display_name,"
                                + " multi_user, is_public, created_at, manager_id, user_identity_id, user_config, user_runtime)"
                                + " VALUES (?, ?, ?, ?, FALSE, FALSE, ?, ?, ?, ?, ?)")) {
                    ps.setObject(1, id.value());
                    ps.setObject(2, manager.owner());
                    ps.setString(3, "uep." + manager.id() + "." + id);
                    ps.setString(4, "user endpoint of " + who.username());
                    ps.setLong(5, clock.millis());
                    ps.setObject(6, manager.id().value());
                    ps.setObject(7, who.id());
                    ps.setString(8, Rows.jsonOrNull(config));
                    ps.setString(9, Rows.jsonOrNull(runtime));
                    return ps.executeUpdate();
                }
            });
        } catch (RuntimeException e) {
            if (!registered(id)) {
                throw e; // not another submit's insert of the same user endpoint
            }
        }
    }

    /** What a user endpoint was started for: its manager, its identity, the values and the runtime. */
    public record StartInputs(EndpointId manager, UUID identity, JsonNode config, JsonNode runtime) {}

    /** The start inputs of user endpoint {@code id}; empty for any other endpoint. */
    public Optional<StartInputs> startInputs(EndpointId id) {
        return db.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT manager_id, user_identity_id, user_config,"
                    + " user_runtime FROM endpoints WHERE id = ? AND manager_id IS NOT NULL")) {
                ps.setObject(1, id.value());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next()
                            ? Optional.of(new StartInputs(
                                    new EndpointId(Rows.uuid(rs, "manager_id")),
                                    Rows.uuid(rs, "user_identity_id"),
                                    Rows.tree(rs.getString("user_config")),
                                    Rows.tree(rs.getString("user_runtime"))))
                            : Optional.empty();
                }
            }
        });
    }

    private boolean registered(EndpointId id) {
        return db.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM endpoints WHERE id = ?")) {
                ps.setObject(1, id.value());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }
}
