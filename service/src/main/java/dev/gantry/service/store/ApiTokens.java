package dev.gantry.service.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The service's own API tokens, stored as SHA-256 hashes only. A token is known by its id, the first 16 hex
 * digits of its hash, which is what lists show and what revoking and rotating take.
 */
public final class ApiTokens {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern ID = Pattern.compile("[0-9a-f]{16}");
    private static final String COLUMNS = "t.token_hash, t.identity_id, i.username, t.name, t.created_at,"
            + " t.expires_at, t.endpoint_scope FROM api_tokens t JOIN identities i ON i.id = t.identity_id";
    private final Database db;
    private final Clock clock;

    /** What is known of a token, never the token itself; {@code expiresAt} is null for one that never expires. */
    public record TokenInfo(
            String tokenId, UUID identityId, String username, String name, long createdAt, Long expiresAt, UUID scope) {
        public Identity identity() {
            return new Identity(identityId, username, scope);
        }

        public boolean expired(long nowMs) {
            return expiresAt != null && expiresAt <= nowMs;
        }
    }

    /** A token just made: its secret (shown once) and what is known of it. */
    public record Issued(String token, TokenInfo info) {}

    public ApiTokens(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Now, by the clock the tokens' expiries are read by. */
    public long nowMs() {
        return clock.millis();
    }

    /** Issues a token for {@code identity} that lives {@code lifetimeMs} (null: it never expires). */
    public Issued issue(Identity identity, String name, Long lifetimeMs) {
        return issue(identity, null, name, lifetimeMs);
    }

    /** Issues a token that opens endpoint {@code scope}'s channel and nothing else (for a user endpoint). */
    public String issueScoped(Identity identity, UUID scope) {
        return issue(identity, scope, "user endpoint " + scope, null).token();
    }

    private Issued issue(Identity identity, UUID scope, String name, Long lifetimeMs) {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        String token = "gty_" + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        long now = clock.millis();
        Long expiresAt = lifetimeMs == null ? null : now + lifetimeMs;
        String hash = hash(token);
        db.durableTx(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO api_tokens (token_hash, identity_id,"
                    + " created_at, expires_at, endpoint_scope, name) VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, hash);
                ps.setObject(2, identity.id());
                ps.setLong(3, now);
                ps.setObject(4, expiresAt);
                ps.setObject(5, scope);
                ps.setString(6, name);
                return ps.executeUpdate();
            }
        });
        return new Issued(
                token, new TokenInfo(id(hash), identity.id(), identity.username(), name, now, expiresAt, scope));
    }

    /** The token's record, expired or not (the caller tells the two apart, to say which it is). */
    public Optional<TokenInfo> lookup(String token) {
        return one("WHERE t.token_hash = ?", hash(token));
    }

    /** Token {@code tokenId}, if it is {@code owner}'s (any identity's when {@code owner} is null). */
    public Optional<TokenInfo> byId(String tokenId, UUID owner) {
        if (tokenId == null || !ID.matcher(tokenId).matches()) {
            return Optional.empty();
        }
        return one("WHERE t.token_hash LIKE ?", tokenId + "%")
                .filter(t -> owner == null || owner.equals(t.identityId()));
    }

    /** {@code owner}'s tokens (every identity's when {@code owner} is null), newest first, at most {@code limit}. */
    public List<TokenInfo> list(UUID owner, int limit) {
        return db.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                    + (owner == null ? "" : " WHERE t.identity_id = ?") + " ORDER BY t.created_at DESC LIMIT ?")) {
                int i = 1;
                if (owner != null) {
                    ps.setObject(i++, owner);
                }
                ps.setInt(i, limit);
                return all(ps);
            }
        });
    }

    /** Revokes token {@code tokenId}; false if there was none. */
    public boolean revoke(TokenInfo token) {
        return db.update("DELETE FROM api_tokens WHERE token_hash LIKE ?", token.tokenId() + "%") > 0;
    }

    /** Revokes the token {@code token} (its secret). */
    public void revokeSecret(String token) {
        db.update("DELETE FROM api_tokens WHERE token_hash = ?", hash(token));
    }

    /** Revokes every token scoped to endpoint {@code scope}. */
    public void revokeScoped(UUID scope) {
        db.update("DELETE FROM api_tokens WHERE endpoint_scope = ?", scope);
    }

    /** Revokes every token scoped to endpoint {@code scope} but {@code kept}. */
    public void revokeScopedExcept(UUID scope, String kept) {
        db.update("DELETE FROM api_tokens WHERE endpoint_scope = ? AND token_hash <> ?", scope, hash(kept));
    }

    /** A new token in place of {@code old}: same identity and name, as long a lifetime from now; old is revoked. */
    public Issued rotate(TokenInfo old) {
        Long lifetime = old.expiresAt() == null ? null : old.expiresAt() - old.createdAt();
        Issued fresh = issue(old.identity(), old.scope(), old.name(), lifetime);
        revoke(old);
        return fresh;
    }

    private Optional<TokenInfo> one(String where, String param) {
        return db.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " " + where)) {
                ps.setString(1, param);
                List<TokenInfo> found = all(ps);
                return found.size() == 1 ? Optional.of(found.get(0)) : Optional.empty();
            }
        });
    }

    private static List<TokenInfo> all(PreparedStatement ps) throws SQLException {
        List<TokenInfo> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long expires = rs.getLong(6);
                Long expiresAt = rs.wasNull() ? null : expires;
                out.add(new TokenInfo(
                        id(rs.getString(1)),
                        rs.getObject(2, UUID.class),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getLong(5),
                        expiresAt,
                        rs.getObject(7, UUID.class)));
            }
        }
        return out;
    }

    /** The id of token {@code token} (its secret). */
    public static String idOf(String token) {
        return id(hash(token));
    }

    private static String id(String hash) {
        return hash.substring(0, 16);
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
