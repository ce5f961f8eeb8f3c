package dev.gantry.broker.results;

import dev.gantry.protocol.GantryHome;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The embedded broker's initial configuration: PLAIN sign-in (the one mechanism pika, the SDKs' client, speaks),
 * the SDKs' users and the administrator in two providers, each on a port of its own on loopback; the SDKs' port
 * over TLS 1.2 or 1.3 when there is a key store; one in-memory virtual host; rule-based access control.
 */
final class EmbeddedAmqpConfig {
    /** The provider of the SDKs' users. */
    static final String SDK_USERS = "plain";

    private static final String KEY_STORE = "tls";

    private EmbeddedAmqpConfig() {}

    /** With {@code keyStore} (a PKCS#12 file under {@code keyStorePassword}; null: no TLS). */
    static Map<String, Object> initial(
            int port, int adminPort, String adminPassword, Path keyStore, String keyStorePassword) {
        Map<String, Object> config = new LinkedHashMap<>();
        Map<String, Object> sdks = Map.of("name", SDK_USERS, "type", "Plain", "secureOnlyMechanisms", List.of());
        Map<String, Object> admin = Map.of(
                "name",
                "admin",
                "type",
                "Plain",
                "secureOnlyMechanisms",
                List.of(),
                "users",
                List.of(Map.of("name", EmbeddedAmqp.ADMIN, "type", "managed", "password", adminPassword)));
        Map<String, Object> amqp = port("AMQP", port, SDK_USERS);
        if (keyStore != null) {
            amqp.put("transports", List.of("SSL"));
            amqp.put("keyStore", KEY_STORE);
            amqp.put("tlsProtocolAllowList", List.of("TLSv1\\.[23]"));
            config.put(
                    "keystores",
                    List.of(Map.of(
                            "name",
                            KEY_STORE,
                            "type",
                            "FileKeyStore",
                            "storeUrl",
                            keyStore.toUri().toString(),
                            "password",
                            keyStorePassword,
                            "keyStoreType",
                            "PKCS12")));
        }
        config.put("name", "gantry");
        config.put("modelVersion", "9.0");
        config.put("authenticationproviders", List.of(sdks, admin));
        config.put("accesscontrolproviders", List.of(Map.of("name", "acl", "type", "RuleBased", "rules", List.of())));
        config.put("ports", List.of(amqp, port("ADMIN", adminPort, "admin")));
        config.put(
                "virtualhostnodes",
                List.of(Map.of(
                        "name", "default",
                        "type", "Memory",
                        "defaultVirtualHostNode", "true",
                        "virtualHostInitialConfiguration", "{\"type\": \"Memory\"}")));
        return config;
    }

    private static Map<String, Object> port(String name, int port, String users) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("name", name);
        p.put("port", port);
        p.put("bindingAddress", "127.0.0.1");
        p.put("authenticationProvider", users);
        p.put("protocols", List.of("AMQP_0_9_1"));
        p.put("virtualhostaliases", List.of(Map.of("name", "defaultAlias", "type", "defaultAlias")));
        return p;
    }

    /**
     * Writes the key entries of {@code tls} (its key and certificate chain, under an empty password) to
     * {@code file} under {@code password}, owner-only, replacing it at once.
     */
    static void writeKeyStore(KeyStore tls, Path file, String password) throws IOException, GeneralSecurityException {
        KeyStore out = KeyStore.getInstance("PKCS12");
        out.load(null, null);
        for (String alias : Collections.list(tls.aliases())) {
            if (tls.isKeyEntry(alias)) {
                out.setKeyEntry(
                        alias, tls.getKey(alias, new char[0]), password.toCharArray(), tls.getCertificateChain(alias));
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        out.store(bytes, password.toCharArray());
        GantryHome.writePrivate(file, bytes.toByteArray());
    }
}
