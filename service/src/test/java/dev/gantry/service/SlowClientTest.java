package dev.gantry.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A request body trickled far below the minimum rate is cut off; the service answers others meanwhile. */
class SlowClientTest extends AliceAndBob {
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
