package dev.gantry.service.store;

import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.FunctionId;
import dev.gantry.protocol.api.SubmitPolicy;
import java.util.Set;
import java.util.UUID;

/**
 * An endpoint as submits see it: its owner, whether it is an endpoint manager (and serves everyone its
 * mapping accepts) or a user endpoint (its manager and the identity it serves), its liveness, and the
 * functions it runs ({@code allowed} null: any) and who may submit ({@code policy} null: no more than
 * ownership or the mapping); a user endpoint's are its manager's. A high-assurance one runs only functions
 * pinned to it.
 */
public record EndpointTarget(
        EndpointId id,
        UUID owner,
        boolean manager,
        boolean multiUser,
        UUID managerId,
        UUID userIdentity,
        boolean connected,
        Long lastHeartbeatAt,
        int heartbeatPeriodMs,
        Set<FunctionId> allowed,
        SubmitPolicy policy,
        boolean highAssurance) {
    /** Whether this endpoint runs {@code fn}. */
    public boolean permits(FunctionId fn) {
        return allowed == null || allowed.contains(fn);
    }

    /** Connected, and heard from within two heartbeat periods. */
    public boolean online(long nowMs) {
        return connected && lastHeartbeatAt != null && nowMs - lastHeartbeatAt <= 2L * heartbeatPeriodMs;
    }

    /** Whether {@code who} may submit here (to a manager: then to the user endpoint it starts for them). */
    public boolean usableBy(Identity who) {
        return owner.equals(who.id()) || (manager && multiUser) || who.id().equals(userIdentity);
    }
}
