package dev.gantry.protocol.api;

import java.util.List;
import java.util.UUID;

/**
 * A group of identities that functions may be shared with, as {@code /v3/groups} shows it to a member: its id,
 * name and owner (who manages its members), and its members when one group is asked for.
 */
public record GroupDoc(UUID groupId, String name, UUID ownerId, List<Member> members) {

    /** A member: its identity and username. */
    public record Member(UUID identityId, String username) {}

    /** {@code POST /v3/groups}: the new group's name. */
    public record Request(String name) {
        public Request {
            Check.text("name", name, 128);
        }
    }

    /** {@code GET /v3/groups}: the groups the caller belongs to. */
    public record Listing(List<GroupDoc> groups) {}
}
