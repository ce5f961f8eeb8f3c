package dev.gantry.service.tls;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's HTTPS connector (TLS 1.2 and 1.3 only), and a watcher that loads the certificate and key again
 * when their files change, so a renewed certificate is served without a restart (connections already open keep
 * the old one). A pair that does not load keeps the previous one and says why in the log.
 */
public final class TlsConnector implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TlsConnector.class);
    static final Duration CHECK_EVERY = Duration.ofSeconds(2);
    private final KeyPairFiles files;
    private final SslContextFactory.Server ssl = new SslContextFactory.Server();
    private final Thread watcher;
    private volatile boolean closed;
    private String loaded;

    public TlsConnector(KeyPairFiles files) throws IOException, GeneralSecurityException {
        this.files = files;
        loaded = files.version();
        ssl.setKeyStore(files.keyStore());
        ssl.setKeyStorePassword("");
        ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
        ssl.setSniRequired(false);
        watcher = Thread.ofVirtual().name("tls-reload").unstarted(this::watch);
    }

    /** A connector on {@code host}:{@code port} for {@code server}, with Jetty's settings {@code http}. */
    public ServerConnector connector(Server server, HttpConfiguration http, String host, int port) {
        HttpConfiguration https = new HttpConfiguration(http);
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        secure.setSniHostCheck(false); // clients reach the service by addresses the certificate may not name first
        https.addCustomizer(secure);
        ServerConnector c = new ServerConnector(
                server,
                new SslConnectionFactory(ssl, HttpVersion.HTTP_1_1.asString()),
                new HttpConnectionFactory(https));
        c.setHost(host);
        c.setPort(port);
        if (!watcher.isAlive()) {
            watcher.start();
        }
        return c;
    }

    private void watch() {
        while (!closed) {
            try {
                Thread.sleep(CHECK_EVERY);
                String now = files.version();
                if (!now.equals(loaded)) {
                    ssl.reload(f -> {
                        try {
                            f.setKeyStore(files.keyStore());
                        } catch (IOException | GeneralSecurityException e) {
                            throw new IllegalStateException(e.getMessage(), e);
                        }
                    });
                    loaded = now;
                    log.info("loaded the TLS certificate {} again (it changed)", files.certificate());
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                log.warn(
                        "the changed TLS certificate {} does not load ({}); serving the previous one",
                        files.certificate(),
                        e.getMessage());
                try {
                    loaded = files.version();
                } catch (IOException x) {
                    // looked at again next round
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        watcher.interrupt();
    }
}
