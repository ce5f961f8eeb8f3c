package dev.gantry.service.http;

import dev.gantry.protocol.ApiError;
import dev.gantry.protocol.GantryException;
import dev.gantry.service.store.Identity;
import dev.gantry.service.store.IdentityStore;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Resolves the bearer token of a request to an identity; known tokens are cached for a minute (so a revoked one
 *  stops working within a minute on every instance). */
public final class Auth {
    private static final String ATTRIBUTE = "gantry.identity";
    private static final int CACHE_LIMIT = 10_000;
    private static final long CACHE_MS = 60_000;
    private final IdentityStore identities;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(Identity identity, long atMs) {}

    public Auth(IdentityStore identities, Clock clock) {
        this.identities = identities;
        this.clock = clock;
    }

    /** Authenticates the request and remembers the identity on it. */
    public void authenticate(Context ctx) {
        ctx.attribute(ATTRIBUTE, identify(ctx.header("Authorization")));
    }

    public static Identity identity(Context ctx) {
        return unscoped(ctx.attribute(ATTRIBUTE));
    }

    public static Identity identity(io.javalin.websocket.WsContext ctx) {
        return unscoped(ctx.attribute(ATTRIBUTE));
    }

    /** The identity opening endpoint {@code endpoint}'s channel: a full token's, or one scoped to that endpoint. */
    public static Identity channelIdentity(Context ctx, java.util.UUID endpoint) {
        Identity who = ctx.attribute(ATTRIBUTE);
        if (who == null) {
            throw new GantryException(ApiError.UNAUTHORIZED, "a bearer token is required");
        }
        if (who.scope() != null && !who.scope().equals(endpoint)) {
            throw new GantryException(
                    ApiError.FORBIDDEN, "this token opens endpoint " + who.scope() + "'s channel only");
        }
        return who;
    }

    private static Identity unscoped(Identity who) {
        if (who == null) {
            throw new GantryException(ApiError.UNAUTHORIZED, "a bearer token is required");
        }
        if (who.scope() != null) {
            throw new GantryException(
                    ApiError.FORBIDDEN, "this token opens endpoint " + who.scope() + "'s channel only");
        }
        return who;
    }

    Identity identify(String header) {
        if (header == null || header.isBlank()) {
            throw new GantryException(
                    ApiError.UNAUTHORIZED, "a bearer token is required (Authorization: Bearer <token>)");
        }
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() > 4096) {
            throw new GantryException(ApiError.UNAUTHORIZED, "the Authorization header must be 'Bearer <token>'");
        }
        String token = header.substring(7).trim();
        long now = clock.millis();
        Cached known = cache.get(token);
        if (known != null && now - known.atMs() < CACHE_MS) {
            return known.identity();
        }
        Identity who = identities.byToken(token).orElseThrow(() -> {
            cache.remove(token);
            return new GantryException(ApiError.UNAUTHORIZED, "the bearer token is not valid");
        });
        if (cache.size() >= CACHE_LIMIT) {
            cache.clear();
        }
        cache.put(token, new Cached(who, now));
        return who;
    }
}
