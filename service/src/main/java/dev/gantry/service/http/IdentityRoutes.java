package dev.gantry.service.http;

import dev.gantry.protocol.ApiError;
import dev.gantry.protocol.GantryException;
import dev.gantry.service.auth.OidcTokens;
import dev.gantry.service.store.ApiTokens;
import dev.gantry.service.store.Identity;
import dev.gantry.service.store.IdentityStore;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.UUID;

/**
 * {@code POST /v3/identities}: the service's administrator (its local identity) adds an identity, or gives an
 * existing one a new token; their usernames (such as {@code alice@example.org}) are what endpoint managers'
 * identity mappings match. {@code POST /v3/identities/links}: the caller links a login of an OIDC provider (an
 * access token of it, in the body) to itself, so that provider's tokens act as the caller from then on.
 */
public final class IdentityRoutes {
    private final IdentityStore identities;
    private final ApiTokens tokens;
    private final Auth auth;
    private final UUID admin;

    public record NewIdentity(String username) {}

    public record IssuedIdentity(UUID identityId, String username, String token) {}

    public record NewLink(String token) {}

    public record Linked(UUID identityId, String issuer, String subject, String username) {}

    public IdentityRoutes(IdentityStore identities, ApiTokens tokens, Auth auth, UUID admin) {
        this.identities = identities;
        this.tokens = tokens;
        this.auth = auth;
        this.admin = admin;
    }

    public void register(Javalin app) {
        app.post("/v3/identities", this::add);
        app.post("/v3/identities/links", this::link);
    }

    private void add(Context ctx) {
        if (!Auth.identity(ctx).id().equals(admin)) {
            throw new GantryException(ApiError.FORBIDDEN, "only the service's administrator adds identities");
        }
        NewIdentity body = Bodies.read(ctx, NewIdentity.class, 4096, ApiError.REQUEST_TOO_LARGE);
        if (body.username() == null
                || !Identity.USERNAME.matcher(body.username()).matches()) {
            throw new GantryException(
                    ApiError.SEMANTICALLY_INVALID, "username must be 1 to 256 letters, digits and . _ % + @ -");
        }
        Identity who = identities.findOrCreate(body.username());
        String token = tokens.issue(who, "added by the administrator", null).token();
        Replies.json(ctx, new IssuedIdentity(who.id(), who.username(), token));
    }

    private void link(Context ctx) {
        Identity me = Auth.identity(ctx);
        NewLink body = Bodies.read(ctx, NewLink.class, 16 * 1024, ApiError.REQUEST_TOO_LARGE);
        if (body.token() == null) {
            throw new GantryException(ApiError.SEMANTICALLY_INVALID, "token (the provider's access token) is required");
        }
        OidcTokens.Login login = auth.login(body.token());
        if (!identities.link(me, login.issuer(), login.subject(), login.username())) {
            throw new GantryException(
                    ApiError.IDENTITY_CONFLICT,
                    "that login (" + login.username() + " at " + login.issuer() + ") is linked to another identity");
        }
        Replies.json(ctx, new Linked(me.id(), login.issuer(), login.subject(), login.username()));
    }
}
