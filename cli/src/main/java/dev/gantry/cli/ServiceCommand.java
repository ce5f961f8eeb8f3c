package dev.gantry.cli;

import dev.gantry.protocol.GantryHome;
import dev.gantry.service.GantryService;
import dev.gantry.service.ServiceConfig;
import dev.gantry.service.ServiceSettings;
import dev.gantry.service.ServiceSettings.Key;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gantry service start} (in the foreground until it is stopped, or {@code --detach}), {@code stop},
 * {@code status}, {@code add-identity}, {@code token}.
 */
@Command(
        name = "service",
        mixinStandardHelpOptions = true,
        description = "Run the Gantry service.",
        subcommands = {
            ServiceCommand.Start.class,
            ServiceCommands.Stop.class,
            ServiceCommands.Status.class,
            ServiceCommand.AddIdentity.class,
            TokenCommand.class
        })
final class ServiceCommand {

    @Command(
            name = "add-identity",
            mixinStandardHelpOptions = true,
            description = {
                "Add an identity to the service (you must be its administrator: the local credentials of the service's",
                "home), or give an existing one a new token. Prints the identity id and the token."
            })
    static final class AddIdentity implements Callable<Integer> {
        @picocli.CommandLine.Parameters(index = "0", description = "Username, such as alice@example.org.")
        String username;

        record Issued(String identityId, String username, String token) {}

        @Override
        public Integer call() {
            Issued i = dev.gantry.client.ServiceClient.fromEnvironment()
                    .post("/v3/identities", java.util.Map.of("username", username), Issued.class);
            System.out.println("identity " + i.identityId() + " " + i.username());
            System.out.println("token " + i.token());
            return 0;
        }
    }

    @Command(
            name = "start",
            mixinStandardHelpOptions = true,
            description = {
                "Start the service. Without --db-url and --broker-url it is the embedded default: an H2 database under",
                "the Gantry home and an in-process broker. Every option can also be set as the environment variable",
                "GANTRY_<NAME> (GANTRY_DB_URL, ...) or as the key <name> (db_url, ...) of service.yaml in the Gantry home;",
                "an option wins over the environment, which wins over the file."
            })
    static final class Start implements Callable<Integer> {
        @Option(names = "--config", description = "Settings file (default: service.yaml in the Gantry home, if any).")
        Path config;

        @Option(names = "--host", description = "Address to listen on (default 127.0.0.1).")
        String host;

        @Option(names = "--port", description = "TCP port (default 8740; 0 picks a free one).")
        String port;

        @Option(names = "--db-url", description = "JDBC URL, e.g. jdbc:postgresql://127.0.0.1:5432/gantry.")
        String dbUrl;

        @Option(names = "--db-user", description = "Database user.")
        String dbUser;

        @Option(names = "--db-password", description = "Database password (prefer GANTRY_DB_PASSWORD).")
        String dbPassword;

        @Option(names = "--broker-url", description = "RabbitMQ URL, e.g. amqp://guest:guest@127.0.0.1:5672/%%2f.")
        String brokerUrl;

        @Option(names = "--broker-prefix", description = "Prefix of the queues and exchanges (default gantry).")
        String brokerPrefix;

        @Option(names = "--retention-seconds", description = "How long tasks and results are kept (default 14 days).")
        String retention;

        @Option(names = "--housekeeping-seconds", description = "Period of requeueing and expiry (default 60).")
        String housekeeping;

        @Option(
                names = "--output-kept-bytes",
                description = "How much of each task's output is kept, the newest part (default 1048576).")
        String outputKept;

        @Option(
                names = "--oidc-issuers",
                description = "OIDC providers whose access tokens are accepted: issuer URLs, by spaces or commas.")
        String oidcIssuers;

        @Option(names = "--oidc-audience", description = "What those tokens' aud must hold (required with issuers).")
        String oidcAudience;

