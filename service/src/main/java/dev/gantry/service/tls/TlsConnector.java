package dev.gantry.service.tls;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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
    private final List<KeyStoreUser> users = new CopyOnWriteArrayList<>();
    private volatile boolean closed;
    private String loaded;

    public TlsConnector(KeyPairFiles files) throws IOException, GeneralSecurityException {
        this.files = files;
        loaded = files.version();
        ssl.setKeyStore(files.keyStore());
        ssl.setKeyStorePassword("");
        ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
        ssl.setSniRequired(false);
        watcher = Thread.ofVirtual().name("tls-reload").unstarted(this::watchFiles);
    }

    /** Something else that serves this pair (the embedded broker's TLS port), told when it is loaded again. */
    @FunctionalInterface
    public interface KeyStoreUser {
        void reload(KeyStore pair) throws Exception;
    }

    /** The pair its files hold now: the key and certificate chain, under an empty password. */
    public KeyStore keyStore() throws IOException, GeneralSecurityException {
        return files.keyStore();
    }

    /** Tells {@code user} the pair each time it is loaded again (from the watcher's thread). */
    public void onReload(KeyStoreUser user) {
        users.add(user);
        watch();
    }

    private synchronized void watch() {
        if (watcher.getState() == Thread.State.NEW) {
            watcher.start();
        }
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
        watch();
        return c;
    }

    private void watchFiles() {
        while (!closed) {
            try {
                Thread.sleep(CHECK_EVERY);
                String now = files.version();
                if (!now.equals(loaded)) {
                    KeyStore pair = files.keyStore();
                    ssl.reload(f -> {
                        try {
                            f.setKeyStore(pair);
                        } catch (RuntimeException e) {
                            throw new IllegalStateException(e.getMessage(), e);
                        }
                    });
                    loaded = now;
                    log.info("loaded the TLS certificate {} again (it changed)", files.certificate());
                    tell(pair);
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

    private void tell(KeyStore pair) {
        for (KeyStoreUser u : users) {
            try {
                u.reload(pair);
            } catch (Exception e) {
                log.warn(
                        "the changed TLS certificate {} could not be served everywhere: {}",
                        files.certificate(),
                        e.toString());
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        watcher.interrupt();
    }
}
