package dev.gantry.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.gantry.protocol.Json;
import dev.gantry.service.auth.OidcProvider;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Access tokens of OIDC providers: a real provider (mock-oauth2-server: discovery, a JWKS and signed tokens over
 * HTTP) issues the good ones and most bad ones; a second provider served by this test, with a key made here,
 * signs the tokens no provider would (not yet valid, with no key id the set has, HS256 with its public key).
 */
class OidcApiTest {
    private static final String AUDIENCE = "gantry-service";
    private static MockOAuth2Server provider;
    private static HttpServer ownProvider;
    private static RSAKey ownKey;
    private static String ownIssuer;
    private static ApiFixture api;

    @BeforeAll
    static void start() throws Exception {
        provider = new MockOAuth2Server();
        provider.start();
        ownKey = new RSAKeyGenerator(2048).keyID("own-1").generate();
        ownProvider = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        ownIssuer = "http://127.0.0.1:" + ownProvider.getAddress().getPort() + "/own";
        serve(
                "/own/.well-known/openid-configuration",
                Json.write(Map.of("issuer", ownIssuer, "jwks_uri", ownIssuer + "/jwks")));
        serve("/own/jwks", new JWKSet(ownKey.toPublicJWK()).toString());
        ownProvider.start();
        List<OidcProvider> trusted = List.of(
                new OidcProvider(issuer("campus"), AUDIENCE, "compute", null),
                new OidcProvider(ownIssuer, AUDIENCE, null, null));
        api = new ApiFixture(c -> c.withSecurity(c.security().withOidc(trusted)));
    }

    @AfterAll
    static void stop() throws Exception {
        api.close();
        provider.shutdown();
        ownProvider.stop(0);
    }

    @Test
    void aProvidersTokenIsAnIdentityNamedByItsUsername() throws Exception {
        String token = fetched(
                "campus",
                "alice-sub",
                List.of(AUDIENCE),
                Map.of("preferred_username", "alice@uni.example", "scope", "openid compute"),
                3600);
        ApiFixture.Reply endpoint = api.call("POST", "/v3/endpoints", token, "{\"endpoint_name\":\"alices\"}");
        assertThat(endpoint.status()).as(endpoint.body().toString()).isEqualTo(200);
        ApiFixture.Reply again = api.call(
                "GET",
                "/v2/endpoints/" + endpoint.body().get("endpoint_id").asText(),
                fetched(
                        "campus",
                        "alice-sub",
                        List.of(AUDIENCE),
                        Map.of("preferred_username", "alice@uni.example", "scope", "compute"),
                        3600),
                null);
        assertThat(again.status())
                .as("a second token of the same login is the same identity")
                .isEqualTo(200);
        assertThat(api.call("GET", "/v3/tokens", token, null).status()).isEqualTo(200);
    }

    @Test
    void eachBadTokenHasItsOwnCode() throws Exception {
        Map<String, Object> good = Map.of("preferred_username", "bob@uni.example", "scope", "compute");
        assertRefused(fetched("campus", "bob", List.of(AUDIENCE), good, -120), 401, "TOKEN_EXPIRED");
        assertRefused(fetched("campus", "bob", List.of("someone-else"), good, 3600), 401, "TOKEN_AUDIENCE_MISMATCH");
        assertRefused(
                fetched(
                        "campus",
                        "bob",
                        List.of(AUDIENCE),
                        Map.of("preferred_username", "bob@uni.example", "scope", "openid"),
                        3600),
                403,
                "TOKEN_SCOPE_MISSING");
        assertRefused(fetched("elsewhere", "bob", List.of(AUDIENCE), good, 3600), 401, "TOKEN_ISSUER_UNKNOWN");
        String real = fetched("campus", "bob", List.of(AUDIENCE), good, 3600);
        String[] parts = real.split("\\.");
        byte[] sig = Base64URL.from(parts[2]).decode();
        sig[10] ^= 1;
        assertRefused(parts[0] + "." + parts[1] + "." + Base64URL.encode(sig), 401, "TOKEN_SIGNATURE_INVALID");
        String unsigned = Base64URL.encode("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + parts[1] + ".";
        assertRefused(unsigned, 401, "TOKEN_ALGORITHM_REFUSED");

        long now = System.currentTimeMillis();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(ownIssuer)
                .subject("carol")
                .audience(AUDIENCE)
                .claim("preferred_username", "carol@own.example")
                .expirationTime(new Date(now + 3_600_000));
        assertThat(api.call("GET", "/v3/tokens", own(claims.build(), "own-1"), null)
                        .status())
                .as("the test's own provider's good token")
                .isEqualTo(200);
        assertRefused(own(claims.notBeforeTime(new Date(now + 600_000)).build(), "own-1"), 401, "TOKEN_NOT_YET_VALID");
        claims.notBeforeTime(null);
        assertRefused(own(claims.build(), "stranger"), 401, "TOKEN_KEY_UNKNOWN");
        SignedJWT hs = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("own-1").build(), claims.build());
        hs.sign(new MACSigner(ownKey.toRSAPublicKey().getEncoded()));
        assertRefused(hs.serialize(), 401, "TOKEN_ALGORITHM_REFUSED");
        assertRefused("eyJub3QiOiJhIHRva2VuIn0.e30.", 401, "UNAUTHORIZED");
        assertRefused("eyJhbGciOiJSUzI1NiJ9.bm90IGpzb24.c2ln", 401, "UNAUTHORIZED");
    }

