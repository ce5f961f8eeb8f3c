package dev.gantry.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.protocol.ApiError;
import dev.gantry.protocol.GantryException;
import dev.gantry.protocol.GantryHome;
import dev.gantry.protocol.Yaml;
import dev.gantry.service.auth.OidcProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The service's settings, under one name each in three places: a flag ({@code --db-url}), an environment
 * variable ({@code GANTRY_DB_URL}) and a key of {@code service.yaml} ({@code db_url}). A flag wins over the
 * environment, which wins over the file, which wins over the embedded default.
 */
public final class ServiceSettings {
    public enum Key {
        HOST,
        PORT,
        DB_URL,
        DB_USER,
        DB_PASSWORD,
        BROKER_URL,
        BROKER_PREFIX,
        RETENTION_SECONDS,
        HOUSEKEEPING_SECONDS,
        OUTPUT_KEPT_BYTES,
        OIDC_ISSUERS,
        OIDC_AUDIENCE,
        OIDC_SCOPE,
        OIDC_USERNAME_CLAIM,
        RATE_LIMIT_PER_SECOND,
        RATE_LIMIT_BURST,
        CONNECTIONS_PER_SOURCE,
        TLS_CERT,
        TLS_KEY,
        TLS_SELF_SIGNED;

        public String flag() {
            return "--" + name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        public String env() {
            return "GANTRY_" + name();
        }

        public String yaml() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private ServiceSettings() {}

    /** The settings file: {@code file} if given, else {@code service.yaml} in the Gantry home if present. */
    public static ServiceConfig load(GantryHome home, Path file, Map<Key, String> flags, Map<String, String> env) {
        Map<Key, String> v = new EnumMap<>(Key.class);
        Path yaml = file != null ? file : home.dir().resolve("service.yaml");
        if (file != null || Files.isRegularFile(yaml)) {
            v.putAll(readYaml(yaml));
        }
        for (Key k : Key.values()) {
            if (env.get(k.env()) != null && !env.get(k.env()).isBlank()) {
                v.put(k, env.get(k.env()));
            }
        }
        v.putAll(flags);
        ServiceConfig base = ServiceConfig.embedded(home, ServiceConfig.DEFAULT_PORT);
        ServiceConfig c =
                base.withPort(intValue(v, Key.PORT, base.port())).withHost(v.getOrDefault(Key.HOST, base.host()));
        if (v.containsKey(Key.DB_URL) || v.containsKey(Key.BROKER_URL)) {
            c = c.withBackends(
                    v.getOrDefault(Key.DB_URL, base.jdbcUrl()),
                    v.getOrDefault(Key.DB_USER, v.containsKey(Key.DB_URL) ? "gantry" : base.dbUser()),
                    v.getOrDefault(Key.DB_PASSWORD, ""),
                    v.get(Key.BROKER_URL),
                    v.getOrDefault(Key.BROKER_PREFIX, base.brokerPrefix()));
        }
        c = c.withOutputKept(intValue(v, Key.OUTPUT_KEPT_BYTES, (int) base.outputKeptBytes()))
                .withSecurity(base.security()
                        .withOidc(oidc(v))
                        .withRateLimit(
                                intValue(v, Key.RATE_LIMIT_PER_SECOND, (int) ServiceSecurity.DEFAULT_RATE),
                                intValue(v, Key.RATE_LIMIT_BURST, ServiceSecurity.DEFAULT_BURST))
                        .withTls(tls(v))
                        .withSockets(new ServiceSecurity.Sockets(
                                intValue(
                                        v,
                                        Key.CONNECTIONS_PER_SOURCE,
                                        base.security().sockets().perSource()),
                                base.security().sockets().headerDeadline())));
        return c.withRetention(
                Duration.ofSeconds(intValue(
                        v, Key.RETENTION_SECONDS, (int) base.retention().toSeconds())),
                Duration.ofSeconds(intValue(v, Key.HOUSEKEEPING_SECONDS, (int)
                        base.housekeepingPeriod().toSeconds())));
    }

    /** The providers of {@code oidc_issuers} (separated by spaces or commas), sharing the other oidc_ settings. */
    private static List<OidcProvider> oidc(Map<Key, String> v) {
        String issuers = v.getOrDefault(Key.OIDC_ISSUERS, "").trim();
        if (issuers.isEmpty()) {
            return List.of();
        }
        List<OidcProvider> out = new ArrayList<>();
        for (String issuer : issuers.split("[\\s,]+")) {
            try {
                out.add(new OidcProvider(
                        issuer, v.get(Key.OIDC_AUDIENCE), v.get(Key.OIDC_SCOPE), v.get(Key.OIDC_USERNAME_CLAIM)));
            } catch (IllegalArgumentException e) {
                throw invalid(e.getMessage());
            }
        }
        return out;
    }

    private static ServiceSecurity.Tls tls(Map<Key, String> v) {
        String self = v.getOrDefault(Key.TLS_SELF_SIGNED, "false").trim();
        if (!self.equals("true") && !self.equals("false")) {
            throw invalid("tls_self_signed must be true or false, got '" + self + "'");
        }
        try {
            return new ServiceSecurity.Tls(
                    v.containsKey(Key.TLS_CERT) ? Path.of(v.get(Key.TLS_CERT)) : null,
                    v.containsKey(Key.TLS_KEY) ? Path.of(v.get(Key.TLS_KEY)) : null,
                    self.equals("true"));
        } catch (IllegalArgumentException e) {
            throw invalid(e.getMessage());
        }
    }

    private static Map<Key, String> readYaml(Path file) {
        JsonNode root;
        try {
            root = Yaml.readTree(file);
        } catch (IOException e) {
            throw invalid("cannot read " + file + ": " + e.getMessage());
        }
        Map<Key, String> out = new EnumMap<>(Key.class);
        if (root == null || root.isNull() || root.isMissingNode()) {
            return out;
        }
        if (!root.isObject()) {
            throw invalid(file + ": the settings must be a mapping of keys to values");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Key k;
            try {
                k = Key.valueOf(e.getKey().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException x) {
                throw invalid(file + ": unknown key '" + e.getKey() + "'");
            }
            if (!e.getValue().isValueNode()) {
                throw invalid(file + ": '" + e.getKey() + "' must be a single value");
            }
            out.put(k, e.getValue().asText());
        }
        return out;
    }

    private static int intValue(Map<Key, String> v, Key k, int dflt) {
        String s = v.get(k);
        if (s == null) {
            return dflt;
        }
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw invalid(k.yaml() + " must be a whole number, got '" + s + "'");
        }
    }

    private static GantryException invalid(String message) {
        return new GantryException(ApiError.SEMANTICALLY_INVALID, message);
    }
}
