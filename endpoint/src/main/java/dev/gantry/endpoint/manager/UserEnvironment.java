package dev.gantry.endpoint.manager;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.protocol.Yaml;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The administrator's {@code user_environment.yaml}: flat {@code NAME: value} pairs that every user endpoint,
 * its workers and its tasks get. {@code HOME}, {@code USER} and {@code PWD} are the account's and cannot be set.
 */
final class UserEnvironment {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    private static final Set<String> IGNORED = Set.of("HOME", "USER", "PWD");

    private UserEnvironment() {}

    /** The pairs of {@code file}; none if it does not exist. */
    static Map<String, String> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Map.of();
        }
        JsonNode tree;
        try {
            tree = Yaml.readTree(file);
        } catch (IOException e) {
            throw ManagerConfig.invalid(file + " is not valid YAML: " + e.getMessage());
        }
        Map<String, String> out = new LinkedHashMap<>();
        if (tree == null || tree.isNull() || tree.isMissingNode()) {
            return out;
        }
        if (!tree.isObject()) {
            throw ManagerConfig.invalid(file + " must be a mapping of NAME: value");
        }
        tree.properties().forEach(e -> {
            if (!NAME.matcher(e.getKey()).matches()) {
                throw ManagerConfig.invalid(file + ": '" + e.getKey() + "' is not an environment variable name");
            }
            if (!e.getValue().isValueNode()) {
                throw ManagerConfig.invalid(file + ": the value of " + e.getKey() + " must be a string or a number");
            }
            if (!IGNORED.contains(e.getKey())) {
                out.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asText());
            }
        });
        return out;
    }
}
