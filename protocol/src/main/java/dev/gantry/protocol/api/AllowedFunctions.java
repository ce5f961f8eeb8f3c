package dev.gantry.protocol.api;

import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.FunctionId;
import java.util.List;

/**
 * Reply of {@code GET /v3/endpoints/{id}/allowed_functions}: whether the endpoint runs only the functions it
 * lists ({@code restricted}), and which. For a user endpoint, its manager's list.
 */
public record AllowedFunctions(EndpointId endpointId, boolean restricted, List<FunctionId> functions) {}
