package dev.gantry.endpoint.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.gantry.protocol.Json;
import java.util.List;

/** The administrator's {@code user_config_schema.json}: what a submitter's values must satisfy. */
public final class UserConfigSchema {
    private static final int MAX_REPORTED = 5;
    private final Schema schema;

    private UserConfigSchema(Schema schema) {
        this.schema = schema;
    }

    /** Parses a JSON Schema (draft 2020-12 unless it names another with {@code $schema}). */
    public static UserConfigSchema parse(String text) {
        JsonNode node;
        try {
            node = Json.mapper().readTree(text);
        } catch (Exception e) {
            throw UserValues.invalid("the user config schema is not JSON: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw UserValues.invalid("the user config schema must be a JSON object");
        }
        try {
            return new UserConfigSchema(SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                    .getSchema(node));
        } catch (RuntimeException e) {
            throw UserValues.invalid("the user config schema is not a valid JSON Schema: " + e.getMessage());
        }
    }

    /** Refuses values that break the schema, naming (up to five of) the broken rules. */
    public void check(JsonNode values) {
        List<Error> errors = schema.validate(values);
        if (!errors.isEmpty()) {
            List<String> shown =
                    errors.stream().limit(MAX_REPORTED).map(Error::toString).toList();
            throw UserValues.invalid("user_endpoint_config does not satisfy the endpoint's schema: "
                    + String.join("; ", shown) + (errors.size() > MAX_REPORTED ? "; ..." : ""));
        }
    }
}
