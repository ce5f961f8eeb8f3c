package dev.gantry.engines.pilot;

import dev.gantry.worker.Frames;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where managers connect: a TLS listener on the interchange's address (an ephemeral port; {@link PilotLink}). A
 * connection must register with the engine's token before anything else is read from it; then each frame goes to the
 * interchange, and the end of the connection is its loss.
 */
final class ManagerListener implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ManagerListener.class);

    /** What the interchange hears of its managers. */
    interface Managers {
        void registered(ManagerConnection m);

        void frame(ManagerConnection m, PilotMessage frame);

        void lost(ManagerConnection m, String why);
    }

    private final ServerSocket server;
    private final String token;
    private final long readTimeoutMs;
    private final Clock clock;
    private final Managers managers;
    private volatile boolean open = true;

    ManagerListener(String address, PilotLink link, long readTimeoutMs, Clock clock, Managers managers)
            throws IOException {
        this.token = link.token();
        this.readTimeoutMs = readTimeoutMs;
        this.clock = clock;
        this.managers = managers;
        this.server = link.serverSocket();
        server.bind(new InetSocketAddress(InetAddress.getByName(address), 0), 128);
    }

    /** {@code host:port}. */
    String address() {
        return server.getInetAddress().getHostAddress() + ":" + server.getLocalPort();
    }

    void start() {
        Thread.ofVirtual().name("interchange-accept").start(this::accept);
    }

    private void accept() {
        while (open) {
            try {
                Socket s = server.accept();
                Thread.ofVirtual().name("interchange-manager").start(() -> serve(s));
            } catch (IOException e) {
                if (open) {
                    log.warn("interchange: accept failed: {}", e.getMessage());
                }
            }
        }
    }

    private void serve(Socket s) {
        ManagerConnection m = null;
        try (s) {
            s.setTcpNoDelay(true);
            s.setSoTimeout((int) Math.max(10_000, readTimeoutMs));
            DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream(), 1 << 16));
            if (!(Frames.read(in, PilotMessage.class) instanceof PilotMessage.Register r) || !tokenMatches(r.token())) {
                log.warn(
                        "interchange: refused a connection from {} without this engine's token",
                        s.getRemoteSocketAddress());
                return;
            }
            m = new ManagerConnection(
                    r.block(),
                    Math.max(1, r.workers()),
                    s,
                    new DataOutputStream(new BufferedOutputStream(s.getOutputStream(), 1 << 16)),
                    clock);
            log.info(
                    "manager of block {} registered from {} (pid {}, {} workers)",
                    r.block(),
                    r.host(),
                    r.pid(),
                    r.workers());
            managers.registered(m);
            for (PilotMessage f; (f = Frames.read(in, PilotMessage.class)) != null; ) {
                m.heard();
                managers.frame(m, f);
            }
            managers.lost(m, "it closed its connection");
        } catch (IOException | RuntimeException e) {
            if (m != null) {
                managers.lost(m, "its connection failed: " + e.getMessage());
            }
        }
    }

    private boolean tokenMatches(String offered) {
        return offered != null
                && MessageDigest.isEqual(
                        offered.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        open = false;
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
