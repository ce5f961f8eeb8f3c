package dev.gantry.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.ConnectionFactory;
import dev.gantry.client.ServiceClient;
import dev.gantry.client.Trust;
import dev.gantry.protocol.GantryException;
import dev.gantry.protocol.GantryHome;
import dev.gantry.protocol.api.TokenDoc;
import dev.gantry.service.GantryService;
import dev.gantry.service.ServiceConfig;
import dev.gantry.service.ServiceSecurity;
import dev.gantry.service.tls.SelfSigned;
import java.io.InputStream;
import java.net.URI;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The service over HTTPS and WSS, in this JVM, with the client's trust: a self-signed pair it makes, or certificate files it reloads when they change. */
class TlsTest {
    private final List<Path> dirs = new ArrayList<>();

    @AfterEach
    void clean() throws Exception {
        for (Path d : dirs) {
            try (Stream<Path> all = Files.walk(d)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void aSelfSignedServiceIsReachedByClientsThatTrustItsCertificateOnly() throws Exception {
        Path home = dir("gantry-tls-");
        ServiceConfig cfg = ServiceConfig.embedded(new GantryHome(home), 0);
        try (GantryService service =
                GantryService.start(cfg.withSecurity(cfg.security().withTls(ServiceSecurity.Tls.SELF_SIGNED)))) {
            GantryHome.Credentials c = service.credentials();
            assertThat(c.serviceUrl()).startsWith("https://127.0.0.1:");
            Path cert = Path.of(c.caFile());
            assertThat(cert).isEqualTo(home.resolve("service/tls/cert.pem"));
            assertThat(PosixFilePermissions.toString(
                            Files.getPosixFilePermissions(home.resolve("service/tls/key.pem"))))
                    .isEqualTo("rw-------");
            assertThat(new GantryHome(home).readCredentials().orElseThrow().caFile())
                    .isEqualTo(c.caFile());

            ServiceClient trusting = ServiceClient.of(c);
            assertThat(trusting.get("/v3/tokens", TokenDoc.Listing.class).tokens())
                    .isNotEmpty();
            CompletableFuture<WebSocket> ws = trusting.openWebSocket("/v3/stream", new WebSocket.Listener() {});
            ws.get(10, TimeUnit.SECONDS).sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);

            URI amqp = amqpUrl(trusting);
            assertThat(amqp.getScheme())
                    .as("the SDKs' result queues over TLS too")
                    .isEqualTo("amqps");
            assertThat(served(amqp, cert)).isEqualTo(pem(cert.getParent()));
            amqpConnect(amqp, cert).close();
            try (Stream<Path> files = Files.list(home.resolve("service/amqp"))) {
                assertThat(files.filter(Files::isRegularFile).toList())
                        .as("the broker's key store, settings (its password) and rules")
                        .extracting(f ->
                                f.getFileName() + " " + PosixFilePermissions.toString(Files.getPosixFilePermissions(f)))
                        .contains("tls.p12 rw-------", "initial-config.json rw-------", "rules.acl rw-------")
                        .allMatch(f -> f.endsWith(" rw-------"));
            }
            assertThatThrownBy(() -> amqpConnect(amqp, null))
                    .as("plain AMQP to the TLS port")
                    .isInstanceOf(Exception.class);

            ServiceClient system = new ServiceClient(List.of(c.serviceUrl()), c.token(), null);
            assertThatThrownBy(() -> system.get("/v3/tokens", TokenDoc.Listing.class))
                    .isInstanceOf(GantryException.class)
                    .hasMessageContaining("cannot reach");
            ServiceClient plain = new ServiceClient(c.serviceUrl().replace("https:", "http:"), c.token());
            assertThatThrownBy(() -> plain.get("/v3/tokens", TokenDoc.Listing.class))
                    .isInstanceOf(GantryException.class);
        }
        try (GantryService again =
                GantryService.start(cfg.withSecurity(cfg.security().withTls(ServiceSecurity.Tls.SELF_SIGNED)))) {
            assertThat(again.credentials().caFile())
                    .as("the pair is kept across restarts")
                    .isNotNull();
            assertThat(ServiceClient.of(again.credentials()).get("/v3/tokens", TokenDoc.Listing.class))
                    .isNotNull();
        }
    }

    @Test
    void certificateFilesAreServedAndLoadedAgainWhenTheyChange() throws Exception {
        Path home = dir("gantry-tls-files-");
        Path first = SelfSigned.ensure(dir("pair-a-"), "127.0.0.1", Clock.systemUTC())
                .certificate()
                .getParent();
        Path second = SelfSigned.ensure(dir("pair-b-"), "127.0.0.1", Clock.systemUTC())
                .certificate()
                .getParent();
        Path live = dir("live-");
        Files.copy(first.resolve("cert.pem"), live.resolve("cert.pem"));
        Files.copy(first.resolve("key.pem"), live.resolve("key.pem"));
        ServiceConfig cfg = ServiceConfig.embedded(new GantryHome(home), 0);
        ServiceSecurity.Tls tls = new ServiceSecurity.Tls(live.resolve("cert.pem"), live.resolve("key.pem"), false);
        try (GantryService service =
                GantryService.start(cfg.withSecurity(cfg.security().withTls(tls)))) {
            assertThat(service.credentials().caFile())
                    .as("the system's trust, or GANTRY_CA_FILE")
                    .isNull();
            URI url = URI.create(service.url());
            assertThat(served(url, first.resolve("cert.pem"))).isEqualTo(pem(first));
            ServiceClient a = new ServiceClient(
                    List.of(service.url()), service.credentials().token(), first.resolve("cert.pem"));
            assertThat(a.get("/v3/tokens", TokenDoc.Listing.class)).isNotNull();

            Files.copy(second.resolve("key.pem"), live.resolve("key.pem"), StandardCopyOption.REPLACE_EXISTING);
            Files.copy(second.resolve("cert.pem"), live.resolve("cert.pem"), StandardCopyOption.REPLACE_EXISTING);
            long deadline = System.nanoTime() + 15_000_000_000L;
            while (!pem(second).equals(served(url, second.resolve("cert.pem")))) {
                assertThat(System.nanoTime())
                        .as("the new certificate is served within seconds")
                        .isLessThan(deadline);
                Thread.sleep(200);
            }
            ServiceClient b = new ServiceClient(
                    List.of(service.url()), service.credentials().token(), second.resolve("cert.pem"));
            assertThat(b.get("/v3/tokens", TokenDoc.Listing.class)).isNotNull();
            URI amqp = amqpUrl(b);
            while (!pem(second).equals(served(amqp, second.resolve("cert.pem")))) {
                assertThat(System.nanoTime())
                        .as("the result queues' port serves it within seconds too")
                        .isLessThan(deadline);
                Thread.sleep(200);
            }
            amqpConnect(amqp, second.resolve("cert.pem")).close();
        }
    }

    @Test
    void aKeyThatIsNotTheCertificatesIsRefusedAtStart() throws Exception {
        Path a = SelfSigned.ensure(dir("pair-a-"), "127.0.0.1", Clock.systemUTC())
                .certificate()
                .getParent();
        Path b = SelfSigned.ensure(dir("pair-b-"), "127.0.0.1", Clock.systemUTC())
                .certificate()
                .getParent();
        ServiceConfig cfg = ServiceConfig.embedded(new GantryHome(dir("gantry-tls-bad-")), 0);
        ServiceSecurity.Tls mixed = new ServiceSecurity.Tls(a.resolve("cert.pem"), b.resolve("key.pem"), false);
        assertThatThrownBy(() ->
                        GantryService.start(cfg.withSecurity(cfg.security().withTls(mixed))))
                .isInstanceOf(GantryException.class)
                .hasMessageContaining("is not the key of the certificate");
        Path junk = a.resolve("junk.pem");
        Files.writeString(junk, "not a key");
        ServiceSecurity.Tls broken = new ServiceSecurity.Tls(a.resolve("cert.pem"), junk, false);
        assertThatThrownBy(() ->
                        GantryService.start(cfg.withSecurity(cfg.security().withTls(broken))))
                .isInstanceOf(GantryException.class)
                .hasMessageContaining("no unencrypted private key");
    }

    @Test
    void plainHttpGoesToLoopbackOnly() {
        assertThatThrownBy(() -> new ServiceClient("http://192.0.2.7:8740", "gty_x"))
                .isInstanceOf(GantryException.class)
                .hasMessageContaining("refusing plain http to 192.0.2.7");
        assertThatThrownBy(() -> new ServiceClient("http://compute.example.org:8740", "gty_x"))
                .hasMessageContaining("unencrypted");
        assertThat(new ServiceClient("http://127.0.0.1:8740", "gty_x")).isNotNull();
        assertThat(new ServiceClient("http://[::1]:8740", "gty_x")).isNotNull();
        assertThat(new ServiceClient("https://compute.example.org", "gty_x")).isNotNull();
    }

    /** Where the service tells Globus Compute's SDK to read its results. */
    private static URI amqpUrl(ServiceClient c) {
        return URI.create(c.get("/v2/get_amqp_result_connection_url", JsonNode.class)
                .get("connection_url")
                .asText());
    }

    /** An AMQP connection to {@code url}, over TLS trusting {@code ca} and checking the host name (null: plain). */
    private static com.rabbitmq.client.Connection amqpConnect(URI url, Path ca) throws Exception {
        ConnectionFactory f = new ConnectionFactory();
        f.setUri(ca == null ? URI.create(url.toString().replace("amqps:", "amqp:")) : url);
        if (ca != null) {
            f.useSslProtocol(Trust.context(ca));
            f.enableHostnameVerification();
        }
        f.setConnectionTimeout(5000);
        f.setHandshakeTimeout(5000);
        return f.newConnection("tls-test");
    }

    /** The certificate the service presents, read with a TLS socket that trusts {@code ca}. */
    private static String served(URI url, Path ca) throws Exception {
        try (SSLSocket s =
                (SSLSocket) Trust.context(ca).getSocketFactory().createSocket(url.getHost(), url.getPort())) {
            s.startHandshake();
            return ((X509Certificate) s.getSession().getPeerCertificates()[0])
                    .getSerialNumber()
                    .toString();
        } catch (SSLException e) {
            return "untrusted";
        }
    }

    private static String pem(Path pairDir) throws Exception {
        try (InputStream in = Files.newInputStream(pairDir.resolve("cert.pem"))) {
            return ((X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in))
                    .getSerialNumber()
                    .toString();
        }
    }

    private Path dir(String prefix) throws Exception {
        Path d = Files.createTempDirectory(prefix);
        dirs.add(d);
        return d;
    }
}
