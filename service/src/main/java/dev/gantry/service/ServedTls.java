package dev.gantry.service;

import dev.gantry.protocol.ApiError;
import dev.gantry.protocol.GantryException;
import dev.gantry.service.tls.KeyPairFiles;
import dev.gantry.service.tls.SelfSigned;
import dev.gantry.service.tls.TlsConnector;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.Optional;

/** The TLS connector a service serves HTTPS with and the file clients trust it by (a self-signed certificate). */
record ServedTls(TlsConnector connector, String caFile) {
    /** The configuration's TLS, with its self-signed certificate made on first start; none when TLS is off. */
    static Optional<ServedTls> of(ServiceConfig cfg, Clock clock) {
        ServiceSecurity.Tls t = cfg.security().tls();
        if (!t.on()) {
            return Optional.empty();
        }
        try {
            KeyPairFiles files = t.selfSigned()
                    ? SelfSigned.ensure(cfg.home().serviceDir().resolve("tls"), cfg.host(), clock)
                    : new KeyPairFiles(t.certificate(), t.key());
            return Optional.of(new ServedTls(
                    new TlsConnector(files),
                    t.selfSigned() ? files.certificate().toString() : null));
        } catch (IOException | GeneralSecurityException e) {
            throw new GantryException(
                    ApiError.SEMANTICALLY_INVALID, "cannot serve HTTPS with the TLS certificate: " + e.getMessage());
        }
    }

    /** The service's address as clients write it: an IPv6 host in brackets. */
    static String url(boolean https, String host, int port) {
        return (https ? "https://" : "http://") + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
