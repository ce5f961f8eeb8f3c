package dev.gantry.endpoint.manager;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.protocol.ApiError;
import dev.gantry.protocol.FunctionId;
import dev.gantry.protocol.GantryException;
import dev.gantry.protocol.Yaml;
import dev.gantry.protocol.api.EndpointRegistration;
import dev.gantry.protocol.api.SubmitPolicy;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * An endpoint manager's {@code config.yaml}: a configuration without {@code engine}. Paths are relative to the
 * endpoint's directory. Unknown keys are errors that name their YAML path.
 *
 * @param isPublic whether the endpoint is listed for others (discoverability only, never access); unset: true
 *     for a multi-user manager, false for a personal one
 * @param identityMappingConfigPath the identity mapping (used, and required, when the manager runs as root)
 * @param muChildEpGracePeriodS how long a start request for a user endpoint that is still running is kept: if
 *     it exits meanwhile, it is started again
 * @param userEndpointJava the java binary of user endpoints (default: the manager's own)
 * @param userEndpointClasspath their classpath (default: the manager's own; every user must be able to read it)
 * @param userEndpointJvmOptions extra JVM options for them, such as {@code -Xmx512m}
 * @param startTimeoutS how long a user endpoint may take to render its configuration and start
 * @param userEndpointClassArchive whether user endpoints keep the classes they loaded in a class archive of
 *     their account (JDK CDS), to start faster the next time (default true)
 * @param allowedFunctions the only functions this manager's user endpoints run (absent: any, or what each
 *     user endpoint's rendered configuration says); the service refuses others before starting anything
 * @param admins identities (ids or usernames) that may see, watch and lock this manager besides its owner
 * @param submitPolicy who may submit to its user endpoints: identity domains allowed and excluded, a maximum
 *     login age (on top of the identity mapping)
 * @param highAssurance registers a high-assurance manager: its user endpoints run only functions pinned to it,
 *     their results are never pushed, and the manager keeps an audit log of every task event they send it
 * @param auditLogPath that audit log (absent: {@code audit.log} in the manager's directory), as Globus Compute's
 *     {@code audit_log_path}
 */
public record ManagerConfig(
        String displayName,
        @JsonProperty("public") Boolean isPublic,
        double heartbeatPeriod,
        String serviceUrl,
        List<String> serviceUrls,
        String identityMappingConfigPath,
        String userConfigTemplatePath,
        String userConfigSchemaPath,
        String userEnvironmentPath,
        Double muChildEpGracePeriodS,
        String userEndpointJava,
        String userEndpointClasspath,
        List<String> userEndpointJvmOptions,
        Double startTimeoutS,
        Boolean userEndpointClassArchive,
        List<FunctionId> allowedFunctions,
        List<String> admins,
        SubmitPolicy submitPolicy,
        Boolean highAssurance,
        String auditLogPath) {
    public static final String TEMPLATE = "user_config_template.yaml.j2";
    public static final String SCHEMA = "user_config_schema.json";
    public static final String ENVIRONMENT = "user_environment.yaml";
    public static final String IDENTITY_MAPPING = "identity_mapping.json";

    public ManagerConfig {
        if (heartbeatPeriod == 0) {
            heartbeatPeriod = 30;
        }
        if (heartbeatPeriod < 0.2 || heartbeatPeriod > 3600) {
            throw invalid("heartbeat_period must be between 0.2 and 3600 seconds, got " + heartbeatPeriod);
        }
        serviceUrls = serviceUrls == null ? List.of() : List.copyOf(serviceUrls);
        userEndpointJvmOptions = userEndpointJvmOptions == null ? List.of() : List.copyOf(userEndpointJvmOptions);
        if (muChildEpGracePeriodS != null && (muChildEpGracePeriodS < 0 || muChildEpGracePeriodS > 3600)) {
            throw invalid("mu_child_ep_grace_period_s must be between 0 and 3600, got " + muChildEpGracePeriodS);
        }
        if (startTimeoutS != null && (startTimeoutS < 1 || startTimeoutS > 600)) {
            throw invalid("start_timeout_s must be between 1 and 600, got " + startTimeoutS);
        }
        allowedFunctions = EndpointRegistration.allowedFunctions(allowedFunctions);
        admins = EndpointRegistration.admins(admins);
        if (auditLogPath != null && (auditLogPath.isBlank() || auditLogPath.length() > 4096)) {
            throw invalid("audit_log_path must name a file, got '" + auditLogPath + "'");
        }
    }

    /** True when {@code config.yaml} is an endpoint manager's: it has no {@code engine}. */
    public static boolean isManager(Path file) {
        try {
            JsonNode tree = Yaml.readTree(file);
            return tree == null || tree.isNull() || (tree.isObject() && !tree.has("engine"));
        } catch (IOException e) {
            throw invalid("cannot read " + file + ": " + e.getMessage());
        }
    }

    public static ManagerConfig read(Path file) {
        try {
            ManagerConfig c = Yaml.mapper().readValue(Yaml.bytes(file), ManagerConfig.class);
            return c == null
                    ? new ManagerConfig(
                            null, null, 0, null, null, null, null, null, null, null, null, null, null, null, null, null,
                            null, null, null, null)
                    : c;
        } catch (JsonMappingException e) {
            throw dev.gantry.endpoint.EndpointConfig.mappingError(file.toString(), e);
        } catch (IOException e) {
            throw invalid("cannot read " + file + ": " + e.getMessage());
        }
    }

    public Path template(Path dir) {
        return dir.resolve(userConfigTemplatePath == null ? TEMPLATE : userConfigTemplatePath);
    }

    public Path schema(Path dir) {
        return dir.resolve(userConfigSchemaPath == null ? SCHEMA : userConfigSchemaPath);
    }

    public Path environment(Path dir) {
        return dir.resolve(userEnvironmentPath == null ? ENVIRONMENT : userEnvironmentPath);
    }

    public Path identityMapping(Path dir) {
        return dir.resolve(identityMappingConfigPath == null ? IDENTITY_MAPPING : identityMappingConfigPath);
    }

    public boolean isHighAssurance() {
        return highAssurance != null && highAssurance;
    }

    /** Where a high-assurance manager in {@code dir} keeps its audit log. */
    public Path auditLog(Path dir) {
        return dir.resolve(auditLogPath == null ? "audit.log" : auditLogPath);
    }

    public long gracePeriodMs() {
        return Math.round((muChildEpGracePeriodS == null ? 30 : muChildEpGracePeriodS) * 1000);
    }

    public boolean classArchive() {
        return userEndpointClassArchive == null || userEndpointClassArchive;
    }

    public long startTimeoutMs() {
        return Math.round((startTimeoutS == null ? 30 : startTimeoutS) * 1000);
    }

    public int heartbeatPeriodMs() {
        return (int) Math.round(heartbeatPeriod * 1000);
    }

    public List<String> urls() {
        return !serviceUrls.isEmpty() ? serviceUrls : serviceUrl == null ? List.of() : List.of(serviceUrl);
    }

    /** What templates see as {@code parent_config}: the manager's settings that are not secrets or paths. */
    public Map<String, Object> forTemplates(boolean multiUser) {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("display_name", displayName == null ? "" : displayName);
        out.put("public", isPublic(multiUser));
        out.put("heartbeat_period", heartbeatPeriod);
        out.put("multi_user", multiUser);
        out.put("high_assurance", isHighAssurance());
        return out;
    }

    public boolean isPublic(boolean multiUser) {
        return isPublic == null ? multiUser : isPublic;
    }

    static GantryException invalid(String message) {
        return new GantryException(ApiError.SEMANTICALLY_INVALID, message);
    }
}
