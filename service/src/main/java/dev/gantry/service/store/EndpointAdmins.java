package dev.gantry.service.store;

import dev.gantry.protocol.ApiError;
import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.GantryException;
import dev.gantry.protocol.Ids;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * An endpoint's admins: identities that may see, watch and lock it as its owner may (deleting it, registering
 * it again and submitting to a personal one stay its owner's).
 */
final class EndpointAdmins {
    /** The SQL condition "{@code e} is managed by the identity bound twice after it". */
    static final String MANAGED_BY = "(e.owner_id = ? OR EXISTS (SELECT 1 FROM endpoint_admins a"
            + " WHERE a.endpoint_id = e.id AND a.identity_id = ?))";

    private EndpointAdmins() {}

    /** Makes {@code given} (identity ids or usernames) the admins of {@code id}; an unknown one is a 422. */
    static void replace(Connection c, EndpointId id, List<String> given) throws SQLException {
        Set<UUID> admins = new LinkedHashSet<>();
        for (String who : given) {
            admins.add(resolve(c, who));
        }
        try (PreparedStatement del = c.prepareStatement("DELETE FROM endpoint_admins WHERE endpoint_id = ?")) {
            del.setObject(1, id.value());
            del.executeUpdate();
        }
        try (PreparedStatement ins =
                c.prepareStatement("INSERT INTO endpoint_admins (endpoint_id, identity_id) VALUES (?, ?)")) {
            for (UUID admin : admins) {
                ins.setObject(1, id.value());
                ins.setObject(2, admin);
                ins.addBatch();
            }
            ins.executeBatch();
        }
    }

    private static UUID resolve(Connection c, String who) throws SQLException {
        boolean byId = Ids.canonical(who);
        try (PreparedStatement ps =
                c.prepareStatement("SELECT id FROM identities WHERE " + (byId ? "id = ?" : "username = ?"))) {
            ps.setObject(1, byId ? UUID.fromString(who) : who);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return rs.getObject(1, UUID.class);
                }
            }
        }
        throw new GantryException(
                ApiError.SEMANTICALLY_INVALID, "admins names '" + who + "', which is no identity of this service");
    }
}
