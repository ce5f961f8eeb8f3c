package dev.gantry.service.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

/** Identities and their API tokens; tokens are stored as SHA-256 hashes only. */
public final class IdentityStore {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Database db;

    public IdentityStore(Database db) {
        this.db = db;
    }

    public Identity findOrCreate(String username) {
        return db.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM identities WHERE username = ?")) {
                ps.setString(1, username);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return new Identity(rs.getObject(1, UUID.class), username);
                    }
                }
            }
            UUID id = UUID.randomUUID();
            try (PreparedStatement ps =
                    c.prepareStatement("INSERT INTO identities (id, username, created_at) VALUES (?, ?, ?)")) {
                ps.setObject(1, id);
                ps.setString(2, username);
                ps.setLong(3, System.currentTimeMillis());
                ps.executeUpdate();
            }
            return new Identity(id, username);
        });
    }

    /** Issues a new token for the identity; the plain token is returned once and never stored. */
    public String issueToken(Identity identity) {
        return issue(identity, null);
    }

    /** Issues a token that opens endpoint {@code scope}'s channel and nothing else (for a user endpoint). */
    public String issueScopedToken(Identity identity, UUID scope) {
        return issue(identity, scope);
    }

    private String issue(Identity identity, UUID scope) {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        String token = "gty_" + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        db.durableTx(c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("INSERT INTO api_tokens (token_hash, identity_id, created_at,"
                            + " endpoint_scope) VALUES (?, ?, ?, ?)")) {
                ps.setString(1, hash(token));
                ps.setObject(2, identity.id());
                ps.setLong(3, System.currentTimeMillis());
                ps.setObject(4, scope);
                return ps.executeUpdate();
            }
        });
        return token;
    }

    public void revoke(String token) {
        db.update("DELETE FROM api_tokens WHERE token_hash = ?", hash(token));
    }

    /** Revokes every token scoped to endpoint {@code scope} but {@code kept}. */
    public void revokeScopedExcept(UUID scope, String kept) {
        db.update("DELETE FROM api_tokens WHERE endpoint_scope = ? AND token_hash <> ?", scope, hash(kept));
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

    public Optional<Identity> byToken(String token) {
        String h = hash(token);
        return db.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT i.id, i.username, t.endpoint_scope FROM api_tokens t"
                    + " JOIN identities i ON i.id = t.identity_id WHERE t.token_hash = ?"
                    + " AND (t.expires_at IS NULL OR t.expires_at > ?)")) {
                ps.setString(1, h);
                ps.setLong(2, System.currentTimeMillis());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next()
                            ? Optional.of(new Identity(
                                    rs.getObject(1, UUID.class), rs.getString(2), rs.getObject(3, UUID.class)))
                            : Optional.empty();
                }
            }
        });
    }

    static String hash(String token) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
