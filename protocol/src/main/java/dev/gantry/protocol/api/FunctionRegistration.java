package dev.gantry.protocol.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.gantry.protocol.EndpointId;
import java.util.UUID;

/**
 * Body of {@code POST /v3/functions}. {@code function_code} is a packed, strategy-tagged buffer. A {@code public}
 * function may be run by every identity of the service (as Globus Compute's), one with a {@code group} by that
 * sharing group's members; only its owner may delete it. A function with {@code ha_endpoint_id} runs on that
 * high-assurance endpoint only, and is never public or shared.
 */
public record FunctionRegistration(
        String functionName,
        String functionCode,
        String description,
        FunctionMeta meta,
        @JsonProperty("public") boolean isPublic,
        EndpointId haEndpointId,
        UUID group) {
    public static final int MAX_NAME = 256;

    public FunctionRegistration(String functionName, String functionCode, String description, FunctionMeta meta) {
        this(functionName, functionCode, description, meta, false, null, null);
    }

    /** The same function, to be run by every identity of the service. */
    public FunctionRegistration publicToAll() {
        return new FunctionRegistration(functionName, functionCode, description, meta, true, null, group);
    }

    /** The same function, to be run by the members of sharing group {@code group} too. */
    public FunctionRegistration sharedWith(UUID group) {
        return new FunctionRegistration(functionName, functionCode, description, meta, isPublic, haEndpointId, group);
    }

    /** The same function, pinned to high-assurance endpoint {@code endpoint}: it runs there only. */
    public FunctionRegistration pinnedTo(EndpointId endpoint) {
        return new FunctionRegistration(functionName, functionCode, description, meta, false, endpoint, null);
    }

    public FunctionRegistration {
        Check.text("function_name", functionName, MAX_NAME);
        if (functionCode == null || functionCode.isEmpty()) {
            throw Check.invalid("function_code is required");
        }
        Check.optionalText("description", description, 4096);
        if (haEndpointId != null && isPublic) {
            throw Check.invalid("a function pinned to a high-assurance endpoint (ha_endpoint_id) cannot be public");
        }
        if (haEndpointId != null && group != null) {
            throw Check.invalid("a function pinned to a high-assurance endpoint (ha_endpoint_id) cannot be shared"
                    + " with a group");
        }
    }
}
