package dev.gantry.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on loopback that injects network faults between a client and a server: {@link #blackhole}
 * stops carrying bytes both ways while keeping every connection open (a partition: no FIN, no RST), and
 * {@link #dropResponses} lets requests through but cuts the connection instead of passing the next answers
 * back (a request committed whose reply is lost).
 */
final class FaultProxy implements AutoCloseable {
    private final ServerSocket server;
    private final InetSocketAddress target;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean blackhole;
    private final AtomicInteger dropResponses = new AtomicInteger();

    FaultProxy(int targetPort) throws IOException {
        this.target = new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort);
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().name("fault-proxy").start(this::accept);
    }

    String url() {
        return GantryProcesses.SCHEME + "://127.0.0.1:" + server.getLocalPort();
    }

    /** While on, nothing is carried either way and nothing is closed. */
    void blackhole(boolean on) {
        blackhole = on;
    }

    /** The next {@code n} server answers are not passed back: their connections are cut instead. */
    void dropResponses(int n) {
        dropResponses.set(n);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(target.getAddress(), target.getPort());
                sockets.add(client);
                sockets.add(upstream);
                Thread.ofPlatform().daemon().start(() -> pump(client, upstream, false));
                Thread.ofPlatform().daemon().start(() -> pump(upstream, client, true));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, boolean answers) {
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream()) {
            for (int n; (n = in.read(buf)) >= 0; ) {
                while (blackhole) {
                    Thread.sleep(20);
                }
                if (answers && dropResponses.getAndUpdate(k -> Math.max(0, k - 1)) > 0) {
                    from.close();
                    to.close();
                    return;
                }
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // the other side closed, or the fault cut it
        } finally {
            close(from);
            close(to);
        }
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        sockets.forEach(FaultProxy::close);
    }
}
