package dev.gantry.protocol.api;

import java.util.List;
import java.util.UUID;

/**
 * One of the service's API tokens, as {@code /v3/tokens} shows it: its id (the first 16 hex digits of its hash),
 * whose it is, its name, when it was made and expires (milliseconds since the epoch; none: it never expires), the
 * endpoint it is limited to if any. {@code token} is the secret itself, present only in the reply that made it.
 */
public record TokenDoc(
        String tokenId,
        UUID identityId,
        String username,
        String name,
        long createdAt,
        Long expiresAt,
        UUID endpointScope,
        String token) {

    /** {@code POST /v3/tokens}: for whom (the caller when absent; others' only for the administrator), a name,
     *  and a lifetime in seconds (absent: it never expires). */
    public record Request(String username, String name, Long expiresIn) {}

    /** {@code GET /v3/tokens}. */
    public record Listing(List<TokenDoc> tokens) {}
}
