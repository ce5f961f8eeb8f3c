package dev.gantry.endpoint.template;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.endpoint.identity.LocalUser;
import java.util.Map;

/**
 * What a user endpoint's configuration is rendered from.
 *
 * @param userOptions the submitter's {@code user_endpoint_config} (an object, or null)
 * @param userRuntime what the submitting SDK said of itself: Java version, SDK version, platform (or null)
 * @param user the local account the identity maps to
 * @param identityId the submitter's identity id
 * @param parentConfig the endpoint manager's own configuration, as plain values
 */
public record TemplateInputs(
        JsonNode userOptions,
        JsonNode userRuntime,
        LocalUser user,
        String identityId,
        Map<String, Object> parentConfig) {
    public TemplateInputs {
        parentConfig = parentConfig == null ? Map.of() : parentConfig;
    }
}
