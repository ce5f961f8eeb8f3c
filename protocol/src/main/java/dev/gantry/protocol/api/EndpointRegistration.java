package dev.gantry.protocol.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.gantry.protocol.FunctionId;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * Body of {@code POST /v3/endpoints} and {@code PUT /v3/endpoints/{id}}. Gantry adds {@code manager}: the
 * endpoint is an endpoint manager, which runs no tasks itself but starts a user endpoint per submitter (for
 * anyone its identity mapping accepts if {@code multi_user}, else for its owner only). {@code allowed_functions}:
 * the only functions it runs (null: any); the service refuses others at submit with {@code FUNCTION_NOT_PERMITTED}.
 * {@code admins}: identities (ids or usernames) that may see, watch and lock it besides its owner.
 * {@code submit_policy}: who may submit (domains, login age), checked at every submit. {@code high_assurance}:
 * it runs only functions pinned to it, its results are never pushed, and it cannot stop being one.
 */
public record EndpointRegistration(
        String endpointName,
        String displayName,
        String version,
        boolean multiUser,
        @JsonProperty("public") boolean isPublic,
        EndpointMetadata metadata,
        boolean manager,
        List<FunctionId> allowedFunctions,
        List<String> admins,
        SubmitPolicy submitPolicy,
        boolean highAssurance) {
    public EndpointRegistration(
            String endpointName,
            String displayName,
            String version,
            boolean multiUser,
            boolean isPublic,
            EndpointMetadata metadata) {
        this(endpointName, displayName, version, multiUser, isPublic, metadata, false, null, null, null, false);
    }

    public static final int MAX_NAME = 128;
    public static final int MAX_ALLOWED_FUNCTIONS = 10_000;

    public EndpointRegistration {
        Check.text("endpoint_name", endpointName, MAX_NAME);
        Check.optionalText("display_name", displayName, 256);
        allowedFunctions = allowedFunctions(allowedFunctions);
        admins = admins(admins);
    }

    public static final int MAX_ADMINS = 100;

    /** Administrators as the service takes them: at most 100 identity ids or usernames, without repeats. */
    public static List<String> admins(List<String> given) {
        if (given == null) {
            return List.of();
        }
        if (given.size() > MAX_ADMINS) {
            throw Check.invalid("admins names at most " + MAX_ADMINS + " identities");
        }
        for (String a : given) {
            Check.text("an entry of admins", a, 256);
        }
        return List.copyOf(new LinkedHashSet<>(given));
    }

    /** An allow-list as the service keeps it: null (any function), or at most 10,000 ids, without repeats. */
    public static List<FunctionId> allowedFunctions(List<FunctionId> ids) {
        if (ids == null) {
            return null;
        }
        if (ids.size() > MAX_ALLOWED_FUNCTIONS) {
            throw Check.invalid("allowed_functions holds at most " + MAX_ALLOWED_FUNCTIONS + " function ids");
        }
        if (ids.stream().anyMatch(Objects::isNull)) {
            throw Check.invalid("allowed_functions holds function ids, not null");
        }
        return List.copyOf(new LinkedHashSet<>(ids));
    }
}
