package dev.gantry.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.protocol.Json;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Per-identity rate limits (5 requests a second, bursts of 10 here) and the slowdown of failed sign-ins. */
class RateLimitTest {
    private ApiFixture api;

    @BeforeEach
    void start() throws Exception {
        api = new ApiFixture(c -> c.withSecurity(c.security().withRateLimit(5, 10)));
    }

    @AfterEach
    void stop() throws Exception {
        api.close();
    }

    @Test
    void anIdentityOverItsLimitGets429WithRetryAfterAndOthersAreServed() throws Exception {
        String alice = api.identity("alice@example.org");
        String bob = api.identity("bob@example.org");
        int ok = 0;
        HttpResponse<String> refused = null;
        for (int i = 0; i < 30; i++) {
            HttpResponse<String> r = get("/v3/tokens", alice);
            if (r.statusCode() == 200) {
                ok++;
            } else {
                refused = r;
            }
        }
        assertThat(ok).as("the burst and what refilled meanwhile").isBetween(10, 20);
        assertThat(refused).isNotNull();
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(Json.mapper().readTree(refused.body()).get("code").asText()).isEqualTo("RATE_LIMITED");
        assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow()))
                .isBetween(1L, 2L);
        assertThat(get("/v3/tokens", bob).statusCode())
                .as("another identity has its own bucket")
                .isEqualTo(200);
        Thread.sleep(1_100);
        assertThat(get("/v3/tokens", alice).statusCode())
                .as("after the wait it said")
                .isEqualTo(200);
    }

    @Test
    void failedSignInsFromOneAddressAreSlowedButSignedInCallersGoOn() throws Exception {
        String known = api.identity("dave@example.org");
        assertThat(get("/v3/tokens", known).statusCode()).isEqualTo(200);
        String fresh = api.call("POST", "/v3/tokens", "{\"name\":\"not used yet\"}")
                .body()
                .get("token")
                .asText();
        int unauthorized = 0;
        HttpResponse<String> slowed = null;
        for (int i = 0; i < 40 && slowed == null; i++) {
            HttpResponse<String> r = get("/v3/tokens", "gty_guess" + i);
            if (r.statusCode() == 401) {
                unauthorized++;
            } else {
                slowed = r;
            }
        }
        assertThat(unauthorized).isBetween(30, 32);
        assertThat(slowed.statusCode()).isEqualTo(429);
        assertThat(slowed.body()).contains("RATE_LIMITED").contains("failed sign-ins");
        assertThat(slowed.headers().firstValue("Retry-After")).contains("1");
        assertThat(get("/v3/tokens", known).statusCode())
                .as("a token already known passes")
                .isEqualTo(200);
        assertThat(get("/v3/tokens", fresh).statusCode())
                .as("a new token waits its turn")
                .isEqualTo(429);
        Thread.sleep(1_100);
        assertThat(get("/v3/tokens", fresh).statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(api.service.url() + path))
                .header("Authorization", "Bearer " + token)
                .build();
        return api.http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
