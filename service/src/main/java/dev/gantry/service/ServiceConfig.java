package dev.gantry.service;

import dev.gantry.protocol.GantryHome;
import dev.gantry.service.store.Database;

/**
 * How a service instance runs. The embedded default keeps an H2 database under the Gantry home and needs
 * nothing else; {@code jdbcUrl} points it at PostgreSQL instead.
 */
public record ServiceConfig(GantryHome home, String host, int port, String jdbcUrl, String dbUser, String dbPassword,
        int heartbeatPeriodMs, long maxBodyBytes, int queueCapacity, boolean writeCredentials) {
    public static final int DEFAULT_PORT = 8740;
    public static final long MAX_BODY = 10L * 1000 * 1000;

    public ServiceConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
        if (heartbeatPeriodMs < 100) {
            throw new IllegalArgumentException("heartbeat period must be at least 100 ms");
        }
    }

    /** The embedded default: H2 under {@code home}, loopback only, local credentials written. */
    public static ServiceConfig embedded(GantryHome home, int port) {
        String url = Database.h2Url(home.serviceDir().resolve("gantry"));
        return new ServiceConfig(home, "127.0.0.1", port, url, "sa", "", 30_000, MAX_BODY, 200_000, true);
    }

    public ServiceConfig withPort(int p) {
        return new ServiceConfig(home, host, p, jdbcUrl, dbUser, dbPassword, heartbeatPeriodMs, maxBodyBytes,
                queueCapacity, writeCredentials);
    }
}
