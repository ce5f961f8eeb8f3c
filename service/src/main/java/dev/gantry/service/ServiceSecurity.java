package dev.gantry.service;

import dev.gantry.service.auth.OidcProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Whom the service trusts besides its own API tokens, and how much it lets each caller do.
 *
 * @param oidc the OIDC providers whose access tokens it accepts (none by default)
 * @param requestsPerSecond how many requests an identity may make a second, on average (0: no limit)
 * @param requestBurst how many it may make at once
 * @param tls how the service serves HTTPS: {@link Tls#OFF}, its own certificate files, or a self-signed pair
 * @param sockets what one client may hold of the service's sockets
 */
public record ServiceSecurity(
        List<OidcProvider> oidc, double requestsPerSecond, int requestBurst, Tls tls, Sockets sockets) {
    /**
     * At most {@code perSource} connections open from one address, and a request header whole within
     * {@code headerDeadline} of its first byte.
     */
    public record Sockets(int perSource, Duration headerDeadline) {
        public static final Sockets DEFAULT = new Sockets(256, Duration.ofSeconds(10));

        public Sockets {
            if (perSource < 1 || headerDeadline.isNegative() || headerDeadline.isZero()) {
                throw new IllegalArgumentException("connections_per_source must be 1 or more");
            }
        }
    }

    /**
     * HTTPS from a certificate and key (PEM files), or from a pair the service makes for itself
     * ({@code selfSigned}, kept under the service directory), or none ({@code OFF}: plain HTTP).
     */
    public record Tls(Path certificate, Path key, boolean selfSigned) {
        public static final Tls OFF = new Tls(null, null, false);
        public static final Tls SELF_SIGNED = new Tls(null, null, true);

        public Tls {
            if ((certificate == null) != (key == null)) {
                throw new IllegalArgumentException("tls_cert and tls_key go together");
            }
            if (certificate != null && selfSigned) {
                throw new IllegalArgumentException("tls_self_signed and tls_cert exclude each other");
            }
        }

        public boolean on() {
            return selfSigned || certificate != null;
        }
    }

    public static final double DEFAULT_RATE = 1000;
    public static final int DEFAULT_BURST = 2000;
    public static final ServiceSecurity DEFAULT =
            new ServiceSecurity(List.of(), DEFAULT_RATE, DEFAULT_BURST, Tls.OFF, Sockets.DEFAULT);

    public ServiceSecurity {
        oidc = List.copyOf(oidc);
        if (requestsPerSecond < 0 || requestBurst < 1) {
            throw new IllegalArgumentException(
                    "rate_limit_per_second must be 0 (no limit) or more, rate_limit_burst 1 or more");
        }
    }

    public ServiceSecurity withOidc(List<OidcProvider> providers) {
        return new ServiceSecurity(providers, requestsPerSecond, requestBurst, tls, sockets);
    }

    public ServiceSecurity withRateLimit(double perSecond, int burst) {
        return new ServiceSecurity(oidc, perSecond, burst, tls, sockets);
    }

    public ServiceSecurity withTls(Tls t) {
        return new ServiceSecurity(oidc, requestsPerSecond, requestBurst, t, sockets);
    }

    public ServiceSecurity withSockets(Sockets s) {
        return new ServiceSecurity(oidc, requestsPerSecond, requestBurst, tls, s);
    }
}
