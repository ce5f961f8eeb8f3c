package dev.gantry.engines.pilot;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * How a pilot manager joins its interchange, and how their link is kept private: TLS 1.3 with a certificate made
 * for this interchange when its engine starts (ECDSA P-256, its key only in the endpoint's memory), which the
 * manager trusts alone, and a random token the manager registers with inside it. The manager gets both as one
 * secret ({@link #secret}): the token on its first line, the certificate's PEM after it. Task code, arguments and
 * results cross the cluster's network encrypted, as Globus Compute's engine does with {@code encrypted: true}.
 */
final class PilotLink {
    private static final String[] PROTOCOLS = {"TLSv1.3"};
    private final String token;
    private final String certificatePem;
    private final SSLContext server;

    private PilotLink(String token, String certificatePem, SSLContext server) {
        this.token = token;
        this.certificatePem = certificatePem;
        this.server = server;
    }

    /** A new token and certificate, valid from {@code clock}'s now for ten years. */
    static PilotLink create(Clock clock) throws GeneralSecurityException {
        SecureRandom random = SecureRandom.getInstanceStrong();
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), random);
        KeyPair pair = g.generateKeyPair();
        X500Name name = new X500Name("CN=Gantry pilot interchange");
        Instant now = clock.instant();
        try {
            X509Certificate cert = new JcaX509CertificateConverter()
                    .getCertificate(new JcaX509v3CertificateBuilder(
                                    name,
                                    new BigInteger(128, random),
                                    Date.from(now.minus(Duration.ofDays(1))),
                                    Date.from(now.plus(Duration.ofDays(3650))),
                                    name,
                                    pair.getPublic())
                            .build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("interchange", pair.getPrivate(), new char[0], new Certificate[] {cert});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, new char[0]);
            SSLContext ctx = SSLContext.getInstance("TLSv1.3");
            ctx.init(kmf.getKeyManagers(), null, null);
            String pem = "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                            .encodeToString(cert.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
            return new PilotLink(HexFormat.of().formatHex(random.generateSeed(32)), pem, ctx);
        } catch (IOException | OperatorCreationException e) {
            throw new GeneralSecurityException("cannot make the interchange's certificate: " + e.getMessage(), e);
        }
    }

    /** What a manager registers with. */
    String token() {
        return token;
    }

    /** What a manager is given: the token, then the certificate it trusts. */
    String secret() {
        return token + "\n" + certificatePem;
    }

    /** The interchange's listening socket, TLS 1.3 only, not yet bound. */
    ServerSocket serverSocket() throws IOException {
        SSLServerSocket s = (SSLServerSocket) server.getServerSocketFactory().createServerSocket();
        s.setEnabledProtocols(PROTOCOLS);
        return s;
    }

    /** A manager's side: the token it registers with, and sockets that trust the interchange's certificate only. */
    record Joining(String token, SSLSocketFactory sockets) {}

    /** Reads a {@link #secret}; refuses one without a certificate. */
    static Joining join(String secret) throws GeneralSecurityException, IOException {
        int nl = secret.indexOf('\n');
        if (nl < 0 || !secret.substring(nl + 1).contains("BEGIN CERTIFICATE")) {
            throw new GeneralSecurityException("the interchange's secret names no certificate to trust");
        }
        Certificate cert = CertificateFactory.getInstance("X.509")
                .generateCertificate(
                        new ByteArrayInputStream(secret.substring(nl + 1).getBytes(StandardCharsets.US_ASCII)));
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("interchange", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        SSLContext ctx = SSLContext.getInstance("TLSv1.3");
        ctx.init(null, tmf.getTrustManagers(), null);
        return new Joining(secret.substring(0, nl).strip(), ctx.getSocketFactory());
    }
}
