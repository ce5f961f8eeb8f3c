package dev.gantry.service;

import dev.gantry.broker.RabbitBroker;
import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.GantryHome;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The backends a test runs on. With the system property {@code gantry.test.backend=production} (Maven's
 * {@code production-backends} execution) a fresh PostgreSQL database and a fresh RabbitMQ prefix on this
 * machine, dropped and deleted on close; otherwise the embedded default. A production test whose
 * PostgreSQL or RabbitMQ is not running fails and says what is missing.
 */
public final class TestBackend implements AutoCloseable {
    public static final String PG_HOST = "127.0.0.1";
    public static final int PG_PORT = 5432;
    public static final String AMQP_URL =
            System.getenv().getOrDefault("GANTRY_TEST_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672/%2f");

    private final String database;
    private final String prefix;

    private TestBackend(String database, String prefix) {
        this.database = database;
        this.prefix = prefix;
    }

    public static boolean production() {
        return "production".equals(System.getProperty("gantry.test.backend"));
    }

    public static TestBackend create() {
        if (!production()) {
            return new TestBackend(null, null);
        }
        require("PostgreSQL", PG_HOST, PG_PORT, "start it with: pg_ctlcluster --skip-systemctl-redirect 15 main start");
        require("RabbitMQ", "127.0.0.1", 5672, "start it with: rabbitmq-server -detached");
        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String db = "gantry_test_" + suffix;
        admin("CREATE DATABASE " + db);
        return new TestBackend(db, "gantry-test-" + suffix);
    }

    /** A fresh PostgreSQL database alone (no broker), dropped on close: for the stores' contract tests. */
    public record Postgres(String database) implements AutoCloseable {
        public String jdbcUrl() {
            return "jdbc:postgresql://" + PG_HOST + ":" + PG_PORT + "/" + database;
        }

        @Override
        public void close() {
            admin("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    public static Postgres postgres() {
        require("PostgreSQL", PG_HOST, PG_PORT, "start it with: pg_ctlcluster --skip-systemctl-redirect 15 main start");
        String db =
                "gantry_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        admin("CREATE DATABASE " + db);
        return new Postgres(db);
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + PG_HOST + ":" + PG_PORT + "/" + database;
    }

    /** The service configuration for a home: embedded, or this backend's database and broker prefix. */
    public ServiceConfig config(GantryHome home) {
        ServiceConfig c = ServiceConfig.embedded(home, 0);
        return database == null
                ? c
                : c.withBackends(jdbcUrl() + "?reWriteBatchedInserts=true", "postgres", "", AMQP_URL, prefix);
    }

    /** The same as environment variables, for services started as processes. */
    public Map<String, String> environment() {
        return database == null
                ? Map.of()
                : Map.of(
                        "GANTRY_DB_URL",
                        jdbcUrl() + "?reWriteBatchedInserts=true",
                        "GANTRY_DB_USER",
                        "postgres",
                        "GANTRY_BROKER_URL",
                        AMQP_URL,
                        "GANTRY_BROKER_PREFIX",
                        prefix);
    }

    @Override
    public void close() {
        if (database == null) {
            return;
        }
        List<EndpointId> endpoints = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl(), "postgres", "");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id FROM endpoints")) {
            while (rs.next()) {
                endpoints.add(new EndpointId(rs.getObject(1, UUID.class)));
            }
        } catch (Exception e) {
            // no schema yet: nothing was declared either
        }
        try {
            RabbitBroker b = new RabbitBroker(AMQP_URL, prefix, 1);
            b.deleteDeclared(endpoints);
            b.close();
            deleteResultQueuesAndUsers();
        } finally {
            admin("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    /** The Globus Compute result queues the tests' groups had, and their identities' RabbitMQ users. */
    private void deleteResultQueuesAndUsers() {
        try (dev.gantry.service.store.Database db =
                dev.gantry.service.store.Database.open(jdbcUrl(), "postgres", "", 2)) {
            dev.gantry.service.results.SdkQueuesSetup.forget(db, AMQP_URL);
        } catch (Exception e) {
            throw new AssertionError("cannot delete the tests' result queues and users from RabbitMQ: " + e, e);
        }
    }

    private static void admin(String sql) {
        try (Connection c = DriverManager.getConnection(
                        "jdbc:postgresql://" + PG_HOST + ":" + PG_PORT + "/postgres", "postgres", "");
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (Exception e) {
            throw new AssertionError("PostgreSQL refused '" + sql + "': " + e.getMessage(), e);
        }
    }

    static void require(String what, String host, int port, String how) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 2000);
        } catch (Exception e) {
            throw new AssertionError(what + " is not reachable at " + host + ":" + port + " (needed by the"
                    + " production-backends tests); " + how + ". .ci/test-suite starts it.");
        }
    }
}
