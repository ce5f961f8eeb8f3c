package dev.gantry.service.store;

import java.util.UUID;

/** Who a bearer token belongs to. */
public record Identity(UUID id, String username) {}
