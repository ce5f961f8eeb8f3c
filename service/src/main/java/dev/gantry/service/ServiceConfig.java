package dev.gantry.service;

import dev.gantry.protocol.GantryHome;
import dev.gantry.service.store.Database;
import java.time.Duration;

/**
 * How a service instance runs. The embedded default keeps an H2 database under the Gantry home and an
 * in-process broker; {@code jdbcUrl} and {@code brokerUrl} point it at PostgreSQL and RabbitMQ instead,
 * which is what several instances behind a load balancer share.
 *
 * @param brokerUrl an {@code amqp://} URL, or null for the in-process broker
 * @param brokerPrefix prefix of every queue and exchange this deployment declares
 * @param retention how long tasks and results are kept after submission; then they answer {@code expired}
 * @param outputKeptBytes how much of each task's output is kept (the newest part; 0 keeps none)
 * @param security whom the service trusts and how much it lets each caller do
 */
public record ServiceConfig(
        GantryHome home,
        String host,
        int port,
        String jdbcUrl,
        String dbUser,
        String dbPassword,
        String brokerUrl,
        String brokerPrefix,
        int heartbeatPeriodMs,
        long maxBodyBytes,
        int queueCapacity,
        Duration retention,
        Duration housekeepingPeriod,
        boolean writeCredentials,
        long outputKeptBytes,
        ServiceSecurity security) {
    public static final int DEFAULT_PORT = 8740;
    /** What the service keeps of each task's output (the newest part): 1 MiB. */
    public static final long DEFAULT_OUTPUT_KEPT = 1024 * 1024;

    public static final long MAX_BODY = 10L * 1000 * 1000;
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(14);

    public ServiceConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
        if (heartbeatPeriodMs < 100) {
            throw new IllegalArgumentException("heartbeat period must be at least 100 ms");
        }
        if (retention.isNegative()
                || retention.isZero()
                || housekeepingPeriod.isNegative()
                || housekeepingPeriod.isZero()) {
            throw new IllegalArgumentException("retention and housekeeping period must be positive");
        }
        if (outputKeptBytes < 0) {
            throw new IllegalArgumentException("output_kept_bytes must not be negative");
        }
        if (brokerPrefix == null || !brokerPrefix.matches("[A-Za-z0-9_.-]{1,64}")) {
            throw new IllegalArgumentException("broker prefix must be 1-64 letters, digits, '_', '.' or '-'");
        }
    }

    /** The embedded default: H2 under {@code home}, in-process broker, loopback only, local credentials written. */
    public static ServiceConfig embedded(GantryHome home, int port) {
        String url = Database.h2Url(home.serviceDir().resolve("gantry"));
        return new ServiceConfig(
                home,
                "127.0.0.1",
                port,
                url,
                "sa",
                "",
                null,
                "gantry",
                30_000,
                MAX_BODY,
                200_000,
                DEFAULT_RETENTION,
                Duration.ofMinutes(1),
                true,
                DEFAULT_OUTPUT_KEPT,
                ServiceSecurity.DEFAULT);
    }

    public boolean embeddedBroker() {
        return brokerUrl == null || brokerUrl.isBlank();
    }

    public ServiceConfig withPort(int p) {
        return new ServiceConfig(
                home,
                host,
                p,
                jdbcUrl,
                dbUser,
                dbPassword,
                brokerUrl,
                brokerPrefix,
                heartbeatPeriodMs,
                maxBodyBytes,
                queueCapacity,
                retention,
                housekeepingPeriod,
                writeCredentials,
                outputKeptBytes,
                security);
    }

    public ServiceConfig withBackends(String jdbc, String user, String password, String broker, String prefix) {
        return new ServiceConfig(
                home,
                host,
                port,
                jdbc,
                user,
                password,
                broker,
                prefix,
                heartbeatPeriodMs,
                maxBodyBytes,
                queueCapacity,
                retention,
                housekeepingPeriod,
                writeCredentials,
                outputKeptBytes,
                security);
    }

    public ServiceConfig withRetention(Duration keep, Duration every) {
        return new ServiceConfig(
                home,
                host,
                port,
                jdbcUrl,
                dbUser,
                dbPassword,
                brokerUrl,
                brokerPrefix,
                heartbeatPeriodMs,
                maxBodyBytes,
                queueCapacity,
                keep,
                every,
                writeCredentials,
                outputKeptBytes,
                security);
    }

    public ServiceConfig withOutputKept(long bytes) {
        return new ServiceConfig(
                home,
                host,
                port,
                jdbcUrl,
                dbUser,
                dbPassword,
                brokerUrl,
                brokerPrefix,
                heartbeatPeriodMs,
                maxBodyBytes,
                queueCapacity,
                retention,
                housekeepingPeriod,
                writeCredentials,
                bytes,
                security);
    }

    public ServiceConfig withSecurity(ServiceSecurity s) {
        return new ServiceConfig(
                home,
                host,
                port,
                jdbcUrl,
                dbUser,
                dbPassword,
                brokerUrl,
                brokerPrefix,
                heartbeatPeriodMs,
                maxBodyBytes,
                queueCapacity,
                retention,
                housekeepingPeriod,
                writeCredentials,
                outputKeptBytes,
                s);
    }

    public ServiceConfig withHost(String h) {
        return new ServiceConfig(
                home,
                h,
                port,
                jdbcUrl,
                dbUser,
                dbPassword,
                brokerUrl,
                brokerPrefix,
                heartbeatPeriodMs,
                maxBodyBytes,
                queueCapacity,
                retention,
                housekeepingPeriod,
                writeCredentials,
                outputKeptBytes,
                security);
    }
}
