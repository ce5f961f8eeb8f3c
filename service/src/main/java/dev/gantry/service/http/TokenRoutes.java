package dev.gantry.service.http;

import dev.gantry.protocol.ApiError;
import dev.gantry.protocol.GantryException;
import dev.gantry.protocol.api.TokenDoc;
import dev.gantry.service.store.ApiTokens;
import dev.gantry.service.store.Identity;
import dev.gantry.service.store.IdentityStore;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.UUID;

/**
 * The service's API tokens: {@code POST /v3/tokens} makes one (shown once), {@code GET /v3/tokens} lists the
 * caller's ({@code ?all=true}: everyone's, for the administrator), {@code DELETE /v3/tokens/{id}} revokes one and
 * {@code POST /v3/tokens/{id}/rotate} puts a new one in its place. Everyone manages their own tokens; the
 * service's administrator (its local identity) manages anyone's. Another's token id is {@code TOKEN_NOT_FOUND}.
 */
public final class TokenRoutes {
    static final int MAX_LISTED = 1000;
    /** The longest lifetime a token may be given: ten years. */
    static final long MAX_LIFETIME_S = 10L * 366 * 24 * 3600;

    private final ApiTokens tokens;
    private final IdentityStore identities;
    private final Auth auth;
    private final UUID admin;

    public TokenRoutes(ApiTokens tokens, IdentityStore identities, Auth auth, UUID admin) {
        this.tokens = tokens;
        this.identities = identities;
        this.auth = auth;
        this.admin = admin;
    }

    public void register(Javalin app) {
        app.post("/v3/tokens", this::create);
        app.get("/v3/tokens", this::list);
        app.delete("/v3/tokens/{id}", ctx -> {
            ApiTokens.TokenInfo t = mine(ctx);
            tokens.revoke(t);
            auth.forget(t.tokenId());
            Replies.json(ctx, doc(t, null));
        });
        app.post("/v3/tokens/{id}/rotate", ctx -> {
            ApiTokens.TokenInfo old = mine(ctx);
            ApiTokens.Issued fresh = tokens.rotate(old);
            auth.forget(old.tokenId());
            Replies.json(ctx, doc(fresh.info(), fresh.token()));
        });
    }

    private void create(Context ctx) {
        Identity me = Auth.identity(ctx);
        TokenDoc.Request body = Bodies.read(ctx, TokenDoc.Request.class, 4096, ApiError.REQUEST_TOO_LARGE);
        Identity whose = me;
        if (body.username() != null && !body.username().equals(me.username())) {
            if (!me.id().equals(admin)) {
                throw new GantryException(
                        ApiError.FORBIDDEN, "only the service's administrator makes tokens for others");
            }
            if (!Identity.USERNAME.matcher(body.username()).matches()) {
                throw invalid("username must be 1 to 256 letters, digits and . _ % + @ -");
            }
            whose = identities.findOrCreate(body.username());
        }
        if (body.name() != null
                && (body.name().length() > 128 || body.name().chars().anyMatch(c -> c < 0x20))) {
            throw invalid("name must be at most 128 characters, without control characters");
        }
        if (body.expiresIn() != null && (body.expiresIn() < 1 || body.expiresIn() > MAX_LIFETIME_S)) {
            throw invalid("expires_in must be 1 to " + MAX_LIFETIME_S + " seconds (leave it out: no expiry)");
        }
        ApiTokens.Issued issued =
                tokens.issue(whose, body.name(), body.expiresIn() == null ? null : body.expiresIn() * 1000);
        Replies.json(ctx, doc(issued.info(), issued.token()));
    }

    private void list(Context ctx) {
        Identity me = Auth.identity(ctx);
        boolean all = "true".equals(ctx.queryParam("all"));
        if (all && !me.id().equals(admin)) {
            throw new GantryException(ApiError.FORBIDDEN, "only the service's administrator lists everyone's tokens");
        }
        Replies.json(
                ctx,
                new TokenDoc.Listing(tokens.list(all ? null : me.id(), MAX_LISTED).stream()
                        .map(t -> doc(t, null))
                        .toList()));
    }

    /** The token of the path's id, if the caller may manage it. */
    private ApiTokens.TokenInfo mine(Context ctx) {
        Identity me = Auth.identity(ctx);
        String id = ctx.pathParam("id");
        return tokens.byId(id, me.id().equals(admin) ? null : me.id())
                .orElseThrow(() -> new GantryException(ApiError.TOKEN_NOT_FOUND, "no token " + id + " of yours"));
    }

    private static TokenDoc doc(ApiTokens.TokenInfo t, String secret) {
        return new TokenDoc(
                t.tokenId(), t.identityId(), t.username(), t.name(), t.createdAt(), t.expiresAt(), t.scope(), secret);
    }

    private static GantryException invalid(String message) {
        return new GantryException(ApiError.SEMANTICALLY_INVALID, message);
    }
}
