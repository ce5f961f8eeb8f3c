package dev.gantry.service.tls;

import dev.gantry.protocol.GantryHome;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The self-signed certificate a service makes for itself on its first start with {@code tls_self_signed}: an
 * ECDSA P-256 key and a certificate for {@code localhost}, {@code 127.0.0.1}, {@code ::1}, this host's name and
 * the address the service listens on, valid a year; made again when less than 30 days are left. Clients trust it
 * by the certificate file (the service names it in the credentials it writes).
 */
public final class SelfSigned {
    static final Duration VALIDITY = Duration.ofDays(365);
    static final Duration RENEW_BEFORE = Duration.ofDays(30);

    private SelfSigned() {}

    /** The pair in {@code dir} ({@code cert.pem}, {@code key.pem}, owner-only), made or renewed as needed. */
    public static KeyPairFiles ensure(Path dir, String host, Clock clock) throws IOException, GeneralSecurityException {
        GantryHome.privateDir(dir);
        KeyPairFiles files = new KeyPairFiles(dir.resolve("cert.pem"), dir.resolve("key.pem"));
        if (Files.isRegularFile(files.certificate()) && Files.isRegularFile(files.key()) && fresh(files, host, clock)) {
            return files;
        }
        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = gen.generateKeyPair();
        X509Certificate cert = certificate(pair, names(host), clock.instant());
        GantryHome.writePrivate(files.key(), pem(new JcaPKCS8Generator(pair.getPrivate(), null).generate()));
        GantryHome.writePrivate(files.certificate(), pem(cert));
        return files;
    }

    private static boolean fresh(KeyPairFiles files, String host, Clock clock) {
        try {
            X509Certificate cert = (X509Certificate) files.keyStore().getCertificate("gantry");
            Set<String> has = new LinkedHashSet<>();
            if (cert.getSubjectAlternativeNames() != null) {
                cert.getSubjectAlternativeNames().forEach(n -> has.add(String.valueOf(n.get(1))));
            }
            return cert.getNotAfter().toInstant().isAfter(clock.instant().plus(RENEW_BEFORE))
                    && has.containsAll(names(host).stream()
                            .map(n -> n.replace("[", "").replace("]", ""))
                            .toList());
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            return false; // unreadable or not ours: made again
        }
    }

    private static List<String> names(String host) {
        Set<String> names = new LinkedHashSet<>(List.of("localhost", "127.0.0.1", "0:0:0:0:0:0:0:1"));
        try {
            names.add(InetAddress.getLocalHost().getHostName());
        } catch (IOException e) {
            // no name for this host: the loopback names do
        }
        if (host != null && !host.isBlank() && !host.equals("0.0.0.0") && !host.equals("::")) {
            names.add(host);
        }
        return new ArrayList<>(names);
    }

    private static X509Certificate certificate(KeyPair pair, List<String> names, Instant now)
            throws GeneralSecurityException, IOException {
        X500Name subject = new X500Name("CN=Gantry service (self-signed)");
        List<GeneralName> alt = new ArrayList<>();
        for (String n : names) {
            boolean ip = n.matches("[0-9.]+") || n.contains(":");
            alt.add(new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, n));
        }
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                subject,
                new BigInteger(64, new SecureRandom()),
                Date.from(now.minus(Duration.ofMinutes(5))),
                Date.from(now.plus(VALIDITY)),
                subject,
                pair.getPublic());
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(alt.toArray(new GeneralName[0])));
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        try {
            return new JcaX509CertificateConverter()
                    .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static String pem(Object o) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(o);
        }
        return out.toString();
    }
}
