package dev.gantry.service.http;

import dev.gantry.protocol.ApiError;
import dev.gantry.protocol.GantryException;
import dev.gantry.protocol.Ids;
import dev.gantry.protocol.api.GroupDoc;
import dev.gantry.service.store.GroupStore;
import dev.gantry.service.store.Identity;
import dev.gantry.service.store.IdentityStore;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.UUID;

/**
 * Sharing groups: {@code POST /v3/groups} makes one (the caller owns it and is its first member), {@code GET
 * /v3/groups} lists the caller's, {@code GET /v3/groups/{id}} shows one with its members, and {@code PUT} and
 * {@code DELETE /v3/groups/{id}/members/{member}} (a username or identity id) add and remove members, for the
 * owner only. A group the caller is not in is {@code GROUP_NOT_FOUND}; a member who does not own it is refused
 * 403. A function registered with {@code group} is seen and run by the group's members.
 */
public final class GroupRoutes {
    private final GroupStore groups;
    private final IdentityStore identities;

    public GroupRoutes(GroupStore groups, IdentityStore identities) {
        this.groups = groups;
        this.identities = identities;
    }

    public void register(Javalin app) {
        app.post("/v3/groups", ctx -> {
            GroupDoc.Request r = Bodies.read(ctx, GroupDoc.Request.class, 4096, ApiError.REQUEST_TOO_LARGE);
            Identity me = Auth.identity(ctx);
            if (groups.of(me).size() >= GroupStore.MAX_GROUPS) {
                throw invalid("an identity belongs to at most " + GroupStore.MAX_GROUPS + " groups");
            }
            Replies.json(ctx, groups.create(me, r.name()));
        });
        app.get("/v3/groups", ctx -> Replies.json(ctx, new GroupDoc.Listing(groups.of(Auth.identity(ctx)))));
        app.get("/v3/groups/{id}", ctx -> Replies.json(ctx, visible(ctx)));
        app.put("/v3/groups/{id}/members/{member}", ctx -> {
            GroupDoc g = owned(ctx);
            if (g.members().size() >= GroupStore.MAX_MEMBERS) {
                throw invalid("a group has at most " + GroupStore.MAX_MEMBERS + " members");
            }
            groups.add(g.groupId(), member(ctx).id());
            Replies.json(ctx, visible(ctx));
        });
        app.delete("/v3/groups/{id}/members/{member}", ctx -> {
            GroupDoc g = owned(ctx);
            UUID member = member(ctx).id();
            if (member.equals(g.ownerId())) {
                throw invalid("the owner of a group stays a member of it");
            }
            groups.remove(g.groupId(), member);
            Replies.json(ctx, visible(ctx));
        });
    }

    private GroupDoc visible(Context ctx) {
        UUID id = Ids.parse("group id", ctx.pathParam("id"));
        return groups.visible(Auth.identity(ctx), id)
                .orElseThrow(() -> new GantryException(ApiError.GROUP_NOT_FOUND, "group " + id + " not found"));
    }

    private GroupDoc owned(Context ctx) {
        GroupDoc g = visible(ctx);
        if (!g.ownerId().equals(Auth.identity(ctx).id())) {
            throw new GantryException(
                    ApiError.FORBIDDEN, "only the owner of group " + g.groupId() + " manages its members");
        }
        return g;
    }

    private Identity member(Context ctx) {
        String who = ctx.pathParam("member");
        return (Ids.canonical(who) ? identities.byId(Ids.parse("identity id", who)) : identities.byUsername(who))
                .orElseThrow(() -> new GantryException(ApiError.IDENTITY_NOT_FOUND, "no identity " + who));
    }

    private static GantryException invalid(String message) {
        return new GantryException(ApiError.SEMANTICALLY_INVALID, message);
    }
}
