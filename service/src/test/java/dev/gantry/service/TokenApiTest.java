package dev.gantry.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.protocol.GantryHome;
import dev.gantry.protocol.Json;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The service's API tokens through {@code /v3/tokens}: made, listed, rotated, revoked, expired. */
class TokenApiTest {
    private ApiFixture api;

    @BeforeEach
    void start() throws Exception {
        api = new ApiFixture();
    }

    @AfterEach
    void stop() throws Exception {
        api.close();
    }

    @Test
    void aTokenIsShownOnceListedByItsIdRotatedAndRevoked() throws Exception {
        String alice = api.identity("alice@example.org");
        ApiFixture.Reply made = api.call("POST", "/v3/tokens", alice, "{\"name\":\"laptop\",\"expires_in\":3600}");
        assertThat(made.status()).as(made.body().toString()).isEqualTo(200);
        String laptop = made.body().get("token").asText();
        String id = made.body().get("token_id").asText();
        assertThat(id).matches("[0-9a-f]{16}");
        assertThat(made.body().get("expires_at").asLong()
                        - made.body().get("created_at").asLong())
                .isEqualTo(3_600_000);

        JsonNode listed = api.call("GET", "/v3/tokens", laptop, null).body().get("tokens");
        assertThat(listed).hasSize(2); // the one the administrator gave, and this one
        assertThat(listed.toString()).doesNotContain(laptop).doesNotContain("\"token\"");
        assertThat(listed.get(0).get("name").asText()).isEqualTo("laptop");

        ApiFixture.Reply rotated = api.call("POST", "/v3/tokens/" + id + "/rotate", alice, null);
        assertThat(rotated.status()).isEqualTo(200);
        String fresh = rotated.body().get("token").asText();
        assertThat(rotated.body().get("name").asText()).isEqualTo("laptop");
        assertThat(rotated.body().get("expires_at").asLong()
                        - rotated.body().get("created_at").asLong())
                .isEqualTo(3_600_000);
        assertThat(api.call("GET", "/v3/tokens", laptop, null).code()).isEqualTo("UNAUTHORIZED");
        assertThat(api.call("GET", "/v3/tokens", fresh, null).status()).isEqualTo(200);

        String freshId = rotated.body().get("token_id").asText();
        assertThat(api.call("DELETE", "/v3/tokens/" + freshId, alice, null).status())
                .isEqualTo(200);
        assertThat(api.call("GET", "/v3/tokens", fresh, null).code())
                .as("revoked on this instance: at once")
                .isEqualTo("UNAUTHORIZED");
        assertThat(api.call("DELETE", "/v3/tokens/" + freshId, alice, null).code())
                .isEqualTo("TOKEN_NOT_FOUND");
    }

    @Test
    void othersTokensAreNotFoundAndOnlyTheAdministratorManagesThem() throws Exception {
        String alice = api.identity("alice@example.org");
        String bob = api.identity("bob@example.org");
        String aliceId = api.call("GET", "/v3/tokens", alice, null)
                .body()
                .get("tokens")
                .get(0)
                .get("token_id")
                .asText();
        assertThat(api.call("DELETE", "/v3/tokens/" + aliceId, bob, null).code())
                .isEqualTo("TOKEN_NOT_FOUND");
        assertThat(api.call("POST", "/v3/tokens/" + aliceId + "/rotate", bob, null)
                        .code())
                .isEqualTo("TOKEN_NOT_FOUND");
        assertThat(api.call("GET", "/v3/tokens?all=true", bob, null).code()).isEqualTo("FORBIDDEN");
        assertThat(api.call("POST", "/v3/tokens", bob, "{\"username\":\"alice@example.org\"}")
                        .code())
                .isEqualTo("FORBIDDEN");
        assertThat(api.call("GET", "/v3/tokens", alice, null).status()).isEqualTo(200);

        JsonNode all = api.call("GET", "/v3/tokens?all=true", null).body().get("tokens");
        assertThat(all.findValuesAsText("username")).contains("alice@example.org", "bob@example.org");
        ApiFixture.Reply forCarol = api.call("POST", "/v3/tokens", "{\"username\":\"carol@example.org\"}");
        assertThat(forCarol.body().get("username").asText()).isEqualTo("carol@example.org");
        assertThat(forCarol.body().has("expires_at")).isFalse();
        assertThat(api.call("DELETE", "/v3/tokens/" + aliceId, null).status()).isEqualTo(200);
        assertThat(api.call("GET", "/v3/tokens", alice, null).code()).isEqualTo("UNAUTHORIZED");
    }

