package dev.gantry.service.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

/**
 * Identities: a username each, and the OIDC logins (issuer and subject) linked to them. Their API tokens are
 * {@link ApiTokens}'.
 */
public final class IdentityStore {
    private final Database db;
    private final Clock clock;

    public IdentityStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    public Identity findOrCreate(String username) {
        return db.tx(c -> find(c, username).orElseGet(() -> create(c, username)));
    }

    /** The identity of {@code username}, if the service knows it; none is made. */
    public Optional<Identity> byUsername(String username) {
        return db.tx(c -> find(c, username));
    }

    public Optional<Identity> byId(UUID id) {
        return db.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT username FROM identities WHERE id = ?")) {
                ps.setObject(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new Identity(id, rs.getString(1))) : Optional.empty();
                }
            }
        });
    }

    /** The identity a provider's subject is linked to, if any. */
    public Optional<Identity> linked(String issuer, String subject) {
        return db.tx(c -> linked(c, issuer, subject));
    }

    /**
     * The identity {@code issuer}'s {@code subject} is linked to; at its first login, a new identity named
     * {@code username}, or empty when another identity has that name (it may link this login to itself).
     */
    public Optional<Identity> login(String issuer, String subject, String username) {
        return db.tx(c -> {
            Optional<Identity> known = linked(c, issuer, subject);
            if (known.isPresent() || find(c, username).isPresent()) {
                return known;
            }
            Identity fresh = create(c, username);
            insertLink(c, issuer, subject, fresh, username);
            return Optional.of(fresh);
        });
    }

    /** Links {@code issuer}'s {@code subject} to {@code identity}; false if it is linked to another one already. */
    public boolean link(Identity identity, String issuer, String subject, String username) {
        return db.tx(c -> {
            Optional<Identity> known = linked(c, issuer, subject);
            if (known.isPresent()) {
                return known.get().id().equals(identity.id());
            }
            insertLink(c, issuer, subject, identity, username);
            return true;
        });
    }

    private static Optional<Identity> linked(Connection c, String issuer, String subject) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT i.id, i.username FROM identity_links l"
                + " JOIN identities i ON i.id = l.identity_id WHERE l.issuer = ? AND l.subject = ?")) {
            ps.setString(1, issuer);
            ps.setString(2, subject);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next()
                        ? Optional.of(new Identity(rs.getObject(1, UUID.class), rs.getString(2)))
                        : Optional.empty();
            }
        }
    }

    private void insertLink(Connection c, String issuer, String subject, Identity who, String username)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO identity_links (issuer, subject, identity_id,"
                + " username, linked_at) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, issuer);
            ps.setString(2, subject);
            ps.setObject(3, who.id());
            ps.setString(4, username);
            ps.setLong(5, clock.millis());
            ps.executeUpdate();
        }
    }

    private static Optional<Identity> find(Connection c, String username) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM identities WHERE username = ?")) {
            ps.setString(1, username);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Identity(rs.getObject(1, UUID.class), username)) : Optional.empty();
            }
        }
    }

    private Identity create(Connection c, String username) {
        UUID id = UUID.randomUUID();
        try (PreparedStatement ps =
                c.prepareStatement("INSERT INTO identities (id, username, created_at) VALUES (?, ?, ?)")) {
            ps.setObject(1, id);
            ps.setString(2, username);
            ps.setLong(3, clock.millis());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("could not add identity " + username + ": " + e.getMessage(), e);
        }
        return new Identity(id, username);
    }
}
