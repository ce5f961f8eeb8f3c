package dev.gantry.bench;

import dev.gantry.broker.RabbitBroker;
import dev.gantry.protocol.EndpointId;
import dev.gantry.protocol.GantryHome;
import dev.gantry.service.ServiceConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

/** The benchmark's backends: embedded, or a scratch database and broker prefix on this machine's PostgreSQL and RabbitMQ. */
final class Backends implements AutoCloseable {
    static final String PG = "jdbc:postgresql://127.0.0.1:5432/";
    static final String AMQP = "amqp://guest:guest@127.0.0.1:5672/%2f";
    private final String database;
    private final String prefix;

    Backends(boolean production) {
        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        database = production ? "gantry_bench_" + suffix : null;
        prefix = "gantry-bench-" + suffix;
        if (production) {
            admin("CREATE DATABASE " + database);
        }
    }

    ServiceConfig config(GantryHome home) {
        ServiceConfig c = ServiceConfig.embedded(home, 0);
        return database == null
                ? c
                : c.withBackends(PG + database + "?reWriteBatchedInserts=true", "postgres", "", AMQP, prefix);
    }

    String describe() {
        return database == null ? "embedded (H2, in-process broker)" : "production (PostgreSQL, RabbitMQ)";
    }

    void forget(EndpointId endpoint) {
        if (database != null) {
            RabbitBroker b = new RabbitBroker(AMQP, prefix, 1);
            b.deleteDeclared(List.of(endpoint));
            b.close();
        }
    }

    @Override
    public void close() {
        if (database != null) {
            try (dev.gantry.service.store.Database db =
                    dev.gantry.service.store.Database.open(PG + database, "postgres", "", 2)) {
                dev.gantry.service.results.SdkQueuesSetup.forget(db, AMQP);
            } catch (Exception e) {
                System.err.println("result queues and users left in RabbitMQ: " + e);
            }
            admin("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    private static void admin(String sql) {
        try (Connection c = DriverManager.getConnection(PG + "postgres", "postgres", "");
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (Exception e) {
            throw new IllegalStateException("PostgreSQL refused '" + sql + "' (is it running on 127.0.0.1:5432?)", e);
        }
    }
}
