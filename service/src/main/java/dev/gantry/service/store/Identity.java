package dev.gantry.service.store;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Who a bearer token belongs to. A token with a {@code scope} opens that one endpoint's channel and nothing
 * else: the service gives one to each user endpoint it asks a manager to start.
 */
public record Identity(UUID id, String username, UUID scope) {
    /** What a username may be: such as {@code alice@example.org}; identity mappings match it. */
    public static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._%+@-]{1,256}");

    public Identity(UUID id, String username) {
        this(id, username, null);
    }
}
