package dev.gantry.client;

import dev.gantry.protocol.ApiError;
import dev.gantry.protocol.GantryException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Whom a client trusts for TLS: the certificates of a PEM file ({@code GANTRY_CA_FILE}, or the one a service
 * names in the credentials it wrote), or the system's trust store. And the rule for plain HTTP: only to a
 * loopback address, unless {@code GANTRY_ALLOW_PLAIN_HTTP=1} says otherwise, since the bearer token would cross
 * the network readable by anyone on the path.
 */
public final class Trust {
    static final long MAX_PEM_BYTES = 1024 * 1024;

    private Trust() {}

    /** An SSL context trusting exactly the certificates in {@code pem}; the system's when it is null. */
    public static SSLContext context(Path pem) {
        try {
            if (pem == null) {
                return SSLContext.getDefault();
            }
            if (Files.size(pem) > MAX_PEM_BYTES) {
                throw new IOException("larger than " + MAX_PEM_BYTES + " bytes");
            }
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            try (InputStream in = Files.newInputStream(pem)) {
                int i = 0;
                for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    ks.setCertificateEntry("ca-" + i++, c);
                }
                if (i == 0) {
                    throw new IOException("no certificate in it");
                }
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException | GeneralSecurityException e) {
            throw new GantryException(
                    ApiError.SEMANTICALLY_INVALID, "cannot trust the certificates of " + pem + ": " + e.getMessage());
        }
    }

    /** Refuses a plain {@code http://} URL to an address that is not loopback, unless {@code allowPlain}. */
    static void checkPlain(List<URI> urls, boolean allowPlain) {
        for (URI u : urls) {
            if ("http".equalsIgnoreCase(u.getScheme()) && !allowPlain && !loopback(u.getHost())) {
                throw new GantryException(
                        ApiError.SEMANTICALLY_INVALID,
                        "refusing plain http to " + u.getHost() + ": the token would cross the network unencrypted;"
                                + " use the service's https URL (or set GANTRY_ALLOW_PLAIN_HTTP=1 on a trusted network)");
            }
        }
    }

    private static boolean loopback(String host) {
        if (host == null) {
            return false;
        }
        if (host.equals("localhost")) {
            return true;
        }
        String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (!h.matches("[0-9.]+") && !h.contains(":")) {
            return false; // a name: not resolved here, so not trusted to be loopback
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
