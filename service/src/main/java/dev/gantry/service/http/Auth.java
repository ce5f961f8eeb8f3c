package dev.gantry.service.http;

import dev.gantry.protocol.ApiError;
import dev.gantry.protocol.GantryException;
import dev.gantry.service.ServiceSecurity;
import dev.gantry.service.auth.OidcTokens;
import dev.gantry.service.store.ApiTokens;
import dev.gantry.service.store.Identity;
import dev.gantry.service.store.IdentityStore;
import io.javalin.http.Context;
import io.javalin.websocket.WsContext;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves the bearer token of a request to an identity: one of the service's API tokens, or an OIDC provider's
 * access token (a JWT). An API token is looked up again after {@link #API_TOKEN_CACHE_MS}, so one revoked on
 * any instance stops working on every instance within seconds; a JWT's identity is kept for a minute at most,
 * never past the token's expiry.
 *
 * <p>Each identity may make {@code perSecond} requests a second (bursts of {@code burst}); past that it gets 429
 * {@code RATE_LIMITED} with {@code Retry-After}. A source address whose tokens failed {@link #FAILED_BURST} times
 * in quick succession may try one new token a second ({@link #FAILED_PER_S}); tokens this instance already knows
 * to be valid still pass, so others behind the same address who are signed in are not locked out.
 */
public final class Auth {
    static final long API_TOKEN_CACHE_MS = 5_000;
    static final int FAILED_BURST = 30;
    static final double FAILED_PER_S = 1;
    private static final long JWT_CACHE_MS = 60_000;
    private static final String ATTRIBUTE = "gantry.identity";
    private static final String LOGIN_AT = "gantry.login-at";
    private static final int CACHE_LIMIT = 10_000;
    private final ApiTokens tokens;
    private final OidcTokens oidc;
    private final IdentityStore identities;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final RateLimits perIdentity;
    private final RateLimits failures = new RateLimits(FAILED_PER_S, FAILED_BURST, System::nanoTime);

    /** A token's identity, when its holder signed in (null: not known), and until when that is believed. */
    private record Cached(Identity identity, long untilMs, Long loginAtMs) {}

    /** A rate of 0 in {@code security} lets every identity make as many requests as it likes. */
    public Auth(ApiTokens tokens, IdentityStore identities, Clock clock, ServiceSecurity security) {
        double perSecond = security.requestsPerSecond();
        int burst = security.requestBurst();
        this.tokens = tokens;
        this.oidc = new OidcTokens(security.oidc(), clock);
        this.identities = identities;
        this.clock = clock;
        this.perIdentity = perSecond > 0 ? new RateLimits(perSecond, burst, System::nanoTime) : null;
    }

    /** Authenticates the request, holds it to its identity's rate limit, and remembers the identity on it. */
    public void authenticate(Context ctx) {
        Cached signIn = identify(ctx.header("Authorization"), ctx.req().getRemoteAddr());
        Identity who = signIn.identity();
        if (perIdentity != null) {
            perIdentity.admit(
                    who.scope() != null ? who.scope() : who.id(),
                    who.username() == null ? "too many requests" : "too many requests from " + who.username());
        }
        ctx.attribute(ATTRIBUTE, who);
        ctx.attribute(LOGIN_AT, signIn.loginAtMs());
    }

    /**
     * When the caller signed in, as far as the service knows: an OIDC token's {@code auth_time} (or its issue
     * time), an API token's creation (made by someone signed in then); null if not known.
     */
    public static Long loginAt(Context ctx) {
        return ctx.attribute(LOGIN_AT);
    }

    public static Identity identity(Context ctx) {
        return unscoped(ctx.attribute(ATTRIBUTE));
    }

    public static Identity identity(WsContext ctx) {
        return unscoped(ctx.attribute(ATTRIBUTE));
    }

    /** The identity opening endpoint {@code endpoint}'s channel: a full token's, or one scoped to that endpoint. */
    public static Identity channelIdentity(Context ctx, UUID endpoint) {
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

    /** The OIDC login {@code token} proves, for linking it to the caller (never cached). */
    OidcTokens.Login login(String token) {
        if (!oidc.enabled() || !OidcTokens.looksLikeJwt(token)) {
            throw new GantryException(
                    ApiError.SEMANTICALLY_INVALID,
                    "token must be an access token of an identity provider" + " this service trusts"
                            + (oidc.enabled() ? "" : " (it trusts none: oidc_issuers)"));
        }
        return oidc.verify(token);
    }

    /** Forgets what this instance knows of {@code token} (it was just revoked here). */
    void forget(String tokenId) {
        cache.keySet().removeIf(t -> t.startsWith("gty_") && ApiTokens.idOf(t).equals(tokenId));
    }

    private Cached identify(String header, String source) {
        if (header == null || header.isBlank()) {
            throw new GantryException(
                    ApiError.UNAUTHORIZED, "a bearer token is required (Authorization: Bearer <token>)");
        }
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() > 8192) {
            throw new GantryException(ApiError.UNAUTHORIZED, "the Authorization header must be 'Bearer <token>'");
        }
        String token = header.substring(7).trim();
        long now = clock.millis();
        Cached known = cache.get(token);
        if (known != null && now < known.untilMs()) {
            return known;
        }
        cache.remove(token);
        if (failures.exhausted(source)) {
            throw new RateLimits.Refused("too many failed sign-ins from " + source, 1);
        }
        Cached fresh;
        try {
            fresh = oidc.enabled() && OidcTokens.looksLikeJwt(token) ? jwt(token, now) : apiToken(token, now);
        } catch (GantryException e) {
            if (e.code().httpStatus() == 401) {
                failures.take(source);
            }
            throw e;
        }
        if (cache.size() >= CACHE_LIMIT) {
            cache.clear();
        }
        cache.put(token, fresh);
        return fresh;
    }

    private Cached apiToken(String token, long now) {
        ApiTokens.TokenInfo t = tokens.lookup(token)
                .orElseThrow(() -> new GantryException(ApiError.UNAUTHORIZED, "the bearer token is not valid"));
        if (t.expired(now)) {
            throw new GantryException(
                    ApiError.TOKEN_EXPIRED,
                    "the bearer token expired; ask for a new one (gantry service token create)");
        }
        long until = now + API_TOKEN_CACHE_MS;
        return new Cached(t.identity(), t.expiresAt() == null ? until : Math.min(until, t.expiresAt()), t.createdAt());
    }

    private Cached jwt(String token, long now) {
        OidcTokens.Login login = oidc.verify(token);
        Identity who = identities
                .login(login.issuer(), login.subject(), login.username())
                .orElseThrow(() -> new GantryException(
                        ApiError.IDENTITY_CONFLICT,
                        "the username " + login.username() + " is another identity's already; signed in as that"
                                + " identity, link this login to it (POST /v3/identities/links)"));
        return new Cached(who, Math.min(now + JWT_CACHE_MS, login.expiresAtMs()), login.loginAtMs());
    }
}
