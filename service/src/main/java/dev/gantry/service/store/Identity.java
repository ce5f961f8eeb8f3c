package dev.gantry.service.store;

import java.util.UUID;

/**
 * Who a bearer token belongs to. A token with a {@code scope} opens that one endpoint's channel and nothing
 * else: the service gives one to each user endpoint it asks a manager to start.
 */
public record Identity(UUID id, String username, UUID scope) {
    public Identity(UUID id, String username) {
        this(id, username, null);
    }
}
