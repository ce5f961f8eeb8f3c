package dev.gantry.bench;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.gantry.client.ServiceClient;
import dev.gantry.protocol.GantryHome;
import dev.gantry.protocol.Json;
import dev.gantry.service.ServiceConfig;
import dev.gantry.service.ServiceSecurity;
import dev.gantry.service.auth.OidcProvider;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * The benchmarks with the service's security on, to measure its cost: {@code GANTRY_BENCH_TLS=1} serves HTTPS
 * (the self-signed pair), {@code GANTRY_BENCH_JWT=1} has the SDK sign in with an OIDC access token, from a
 * provider this class serves on loopback (a key it makes, discovery and JWKS over HTTP), linked to the endpoint
 * owner's identity. Off by default.
 */
final class SecureMode implements AutoCloseable {
    static final boolean TLS = "1".equals(System.getenv("GANTRY_BENCH_TLS"));
    static final boolean JWT = "1".equals(System.getenv("GANTRY_BENCH_JWT"));
    private static final String AUDIENCE = "gantry-bench";
    private final HttpServer provider;
    private final RSAKey key;
    private final String issuer;

    SecureMode() throws Exception {
        if (!JWT) {
            provider = null;
            key = null;
            issuer = null;
            return;
        }
        key = new RSAKeyGenerator(2048).keyID("bench").generate();
        provider = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        issuer = "http://127.0.0.1:" + provider.getAddress().getPort() + "/bench";
        serve(
                "/bench/.well-known/openid-configuration",
                Json.write(Map.of("issuer", issuer, "jwks_uri", issuer + "/jwks")));
        serve("/bench/jwks", new JWKSet(key.toPublicJWK()).toString());
        provider.start();
    }

    String describe() {
        return (TLS ? "HTTPS" : "HTTP") + (JWT ? ", JWT sign-in" : ", API token");
    }

    ServiceConfig apply(ServiceConfig c) {
        ServiceSecurity s = c.security();
        if (TLS) {
            s = s.withTls(ServiceSecurity.Tls.SELF_SIGNED);
        }
        if (JWT) {
            s = s.withOidc(List.of(new OidcProvider(issuer, AUDIENCE, null, null)));
        }
        return c.withSecurity(s);
    }

    /** The SDK's client: the owner's API token, or a provider's token linked to the owner. */
    ServiceClient client(GantryHome.Credentials owner) throws Exception {
        ServiceClient admin = ServiceClient.of(owner);
        if (!JWT) {
            return admin;
        }
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("bench").build(),
                new JWTClaimsSet.Builder()
                        .issuer(issuer)
                        .subject("bench-user")
                        .audience(AUDIENCE)
                        .claim("preferred_username", "bench@bench.example")
                        .expirationTime(new Date(System.currentTimeMillis() + 3_600_000))
                        .build());
        jwt.sign(new RSASSASigner(key));
        admin.post("/v3/identities/links", Map.of("token", jwt.serialize()), Map.class);
        return admin.withToken(jwt.serialize());
    }

    private void serve(String path, String body) {
        provider.createContext(path, exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
    }

    @Override
    public void close() {
        if (provider != null) {
            provider.stop(0);
        }
    }
}
