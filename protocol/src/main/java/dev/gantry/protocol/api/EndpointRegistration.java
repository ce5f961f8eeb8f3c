package dev.gantry.protocol.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.gantry.protocol.FunctionId;
import java.util.List;

/**
 * Body of {@code POST /v3/endpoints} and {@code PUT /v3/endpoints/{id}}. Gantry adds {@code manager}: the
 * endpoint is an endpoint manager, which runs no tasks itself but starts a user endpoint per submitter (for
 * anyone its identity mapping accepts if {@code multi_user}, else for its owner only). {@code allowed_functions}:
 * the only functions it runs (null: any); the service refuses others at submit with {@code FUNCTION_NOT_PERMITTED}.
 */
public record EndpointRegistration(
        String endpointName,
        String displayName,
        String version,
        boolean multiUser,
        @JsonProperty("public") boolean isPublic,
        EndpointMetadata metadata,
        boolean manager,
        List<FunctionId> allowedFunctions) {
    public EndpointRegistration(
            String endpointName,
            String displayName,
            String version,
            boolean multiUser,
            boolean isPublic,
            EndpointMetadata metadata) {
        this(endpointName, displayName, version, multiUser, isPublic, metadata, false, null);
    }

    public static final int MAX_NAME = 128;
    public static final int MAX_ALLOWED_FUNCTIONS = 10_000;

    public EndpointRegistration {
        Check.text("endpoint_name", endpointName, MAX_NAME);
        Check.optionalText("display_name", displayName, 256);
        allowedFunctions = allowedFunctions(allowedFunctions);
    }

    /** An allow-list as the service keeps it: null (any function), or at most 10,000 ids, without repeats. */
    public static List<FunctionId> allowedFunctions(List<FunctionId> ids) {
        if (ids == null) {
            return null;
        }
        if (ids.size() > MAX_ALLOWED_FUNCTIONS) {
            throw Check.invalid("allowed_functions holds at most " + MAX_ALLOWED_FUNCTIONS + " function ids");
        }
        if (ids.stream().anyMatch(java.util.Objects::isNull)) {
            throw Check.invalid("allowed_functions holds function ids, not null");
        }
        return List.copyOf(new java.util.LinkedHashSet<>(ids));
    }
}
