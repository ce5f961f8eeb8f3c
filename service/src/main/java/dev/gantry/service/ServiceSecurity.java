package dev.gantry.service;

import dev.gantry.service.auth.OidcProvider;
import java.nio.file.Path;
import java.util.List;

/**
 * Whom the service trusts besides its own API tokens, and how much it lets each caller do.
 *
 * @param oidc the OIDC providers whose access tokens it accepts (none by default)
 * @param requestsPerSecond how many requests an identity may make a second, on average (0: no limit)
 * @param requestBurst how many it may make at once
 * @param tls how the service serves HTTPS: {@link Tls#OFF}, its own certificate files, or a self-signed pair
 */
public record ServiceSecurity(List<OidcProvider> oidc, double requestsPerSecond, int requestBurst, Tls tls) {
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
    public static final ServiceSecurity DEFAULT = new ServiceSecurity(List.of(), DEFAULT_RATE, DEFAULT_BURST, Tls.OFF);

    public ServiceSecurity {
        oidc = List.copyOf(oidc);
        if (requestsPerSecond < 0 || requestBurst < 1) {
            throw new IllegalArgumentException(
                    "rate_limit_per_second must be 0 (no limit) or more, rate_limit_burst 1 or more");
        }
    }

    public ServiceSecurity withOidc(List<OidcProvider> providers) {
        return new ServiceSecurity(providers, requestsPerSecond, requestBurst, tls);
    }

    public ServiceSecurity withRateLimit(double perSecond, int burst) {
        return new ServiceSecurity(oidc, perSecond, burst, tls);
    }

    public ServiceSecurity withTls(Tls t) {
        return new ServiceSecurity(oidc, requestsPerSecond, requestBurst, t);
    }
}
