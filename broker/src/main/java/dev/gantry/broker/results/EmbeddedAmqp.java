package dev.gantry.broker.results;

import dev.gantry.protocol.GantryHome;
import dev.gantry.protocol.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.qpid.server.SystemLauncher;
import org.apache.qpid.server.model.AuthenticationProvider;
import org.apache.qpid.server.model.Broker;
import org.apache.qpid.server.model.PasswordCredentialManagingAuthenticationProvider;
import org.apache.qpid.server.security.FileKeyStore;
import org.apache.qpid.server.security.access.plugins.RuleBasedAccessControlProvider;

/**
 * An AMQP 0-9-1 broker inside the embedded service: Apache Qpid Broker-J, configuration and messages in memory,
 * two ports on loopback. SDKs connect to one, over TLS when the service serves HTTPS (its certificate, loaded
 * again when it changes), as the users of their identities (see {@link Credentials}), each of which may open the
 * virtual host and consume from its own result queues only, by Qpid's rule-based access control, written anew
 * whenever a user is added. The service connects to the other as the administrator, the one user it knows.
 */
public final class EmbeddedAmqp implements Credentials, AutoCloseable {
    public static final String ADMIN = "gantry";
    private static final SecureRandom RANDOM = new SecureRandom();
    private volatile org.apache.qpid.server.model.SystemConfig<?> system;
    private final SystemLauncher launcher =
            new SystemLauncher(new org.apache.qpid.server.SystemLauncherListener.DefaultSystemLauncherListener() {
                @Override
                public void onContainerResolve(org.apache.qpid.server.model.SystemConfig<?> config) {
                    system = config;
                }
            });
    private final Path workDir;
    private final int port;
    private final int adminPort;
    private final boolean tls;
    private final String adminPassword = secret();
    private final String keyStorePassword = secret();
    private final Map<String, String> readPrefixes = new ConcurrentHashMap<>();
    private final ReentrantLock rules = new ReentrantLock();

    private EmbeddedAmqp(Path workDir, int port, int adminPort, boolean tls) {
        this.workDir = workDir;
        this.port = port;
        this.adminPort = adminPort;
        this.tls = tls;
    }

