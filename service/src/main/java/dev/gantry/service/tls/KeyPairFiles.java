package dev.gantry.service.tls;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * A certificate chain and its private key, in PEM files: the chain as one or more {@code CERTIFICATE} blocks
 * (the service's first), the key unencrypted as PKCS#8 ({@code PRIVATE KEY}) or the older RSA and EC forms.
 */
public record KeyPairFiles(Path certificate, Path key) {
    /** The largest PEM file read: a chain of a few certificates is some kilobytes. */
    static final long MAX_PEM_BYTES = 1024 * 1024;

    /** Both files' modification times, so a watcher can tell when either changed. */
    String version() throws IOException {
        return Files.getLastModifiedTime(certificate) + "/" + Files.getLastModifiedTime(key) + "/"
                + Files.size(certificate) + "/" + Files.size(key);
    }

    /** A key store holding the pair under the alias {@code gantry}, with an empty password. */
    KeyStore keyStore() throws IOException, GeneralSecurityException {
        Certificate[] chain = chain();
        PrivateKey privateKey = privateKey();
        if (!matches(privateKey, chain[0].getPublicKey())) {
            throw new IOException(key + " is not the key of the certificate in " + certificate);
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("gantry", privateKey, new char[0], chain);
        return ks;
    }

    private Certificate[] chain() throws IOException, GeneralSecurityException {
        checkSize(certificate);
        try (var in = Files.newInputStream(certificate)) {
            Collection<? extends Certificate> certs =
                    CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) {
                throw new IOException(certificate + " holds no certificate");
            }
            return certs.toArray(new Certificate[0]);
        }
    }

    private PrivateKey privateKey() throws IOException {
        checkSize(key);
        try (Reader r = Files.newBufferedReader(key);
                PEMParser pem = new PEMParser(r)) {
            Object o = pem.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (o instanceof PEMKeyPair pair) {
                return converter.getPrivateKey(pair.getPrivateKeyInfo());
            }
            if (o instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            throw new IOException(key + " holds no unencrypted private key (PEM 'PRIVATE KEY', 'RSA PRIVATE KEY' or"
                    + " 'EC PRIVATE KEY')");
        }
    }

    /** Whether {@code priv} signs what {@code pub} verifies: the key belongs to the certificate. */
    private static boolean matches(PrivateKey priv, PublicKey pub) throws GeneralSecurityException {
        String alg = switch (priv.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC", "ECDSA" -> "SHA256withECDSA";
            default -> priv.getAlgorithm(); // Ed25519, Ed448
        };
        byte[] probe = "gantry".getBytes(StandardCharsets.US_ASCII);
        Signature sign = Signature.getInstance(alg);
        sign.initSign(priv);
        sign.update(probe);
        byte[] sig = sign.sign();
        Signature verify = Signature.getInstance(alg);
        verify.initVerify(pub);
        verify.update(probe);
        return verify.verify(sig);
    }

    private static void checkSize(Path f) throws IOException {
        if (Files.size(f) > MAX_PEM_BYTES) {
            throw new IOException(f + " is larger than " + MAX_PEM_BYTES + " bytes: not a PEM certificate or key");
        }
    }
}
