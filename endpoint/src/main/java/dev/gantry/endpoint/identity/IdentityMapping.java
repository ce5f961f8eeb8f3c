package dev.gantry.endpoint.identity;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.protocol.ApiError;
import dev.gantry.protocol.GantryException;
import dev.gantry.protocol.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An identity mapping document: a JSON list of mapping configurations in Globus Connect Server's formats, tried
 * in order; the first that gives a local name for one of the identities wins. A local name must be a valid
 * POSIX account name.
 */
public final class IdentityMapping {
    public static final String EXPRESSION = "expression_identity_mapping#1.0.0";
    public static final String EXTERNAL = "external_identity_mapping#1.0.0";
    private static final Pattern ACCOUNT = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,31}");

    private final List<Rule> rules;

    private IdentityMapping(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** One mapping configuration of the list. */
    sealed interface Rule permits Expressions, External {
        Optional<String> map(List<FederatedIdentity> identities);
    }

    record Expressions(List<ExpressionMapping> mappings, List<Pattern> compiled) implements Rule {
        @Override
        public Optional<String> map(List<FederatedIdentity> identities) {
            for (FederatedIdentity id : identities) {
                for (int i = 0; i < mappings.size(); i++) {
                    Optional<String> out = mappings.get(i).apply(id, compiled.get(i));
                    if (out.isPresent()) {
                        return out;
                    }
                }
            }
            return Optional.empty();
        }
    }

    /** The JSON of one configuration; unknown fields are errors. */
    record Doc(
            @JsonProperty("DATA_TYPE") String dataType,
            List<ExpressionMapping> mappings,
            List<String> command,
            Double timeout) {}

    /** Parses a mapping document. */
    public static IdentityMapping parse(String json) {
        JsonNode root;
        try {
            root = Json.mapper().readTree(json);
        } catch (Exception e) {
            throw invalid("the identity mapping is not JSON: " + e.getMessage());
        }
        if (root == null || !root.isArray() || root.isEmpty()) {
            throw invalid("the identity mapping must be a non-empty JSON list of mapping configurations");
        }
        List<Rule> rules = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            try {
                rules.add(rule(Json.mapper()
                        .readerFor(Doc.class)
                        .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                        .readValue(root.get(i))));
            } catch (Exception e) {
                throw invalid("identity mapping [" + i + "]: " + e.getMessage());
            }
        }
        return new IdentityMapping(rules);
    }

    private static Rule rule(Doc d) {
        if (EXPRESSION.equals(d.dataType())) {
            if (d.mappings() == null || d.mappings().isEmpty() || d.command() != null) {
                throw invalid(EXPRESSION + " needs a non-empty 'mappings' list and no 'command'");
            }
            return new Expressions(
                    d.mappings(),
                    d.mappings().stream().map(ExpressionMapping::pattern).toList());
        }
        if (EXTERNAL.equals(d.dataType())) {
            if (d.command() == null || d.command().isEmpty() || d.mappings() != null) {
                throw invalid(EXTERNAL + " needs a non-empty 'command' list and no 'mappings'");
            }
            return new External(
                    d.command(), Duration.ofMillis((long) ((d.timeout() == null ? 10 : d.timeout()) * 1000)));
        }
        throw invalid("DATA_TYPE must be " + EXPRESSION + " or " + EXTERNAL + ", got " + d.dataType());
    }

    /** The local account name for the first identity a rule maps, trying the rules in order. */
    public Optional<String> map(List<FederatedIdentity> identities) {
        for (Rule r : rules) {
            Optional<String> out = r.map(identities);
            if (out.isPresent()) {
                String name = out.get();
                if (!ACCOUNT.matcher(name).matches()) {
                    throw new GantryException(
                            ApiError.SEMANTICALLY_INVALID,
                            "the identity mapping gave '" + name + "', which is not a valid local account name");
                }
                return out;
            }
        }
        return Optional.empty();
    }

    static GantryException invalid(String message) {
        return new GantryException(ApiError.SEMANTICALLY_INVALID, message);
    }
}
