package dev.gantry.service.http;

import dev.gantry.protocol.ApiError;
import dev.gantry.protocol.GantryException;
import dev.gantry.service.store.Identity;
import dev.gantry.service.store.IdentityStore;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * {@code POST /v3/identities}: the service's administrator (its local identity) adds an identity, or gives an
 * existing one a new token. Without a federated identity provider, this is how other people get tokens; their
 * usernames (such as {@code alice@example.org}) are what endpoint managers' identity mappings match.
 */
public final class IdentityRoutes {
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._%+@-]{1,256}");
    private final IdentityStore identities;
    private final UUID admin;

    public record NewIdentity(String username) {}

    public record IssuedIdentity(UUID identityId, String username, String token) {}

    public IdentityRoutes(IdentityStore identities, UUID admin) {
        this.identities = identities;
        this.admin = admin;
    }

    public void register(Javalin app) {
        app.post("/v3/identities", this::add);
    }

    private void add(Context ctx) {
        if (!Auth.identity(ctx).id().equals(admin)) {
            throw new GantryException(ApiError.FORBIDDEN, "only the service's administrator adds identities");
        }
        NewIdentity body = Bodies.read(ctx, NewIdentity.class, 4096, ApiError.REQUEST_TOO_LARGE);
        if (body.username() == null || !USERNAME.matcher(body.username()).matches()) {
            throw new GantryException(
                    ApiError.SEMANTICALLY_INVALID, "username must be 1 to 256 letters, digits and . _ % + @ -");
        }
        Identity who = identities.findOrCreate(body.username());
        Replies.json(ctx, new IssuedIdentity(who.id(), who.username(), identities.issueToken(who)));
    }
}
