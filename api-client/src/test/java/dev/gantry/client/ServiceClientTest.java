package dev.gantry.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.gantry.protocol.ApiError;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Failover between service instances, against a real HTTP server on loopback and a port nobody listens on. */
class ServiceClientTest {

    static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static HttpServer server(AtomicInteger hits, int status, String body) throws Exception {
        HttpServer h = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        h.createContext("/", ex -> {
            hits.incrementAndGet();
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        h.start();
        return h;
    }

    @Test
    void aRefusedConnectionMovesToTheNextInstanceAndStaysThere() throws Exception {
        AtomicInteger hits = new AtomicInteger();
        HttpServer up = server(hits, 200, "\"0.1.0\"");
        try {
            String down = "http://127.0.0.1:" + closedPort();
            String good = "http://127.0.0.1:" + up.getAddress().getPort();
            ServiceClient c = new ServiceClient(List.of(down, good), "t");
            assertThat(c.get("/v2/version", String.class)).isEqualTo("0.1.0");
            assertThat(c.serviceUrl()).isEqualTo(good);
            assertThat(c.get("/v2/version", String.class)).isEqualTo("0.1.0");
            assertThat(hits.get()).isEqualTo(2);
        } finally {
            up.stop(0);
        }
    }

    @Test
    void whenNoInstanceAnswersTheErrorIsRetryableAndSaysWhere() throws Exception {
        ServiceClient c =
                new ServiceClient(List.of("http://127.0.0.1:" + closedPort(), "http://127.0.0.1:" + closedPort()), "t");
        assertThatThrownBy(() -> c.get("/v2/version", String.class)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo(ApiError.SERVICE_UNAVAILABLE);
            assertThat(e.retryable()).isTrue();
            assertThat(e.getMessage()).contains("cannot reach the Gantry service at http://127.0.0.1:");
        });
    }

    @Test
    void aServiceErrorKeepsItsCodeAndIsNotRetriedElsewhere() throws Exception {
        AtomicInteger first = new AtomicInteger();
        AtomicInteger second = new AtomicInteger();
        HttpServer a = server(first, 404, "{\"code\":\"FUNCTION_NOT_FOUND\",\"detail\":\"function x not found\"}");
        HttpServer b = server(second, 200, "\"0.1.0\"");
        try {
            ServiceClient c = new ServiceClient(
                    List.of(
                            "http://127.0.0.1:" + a.getAddress().getPort(),
                            "http://127.0.0.1:" + b.getAddress().getPort()),
                    "t");
            assertThatThrownBy(() -> c.post("/v3/endpoints/x/submit", "{}", String.class))
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.code()).isEqualTo(ApiError.FUNCTION_NOT_FOUND);
                        assertThat(e.httpStatus()).isEqualTo(404);
                        assertThat(e.retryable()).isFalse();
                    });
            assertThat(second.get()).isZero();
        } finally {
            a.stop(0);
            b.stop(0);
        }
    }
}
