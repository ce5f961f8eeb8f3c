package dev.gantry.service.http;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.server.HttpConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a slow or greedy client may hold of the service's sockets: at most {@code perSource} open connections
 * from one address (one more is closed as it opens), and a request's header must arrive whole within
 * {@code headerDeadline} of its first byte (a slowloris trickling its header is closed; an idle kept-alive
 * connection waits as long as Jetty's idle timeout lets it). A sweeper looks at every connection once a second.
 */
final class ConnectionGuard implements Connection.Listener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConnectionGuard.class);
    private final int perSource;
    private final long headerDeadlineNanos;
    private final Map<EndPoint, InetAddress> sources = new ConcurrentHashMap<>();
    private final Map<InetAddress, Integer> openFrom = new ConcurrentHashMap<>();
    private final Map<HttpConnection, HeaderStart> reading = new ConcurrentHashMap<>();
    private final Thread sweeper;
    private volatile boolean closed;

    /** When a request's header began arriving: its connection's request count then, and the time. */
    private record HeaderStart(long messagesIn, long atNanos) {}

    ConnectionGuard(int perSource, Duration headerDeadline) {
        this.perSource = perSource;
        this.headerDeadlineNanos = headerDeadline.toNanos();
        sweeper = Thread.ofVirtual().name("connection-guard").start(this::sweep);
    }

    @Override
    public void onOpened(Connection connection) {
        if (connection instanceof HttpConnection http) {
            reading.put(http, new HeaderStart(-1, 0));
        }
        EndPoint socket = connection.getEndPoint();
        if (socket instanceof SslConnection.DecryptedEndPoint
                || !(socket.getRemoteSocketAddress() instanceof InetSocketAddress a)) {
            return; // counted by the TLS connection under it
        }
        sources.put(socket, a.getAddress()); // kept: a closed socket no longer knows its remote address
        if (openFrom.merge(a.getAddress(), 1, Integer::sum) > perSource) {
            forget(socket);
            log.warn(
                    "closed a connection from {}: it has {} open, the most one address may", a.getAddress(), perSource);
            socket.close();
        }
    }

    @Override
    public void onClosed(Connection connection) {
        if (connection instanceof HttpConnection http) {
            reading.remove(http);
        }
        forget(connection.getEndPoint());
    }

    private void forget(EndPoint socket) {
        InetAddress from = sources.remove(socket);
        if (from != null) {
            openFrom.computeIfPresent(from, (k, n) -> n == 1 ? null : n - 1);
        }
    }

    private void sweep() {
        while (!closed) {
            try {
                TimeUnit.SECONDS.sleep(1);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            reading.replaceAll((http, seen) -> check(http, seen, now));
        }
    }

    /** The header start to keep for {@code http}, closing it first if its header is overdue. */
    private HeaderStart check(HttpConnection http, HeaderStart seen, long now) {
        HttpParser parser = http.getParser();
        boolean inHeader = !parser.isStart() && parser.inHeaderState();
        if (!inHeader) {
            return new HeaderStart(-1, 0);
        }
        if (seen.messagesIn() != http.getMessagesIn()) {
            return new HeaderStart(http.getMessagesIn(), now);
        }
        if (now - seen.atNanos() > headerDeadlineNanos) {
            log.warn(
                    "closed a connection from {}: its request header took longer than {} s",
                    http.getEndPoint().getRemoteSocketAddress(),
                    TimeUnit.NANOSECONDS.toSeconds(headerDeadlineNanos));
            http.getEndPoint().close();
        }
        return seen;
    }

    @Override
    public void close() {
        closed = true;
        sweeper.interrupt();
    }
}