    @Test
    void badRequestsHaveCodesAndMakeNothing() throws Exception {
        long before = api.count("api_tokens");
        for (String body : List.of(
                "{\"expires_in\":0}",
                "{\"expires_in\":-5}",
                "{\"expires_in\":1.5}",
                "{\"expires_in\":999999999999}",
                "{\"name\":\"" + "n".repeat(129) + "\"}",
                "{\"name\":\"a\\u0007b\"}",
                "{\"username\":\"not a name\"}")) {
            ApiFixture.Reply r = api.call("POST", "/v3/tokens", body);
            assertThat(r.status()).as(body).isIn(400, 422);
            assertThat(r.code()).as(body).isIn("SEMANTICALLY_INVALID", "INVALID_JSON");
        }
        assertThat(api.call("POST", "/v3/tokens", "{\"name\":\"a\",\"name\":\"b\"}")
                        .code())
                .isEqualTo("INVALID_JSON");
        for (String id : List.of("xyz", "0123456789abcdef0", "%27%20OR%201%3D1", "0123456789ABCDEF")) {
            assertThat(api.call("DELETE", "/v3/tokens/" + id, null).code())
                    .as(id)
                    .isEqualTo("TOKEN_NOT_FOUND");
        }
        assertThat(api.call("GET", "/v3/tokens", "gty_nonsense", null).code()).isEqualTo("UNAUTHORIZED");
        assertThat(api.count("api_tokens")).isEqualTo(before);
    }

    @Test
    void anExpiredTokenSaysSo() throws Exception {
        String t = api.call("POST", "/v3/tokens", "{\"expires_in\":1}")
                .body()
                .get("token")
                .asText();
        assertThat(api.call("GET", "/v3/tokens", t, null).status()).isEqualTo(200);
        Thread.sleep(1_100);
        ApiFixture.Reply r = api.call("GET", "/v3/tokens", t, null);
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.code()).isEqualTo("TOKEN_EXPIRED");
    }

    /** Two instances on one database (PostgreSQL): a token revoked through one stops working on the other. */
    @Test
    void aTokenRevokedOnOneInstanceStopsWorkingOnTheOtherWithinSeconds() throws Exception {
        if (!TestBackend.production()) {
            return; // the embedded database is one instance's; the production run covers this
        }
        Path otherHome = Files.createTempDirectory("gantry-api-other-");
        ServiceConfig base = api.backend.config(new GantryHome(otherHome));
        try (GantryService other = GantryService.start(base)) {
            String alice = api.identity("alice@example.org");
            String id = api.call("GET", "/v3/tokens", alice, null)
                    .body()
                    .get("tokens")
                    .get(0)
                    .get("token_id")
                    .asText();
            ApiFixture.Reply there = new OtherInstance(api, other).call("/v3/tokens", alice);
            assertThat(there.status()).isEqualTo(200);
            assertThat(api.call("DELETE", "/v3/tokens/" + id, alice, null).status())
                    .isEqualTo(200);
            long revoked = System.nanoTime();
            while (new OtherInstance(api, other).call("/v3/tokens", alice).status() == 200) {
                Thread.sleep(100);
                assertThat(System.nanoTime() - revoked).isLessThan(7_000_000_000L);
            }
        } finally {
            try (Stream<Path> all = Files.walk(otherHome)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private record OtherInstance(ApiFixture api, GantryService service) {
        ApiFixture.Reply call(String path, String token) throws Exception {
            HttpRequest request = HttpRequest.newBuilder(URI.create(service.url() + path))
                    .header("Authorization", "Bearer " + token)
                    .build();
            HttpResponse<String> r = api.http.send(request, HttpResponse.BodyHandlers.ofString());
            return new ApiFixture.Reply(r.statusCode(), Json.mapper().readTree(r.body()));
        }
    }
}
