package dev.gantry.service.store;

import dev.gantry.protocol.api.GroupDoc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Groups of identities that functions are shared with. Whoever makes a group owns it and is its first member; only
 * the owner adds and removes members; only members see a group ({@link #visible}), so to anyone else it does not
 * exist.
 */
public final class GroupStore {
    /** Groups one identity may belong to, and members one group may have. */
    public static final int MAX_GROUPS = 1000;

    public static final int MAX_MEMBERS = 10_000;
    private final Database db;
    private final Clock clock;

    public GroupStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** A new group owned by {@code owner}, who is its first member. */
    public GroupDoc create(Identity owner, String name) {
        UUID id = UUID.randomUUID();
        db.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO sharing_groups (id, name, owner_id, created_at) VALUES (?, ?, ?, ?)")) {
                ps.setObject(1, id);
                ps.setString(2, name);
                ps.setObject(3, owner.id());
                ps.setLong(4, clock.millis());
                ps.executeUpdate();
            }
            return add(c, id, owner.id());
        });
        return new GroupDoc(id, name, owner.id(), List.of(new GroupDoc.Member(owner.id(), owner.username())));
    }

    /** The group, with its members, if {@code who} is one of them. */
    public Optional<GroupDoc> visible(Identity who, UUID group) {
        return db.tx(c -> {
            if (!member(c, group, who.id())) {
                return Optional.empty();
            }
            GroupDoc g = header(c, group);
            List<GroupDoc.Member> members = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT i.id, i.username FROM group_members m"
                    + " JOIN identities i ON i.id = m.identity_id WHERE m.group_id = ? ORDER BY i.username")) {
                ps.setObject(1, group);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        members.add(new GroupDoc.Member(rs.getObject(1, UUID.class), rs.getString(2)));
                    }
                }
            }
            return Optional.of(new GroupDoc(g.groupId(), g.name(), g.ownerId(), members));
        });
    }

    /** The groups {@code who} belongs to, without their members. */
    public List<GroupDoc> of(Identity who) {
        return db.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT g.id, g.name, g.owner_id FROM sharing_groups g"
                    + " JOIN group_members m ON m.group_id = g.id WHERE m.identity_id = ? ORDER BY g.name, g.id")) {
                ps.setObject(1, who.id());
                ps.setMaxRows(MAX_GROUPS);
                List<GroupDoc> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new GroupDoc(
                                rs.getObject(1, UUID.class), rs.getString(2), rs.getObject(3, UUID.class), null));
                    }
                }
                return out;
            }
        });
    }

    /** Adds {@code member} to {@code group}; false if it was one already. */
    public boolean add(UUID group, UUID member) {
        return db.tx(c -> add(c, group, member));
    }

    /** Removes {@code member} from {@code group}; false if it was not one. */
    public boolean remove(UUID group, UUID member) {
        return db.update("DELETE FROM group_members WHERE group_id = ? AND identity_id = ?", group, member) > 0;
    }

    private static boolean add(Connection c, UUID group, UUID member) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO group_members (group_id, identity_id) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
            ps.setObject(1, group);
            ps.setObject(2, member);
            return ps.executeUpdate() > 0;
        }
    }

    static boolean member(Connection c, UUID group, UUID identity) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT 1 FROM group_members WHERE group_id = ? AND identity_id = ?")) {
            ps.setObject(1, group);
            ps.setObject(2, identity);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static GroupDoc header(Connection c, UUID group) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT name, owner_id FROM sharing_groups WHERE id = ?")) {
            ps.setObject(1, group);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new GroupDoc(group, rs.getString(1), rs.getObject(2, UUID.class), null);
            }
        }
    }
}