    @Test
    void aSecondProvidersLoginLinksToAnExistingIdentity() throws Exception {
        String first = fetched(
                "campus",
                "dana-campus",
                List.of(AUDIENCE),
                Map.of("preferred_username", "dana@uni.example", "scope", "compute"),
                3600);
        JsonNode mine = api.call("GET", "/v3/tokens", first, null).body();
        assertThat(mine.path("tokens").size()).isZero();
        String elsewhere = own(
                new JWTClaimsSet.Builder()
                        .issuer(ownIssuer)
                        .subject("dana-own")
                        .audience(AUDIENCE)
                        .claim("preferred_username", "dana@uni.example")
                        .expirationTime(new Date(System.currentTimeMillis() + 3_600_000))
                        .build(),
                "own-1");
        assertRefused(elsewhere, 409, "IDENTITY_CONFLICT");
        ApiFixture.Reply linked = api.call("POST", "/v3/identities/links", first, "{\"token\":\"" + elsewhere + "\"}");
        assertThat(linked.status()).as(linked.body().toString()).isEqualTo(200);
        ApiFixture.Reply made = api.call("POST", "/v3/tokens", elsewhere, "{\"name\":\"via own\"}");
        assertThat(made.status()).as("the linked login acts as dana now").isEqualTo(200);
        assertThat(made.body().get("identity_id").asText())
                .isEqualTo(linked.body().get("identity_id").asText());
        ApiFixture.Reply taken =
                api.call("POST", "/v3/identities/links", api.token(), "{\"token\":\"" + elsewhere + "\"}");
        assertThat(taken.code())
                .as("a login linked to dana cannot be linked to another")
                .isEqualTo("IDENTITY_CONFLICT");
        assertThat(api.call("POST", "/v3/identities/links", first, "{\"token\":\"gty_abc\"}")
                        .code())
                .isEqualTo("SEMANTICALLY_INVALID");
    }

