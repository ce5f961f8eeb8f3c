package dev.gantry.service.store;

import dev.gantry.protocol.ApiError;
import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.GantryException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * Endpoints locked by their owners or admins (Globus Compute's {@code stop_endpoint}): until the lock expires, the
 * endpoint's channels are refused and it cannot register again, so a stopped endpoint stays stopped.
 */
public final class EndpointLocks {
    private final Database db;

    public EndpointLocks(Database db) {
        this.db = db;
    }

    /**
     * Locks {@code id} until {@code untilMs} if {@code who} owns it or is one of its admins; false if not (or no
     * such one).
     */
    public boolean lock(UUID who, EndpointId id, long untilMs) {
        return db.update(
                        "UPDATE endpoints e SET locked_until = ? WHERE e.id = ? AND " + EndpointAdmins.MANAGED_BY,
                        untilMs,
                        id.value(),
                        who,
                        who)
                == 1;
    }

    /** Refuses {@code id} with {@code ENDPOINT_LOCKED} and when the lock ends, if it is locked at {@code nowMs}. */
    public void refuseIfLocked(EndpointId id, long nowMs) {
        lockedUntil(id, nowMs).ifPresent(until -> {
            throw new GantryException(
                    ApiError.ENDPOINT_LOCKED,
                    "endpoint " + id + " was stopped by its owner or an admin and is locked until "
                            + Instant.ofEpochMilli(until));
        });
    }

    /** Until when {@code id} is locked, if it is locked at {@code nowMs}. */
    public OptionalLong lockedUntil(EndpointId id, long nowMs) {
        return db.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT locked_until FROM endpoints WHERE id = ?")) {
                ps.setObject(1, id.value());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        long until = rs.getLong(1);
                        if (!rs.wasNull() && until > nowMs) {
                            return OptionalLong.of(until);
                        }
                    }
                    return OptionalLong.empty();
                }
            }
        });
    }
}
