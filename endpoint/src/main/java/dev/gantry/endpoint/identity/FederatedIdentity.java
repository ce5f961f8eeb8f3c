package dev.gantry.endpoint.identity;

import java.util.Map;
import java.util.TreeMap;

/**
 * One identity of a submitter, as the service vouches for it: its fields by name ({@code id},
 * {@code username}, and any others such as {@code email}); mapping rules refer to them as {@code {name}}.
 */
public record FederatedIdentity(Map<String, String> fields) {
    public FederatedIdentity {
        fields = java.util.Collections.unmodifiableMap(new TreeMap<>(fields));
    }

    public static FederatedIdentity of(String id, String username) {
        return new FederatedIdentity(Map.of("id", id, "username", username));
    }

    public String id() {
        return fields.get("id");
    }

    public String username() {
        return fields.get("username");
    }
}