    /**
     * Starts the broker with its SDKs' port on {@code port} of 127.0.0.1 (0: a free one), over TLS with the key
     * and certificate chain of {@code tls} (null: plain), its start-up files in {@code dir} (made owner-only and
     * emptied first: they name the service's password; a service killed before it stopped left them there).
     */
    public static EmbeddedAmqp start(Path dir, int port, KeyStore tls) throws Exception {
        if (Files.exists(dir)) {
            deleteTree(dir);
        }
        Files.createDirectories(
                dir,
                java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
        EmbeddedAmqp b = new EmbeddedAmqp(dir, port == 0 ? freePort() : port, freePort(), tls != null);
        if (tls != null) {
            b.writeKeyStore(tls);
        }
        b.launch();
        return b;
    }

    private void launch() throws Exception {
        Path initial = workDir.resolve("initial-config.json");
        GantryHome.writePrivate(
                initial,
                Json.write(EmbeddedAmqpConfig.initial(
                        port, adminPort, adminPassword, tls ? keyStoreFile() : null, keyStorePassword)));
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("type", "Memory");
        attributes.put("initialConfigurationLocation", initial.toUri().toString());
        attributes.put("startupLoggedToSystemOut", false);
        attributes.put(
                "context",
                Map.of("qpid.work_dir", workDir.toString(), "qpid.broker.startupLoggingToSystemOut", "false"));
        launcher.startup(attributes);
        asSystem(() -> {
            writeRules();
            return null;
        });
    }

    private Path keyStoreFile() {
        return workDir.resolve("tls.p12");
    }

    private void writeKeyStore(KeyStore tls) throws IOException, GeneralSecurityException {
        EmbeddedAmqpConfig.writeKeyStore(tls, keyStoreFile(), keyStorePassword);
    }

    /**
     * Serves {@code tls} (a renewed certificate) on the SDKs' port from now on; connections already open keep the
     * one they began with.
     */
    public void reloadTls(KeyStore tls) throws IOException, GeneralSecurityException {
        if (!this.tls) {
            return;
        }
        writeKeyStore(tls);
        asSystem(() -> {
            for (var k : broker().getKeyStores()) {
                if (k instanceof FileKeyStore<?> f) {
                    f.reload();
                }
            }
            for (var p : broker().getPorts()) {
                if (p.isTlsSupported()) {
                    p.updateTLS();
                }
            }
            return null;
        });
    }

    /** The SDKs' port. */
    public int port() {
        return port;
    }

    /** Whether SDKs connect to {@link #port} over TLS. */
    public boolean tls() {
        return tls;
    }

    public String adminPassword() {
        return adminPassword;
    }

    /** The URL the service connects with, as the administrator. */
    public String adminUrl() {
        return "amqp://" + ADMIN + ":" + adminPassword + "@127.0.0.1:" + adminPort + "/";
    }

    @Override
    public String issue(String user, String queuePrefix) {
        return asSystem(() -> issueAsSystem(user, queuePrefix));
    }

    /** Runs {@code work} as the broker's own principal, which its access control lets manage it. */
    private <T> T asSystem(java.util.concurrent.Callable<T> work) {
        javax.security.auth.Subject subject = new javax.security.auth.Subject(
                true, java.util.Set.of(launcher.getSystemPrincipal()), java.util.Set.of(), java.util.Set.of());
        return org.apache.qpid.server.security.SubjectExecutionContext.withSubjectUnchecked(subject, work);
    }

    private String issueAsSystem(String user, String queuePrefix) {
        String password = secret();
        PasswordCredentialManagingAuthenticationProvider<?> users = users();
        try {
            if (users.getUsers().containsKey(user)) {
                users.setPassword(user, password);
            } else {
                users.createUser(user, password, Map.of());
            }
        } catch (javax.security.auth.login.AccountNotFoundException e) {
            users.createUser(user, password, Map.of());
        }
        if (readPrefixes.put(user, queuePrefix) == null) {
            writeRules();
        }
        return password;
    }

    @Override
    public void revoke(String user) {
        asSystem(() -> {
            try {
                users().deleteUser(user);
            } catch (javax.security.auth.login.AccountNotFoundException e) {
                // already gone
            }
            if (readPrefixes.remove(user) != null) {
                writeRules();
            }
            return null;
        });
    }

    private PasswordCredentialManagingAuthenticationProvider<?> users() {
        for (AuthenticationProvider<?> p : broker().getAuthenticationProviders()) {
            if (p instanceof PasswordCredentialManagingAuthenticationProvider<?> m
                    && p.getName().equals(EmbeddedAmqpConfig.SDK_USERS)) {
                return m;
            }
        }
        throw new IllegalStateException("the embedded broker has no password provider");
    }

    private Broker<?> broker() {
        return (Broker<?>) system.getContainer(Broker.class);
    }

    /** The administrator may do anything; each identity's user may open the host and consume its queues. */
    private void writeRules() {
        rules.lock();
        try {
            StringBuilder text = new StringBuilder("ACL ALLOW " + ADMIN + " ALL ALL\n");
            readPrefixes.forEach((user, prefix) -> text.append("ACL ALLOW ")
                    .append(user)
                    .append(" ACCESS VIRTUALHOST\nACL ALLOW ")
                    .append(user)
                    .append(" CONSUME QUEUE name=\"")
                    .append(prefix)
                    .append("*\"\n"));
            text.append("ACL DENY-LOG ALL ALL\n");
            Path file = workDir.resolve("rules.acl");
            GantryHome.writePrivate(file, text.toString());
            for (var p : broker().getAccessControlProviders()) {
                if (p instanceof RuleBasedAccessControlProvider<?> r) {
                    r.loadFromFile(file.toString());
                }
            }
        } catch (UncheckedIOException e) {
            throw new IllegalStateException("cannot write the embedded broker's access rules: " + e.getMessage(), e);
        } finally {
            rules.unlock();
        }
    }

    private static String secret() {
        byte[] b = new byte[24];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        launcher.shutdown();
        deleteTree(workDir);
    }

    private static void deleteTree(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // left for the next start, which empties it
        }
    }
}
