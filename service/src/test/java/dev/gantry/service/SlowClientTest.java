package dev.gantry.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A request body trickled far below the minimum rate is cut off, a header trickled past the header deadline is
 * closed, and one address holds at most its share of connections; the service answers others meanwhile.
 */
class SlowClientTest {
    static final int PER_SOURCE = 8;
    static ApiFixture api;
    static String alice;

    @BeforeAll
    static void start() throws Exception {
        api = new ApiFixture(c -> c.withSecurity(
                c.security().withSockets(new ServiceSecurity.Sockets(PER_SOURCE, Duration.ofSeconds(2)))));
        alice = api.identity("alice@example.org");
    }

    @AfterAll
    static void stop() throws Exception {
        api.close();
    }

    @Test
    void aTrickledHeaderIsClosedAtTheDeadline() throws Exception {
        URI url = URI.create(api.service.url());
        try (Socket s = new Socket(url.getHost(), url.getPort())) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            out.write("GET /v2/version HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            long started = System.nanoTime();
            boolean closed = false;
            for (int i = 0; i < 100 && !closed; i++) {
                try {
                    out.write("X-Slow: a\r\n".getBytes(StandardCharsets.US_ASCII)); // never the blank line
                    out.flush();
                    TimeUnit.MILLISECONDS.sleep(200);
                    closed = s.getInputStream().available() == 0 && peerClosed(s);
                } catch (IOException reset) {
                    closed = true;
                }
            }
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertThat(closed).as("closed after %d ms", tookMs).isTrue();
            assertThat(tookMs).isBetween(1_500L, 6_000L);
            assertThat(api.call("GET", "/v2/version", null).status()).isEqualTo(200);
        }
    }

    @Test
    void oneAddressHoldsAtMostItsShareOfConnections() throws Exception {
        URI url = URI.create(api.service.url());
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < PER_SOURCE + 4; i++) {
                Socket s = new Socket(url.getHost(), url.getPort());
                s.setSoTimeout(5_000);
                held.add(s);
            }
            TimeUnit.MILLISECONDS.sleep(300);
            long refused = 0;
            for (Socket s : held) {
                if (peerClosed(s)) {
                    refused++;
                }
            }
            assertThat(refused).as("connections closed as they opened").isGreaterThanOrEqualTo(4);
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
        TimeUnit.MILLISECONDS.sleep(300); // their closes reach the service
        assertThat(api.call("GET", "/v2/version", null).status()).isEqualTo(200);
    }

    /** True when the service closed {@code s}: a read meets the end of the stream (or a reset) at once. */
    private static boolean peerClosed(Socket s) throws IOException {
        int timeout = s.getSoTimeout();
        s.setSoTimeout(100);
        try {
            return s.getInputStream().read() < 0;
        } catch (SocketTimeoutException open) {
            return false;
        } catch (IOException reset) {
            return true;
        } finally {
            s.setSoTimeout(timeout);
        }
    }

    @Test
    void aTrickledBodyIsCutOffAndOthersAreServed() throws Exception {
        URI url = URI.create(api.service.url());
        try (Socket s = new Socket(url.getHost(), url.getPort())) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /v3/functions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + alice
                            + "\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long started = System.nanoTime();
            InputStream in = s.getInputStream();
            String reply = "";
            for (int i = 0; i < 200 && reply.isEmpty(); i++) {
                try {
                    out.write(' ');
                    out.flush();
                } catch (IOException closed) {
                    break;
                }
                if (in.available() > 0) {
                    reply = new String(in.readNBytes(in.available()), StandardCharsets.US_ASCII);
                }
                TimeUnit.MILLISECONDS.sleep(100); // the trickle itself: one byte every 0.1 s
                assertThat(api.call("GET", "/v2/version", null).status()).isEqualTo(200);
            }
            if (reply.isEmpty()) {
                reply = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            }
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertThat(tookMs).as("cut off after %d ms: %s", tookMs, reply).isLessThan(15_000);
            assertThat(reply).startsWith("HTTP/1.1 408").contains("\"code\":\"REQUEST_TIMEOUT\"");
        }
    }
}