        @Option(names = "--oidc-scope", description = "A scope those tokens must hold (default: none required).")
        String oidcScope;

        @Option(
                names = "--oidc-username-claim",
                description = "The claim that names an identity (default preferred_username, then email).")
        String oidcUsernameClaim;

        @Option(
                names = "--rate-limit-per-second",
                description = "Requests an identity may make a second, on average (default 1000; 0: no limit).")
        String ratePerSecond;

        @Option(names = "--rate-limit-burst", description = "Requests an identity may make at once (default 2000).")
        String rateBurst;

        @Option(names = "--tls-cert", description = "Serve HTTPS with this certificate chain (PEM; with --tls-key).")
        String tlsCert;

        @Option(names = "--tls-key", description = "The certificate's private key (PEM, unencrypted, owner-only).")
        String tlsKey;

        @Option(
                names = "--tls-self-signed",
                arity = "0..1",
                fallbackValue = "true",
                description = "Serve HTTPS with a certificate the service makes for itself (for loopback use).")
        String tlsSelfSigned;

        @Option(names = "--detach", description = "Run in the background; output goes to service/service.log.")
        boolean detach;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws InterruptedException, java.io.IOException {
            Map<Key, String> flags = new EnumMap<>(Key.class);
            put(flags, Key.HOST, host);
            put(flags, Key.PORT, port);
            put(flags, Key.DB_URL, dbUrl);
            put(flags, Key.DB_USER, dbUser);
            put(flags, Key.DB_PASSWORD, dbPassword);
            put(flags, Key.BROKER_URL, brokerUrl);
            put(flags, Key.BROKER_PREFIX, brokerPrefix);
            put(flags, Key.RETENTION_SECONDS, retention);
            put(flags, Key.OUTPUT_KEPT_BYTES, outputKept);
            put(flags, Key.HOUSEKEEPING_SECONDS, housekeeping);
            put(flags, Key.OIDC_ISSUERS, oidcIssuers);
            put(flags, Key.OIDC_AUDIENCE, oidcAudience);
            put(flags, Key.OIDC_SCOPE, oidcScope);
            put(flags, Key.OIDC_USERNAME_CLAIM, oidcUsernameClaim);
            put(flags, Key.RATE_LIMIT_PER_SECOND, ratePerSecond);
            put(flags, Key.RATE_LIMIT_BURST, rateBurst);
            put(flags, Key.TLS_CERT, tlsCert);
            put(flags, Key.TLS_KEY, tlsKey);
            put(flags, Key.TLS_SELF_SIGNED, tlsSelfSigned);
            ServiceConfig cfg = ServiceSettings.load(GantryHome.resolve(), config, flags, System.getenv());
            ServiceProcess process = new ServiceProcess(cfg.home());
            if (process.running().isPresent()) {
                throw new dev.gantry.protocol.GantryException(
                        dev.gantry.protocol.ApiError.SEMANTICALLY_INVALID,
                        "the service of " + cfg.home().dir() + " is already running (pid "
                                + process.running().get().pid() + "); gantry service status shows it,"
                                + " gantry service stop stops it");
            }
            if (detach) {
                // what followed "service start" on this command line, less --detach
                List<String> all = spec.commandLine().getParseResult().originalArgs();
                List<String> args = new java.util.ArrayList<>(all.subList(all.indexOf("start") + 1, all.size()));
                args.remove("--detach");
                return process.startDetached(args);
            }
            GantryService service = GantryService.start(cfg);
            process.writePid();
            CountDownLatch stop = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                service.close();
                process.removePid();
                stop.countDown();
            }));
            System.out.println("Gantry service listening on " + service.url());
            System.out.println("Credentials for the SDK and CLIs: " + cfg.home().credentialsFile());
            System.out.flush();
            stop.await();
            return 0;
        }

        private static void put(Map<Key, String> flags, Key k, String v) {
            if (v != null) {
                flags.put(k, v);
            }
        }
    }
}