    @Test
    void aLoginOlderThanThePolicyAllowsIsToldToSignInAgain() throws Exception {
        long now = System.currentTimeMillis() / 1000;
        String stale = erin(now - 7200);
        ApiFixture.Reply registered = api.call(
                "POST",
                "/v3/endpoints",
                stale,
                "{\"endpoint_name\":\"fresh-only\",\"submit_policy\":{\"max_login_age_seconds\":3600}}");
        assertThat(registered.status()).as(registered.body().toString()).isEqualTo(200);
        String ep = registered.body().get("endpoint_id").asText();
        ApiFixture.Reply fn = api.call(
                "POST",
                "/v3/functions",
                stale,
                "{\"function_name\":\"f\",\"function_code\":" + Json.write(ServiceApiTest.CODE) + "}");
        String submit = ServiceApiTest.submitBody(fn.body().get("function_uuid").asText(), 1);
        long tasks = api.count("tasks");
        ApiFixture.Reply refused = api.call("POST", "/v3/endpoints/" + ep + "/submit", stale, submit);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.code()).isEqualTo("LOGIN_TOO_OLD");
        assertThat(refused.body().get("detail").asText()).contains("sign in again");
        assertThat(api.count("tasks")).isEqualTo(tasks);
        ApiFixture.Reply accepted = api.call("POST", "/v3/endpoints/" + ep + "/submit", erin(now - 60), submit);
        assertThat(accepted.status()).as(accepted.body().toString()).isEqualTo(200);
    }

    @Test
    void aHighAssuranceResultIsFetchedOnlyWithAFreshSignIn() throws Exception {
        long now = System.currentTimeMillis() / 1000;
        String fresh = erin(now - 60);
        String ep = api.call(
                        "POST",
                        "/v3/endpoints",
                        fresh,
                        "{\"endpoint_name\":\"ha-fresh\",\"high_assurance\":true,"
                                + "\"submit_policy\":{\"max_login_age_seconds\":3600}}")
                .body()
                .get("endpoint_id")
                .asText();
        String fn = api.call(
                        "POST",
                        "/v3/functions",
                        fresh,
                        "{\"function_name\":\"f\",\"ha_endpoint_id\":\"" + ep + "\",\"function_code\":"
                                + Json.write(ServiceApiTest.CODE) + "}")
                .body()
                .get("function_uuid")
                .asText();
        ApiFixture.Reply submitted =
                api.call("POST", "/v3/endpoints/" + ep + "/submit", fresh, ServiceApiTest.submitBody(fn, 1));
        String task = submitted.body().get("tasks").get(fn).get(0).asText();
        try (ScriptedChannel ch = api.channel(ep, fresh, 10)) {
            TenantIsolationTest.roundTrip(
                    ch, TenantIsolationTest.success(TenantIsolationTest.received(ch, task), "00\ngARLBS4=\n"));
        }
        String stale = erin(now - 7200);
        for (ApiFixture.Reply r : List.of(
                api.call("GET", "/v2/tasks/" + task, stale, null),
                api.call("POST", "/v2/batch_status", stale, "{\"task_ids\":[\"" + task + "\"]}"))) {
            assertThat(r.status()).as(r.body().toString()).isEqualTo(403);
            assertThat(r.code()).isEqualTo("LOGIN_TOO_OLD");
            assertThat(r.body().get("detail").asText())
                    .contains("sign in again")
                    .contains("fetch the result");
            assertThat(r.body().toString()).doesNotContain("gARLBS4");
        }
        ApiFixture.Reply fetched = api.call("GET", "/v2/tasks/" + task, erin(now - 30), null);
        assertThat(fetched.body().get("result").asText()).isEqualTo("00\ngARLBS4=\n");
    }

    /** A token of erin's login at the campus provider, who signed in at {@code authTime} (epoch seconds). */
    private static String erin(long authTime) throws Exception {
        return fetched(
                "campus",
                "erin",
                List.of(AUDIENCE),
                Map.of("preferred_username", "erin@uni.example", "scope", "compute", "auth_time", authTime),
                3600);
    }

    private static void assertRefused(String token, int status, String code) throws Exception {
        ApiFixture.Reply r = api.call("GET", "/v3/tokens", token, null);
        assertThat(r.status()).as(r.body().toString()).isEqualTo(status);
        assertThat(r.code()).as(r.body().toString()).isEqualTo(code);
        assertThat(r.body().toString()).doesNotContain(token);
    }

    /** A token the provider issues over HTTP, at its token endpoint (the client credentials grant). */
    private static String fetched(
            String issuerId, String subject, List<String> audience, Map<String, Object> claims, long expirySeconds)
            throws Exception {
        provider.enqueueCallback(new DefaultOAuth2TokenCallback(
                issuerId, subject, JOSEObjectType.JWT.getType(), audience, claims, expirySeconds));
        HttpRequest request = HttpRequest.newBuilder(
                        provider.tokenEndpointUrl(issuerId).uri())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "grant_type=client_credentials&client_id=gantry-test&client_secret=s&scope=compute"))
                .build();
        HttpResponse<String> r = api.http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.mapper().readTree(r.body()).get("access_token").asText();
    }

    private static String issuer(String id) {
        return provider.issuerUrl(id).toString();
    }

    private static String own(JWTClaimsSet claims, String keyId) throws Exception {
        RSAKey key = keyId.equals("own-1")
                ? ownKey
                : new RSAKeyGenerator(2048).keyID(keyId).generate();
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(keyId).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static void serve(String path, String body) {
        ownProvider.createContext(path, exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
    }
}
