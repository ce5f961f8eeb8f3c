package dev.gantry.endpoint.manager;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.endpoint.identity.LocalUser;
import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.FunctionId;
import java.util.List;
import java.util.Map;

/**
 * What a user endpoint gets on its standard input from the manager that starts it: where to connect and with
 * what token, and what to render its configuration from (the template and schema texts, read by the manager,
 * and the template's directory, which the user endpoint reads with its own rights), and the manager's
 * {@code allowed_functions}, which replace any the rendered configuration has (null: the manager has none). One
 * line of JSON; a high-assurance manager's user endpoint then reads its manager's answers to its audit records
 * from the same input ({@link ManagerAuditPipe}).
 */
public record UserEndpointStart(
        EndpointId userEndpoint,
        EndpointId manager,
        List<String> serviceUrls,
        String caPem,
        String token,
        String channelPath,
        String template,
        String templateDir,
        String schema,
        JsonNode userConfig,
        JsonNode userRuntime,
        LocalUser user,
        String identityId,
        Map<String, Object> parentConfig,
        List<FunctionId> allowedFunctions,
        boolean highAssurance) {
    public static final int MAX_BYTES = 4 << 20;

    /** The user endpoint's directory name, under the user's Gantry home: {@code uep.<manager>.<user endpoint>}. */
    public String dirName() {
        return "uep." + manager + "." + userEndpoint;
    }

    @Override
    public String toString() {
        return "UserEndpointStart[userEndpoint=" + userEndpoint + ", manager=" + manager + ", user=" + user.uname()
                + ", token=<redacted>]";
    }
}
