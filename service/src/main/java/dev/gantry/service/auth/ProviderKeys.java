package dev.gantry.service.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import dev.gantry.protocol.ApiError;
import dev.gantry.protocol.GantryException;
import dev.gantry.protocol.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * One provider's signing keys: found through its discovery document at the first token that needs them, then
 * cached (five minutes) and fetched again when a token names a key id the cache lacks (at most every 30 s).
 */
final class ProviderKeys {
    private static final int MAX_DISCOVERY_BYTES = 64 * 1024;
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final OidcProvider provider;
    private static final long RETRY_DISCOVERY_MS = 10_000;
    private volatile JWKSource<SecurityContext> keys;
    private long failedAtNanos;
    private String failure;

    ProviderKeys(OidcProvider provider) {
        this.provider = provider;
    }

    /** The keys {@code selector} matches; empty when the provider has none such, even after fetching again. */
    List<JWK> select(JWKSelector selector) {
        try {
            return source().get(selector, null);
        } catch (KeySourceException e) {
            throw unreachable(e.getMessage());
        }
    }

    private JWKSource<SecurityContext> source() {
        JWKSource<SecurityContext> k = keys;
        if (k == null) {
            synchronized (this) {
                if (keys == null) {
                    if (failure != null && System.nanoTime() - failedAtNanos < RETRY_DISCOVERY_MS * 1_000_000) {
                        throw unreachable(failure);
                    }
                    try {
                        keys = JWKSourceBuilder.<SecurityContext>create(jwksUrl())
                                .build();
                    } catch (GantryException e) {
                        failedAtNanos = System.nanoTime();
                        failure = e.getMessage();
                        throw e;
                    }
                }
                k = keys;
            }
        }
        return k;
    }

    private java.net.URL jwksUrl() {
        HttpRequest request = HttpRequest.newBuilder(URI.create(provider.discoveryUrl()))
                .timeout(Duration.ofSeconds(5))
                .GET()
                .build();
        JsonNode doc;
        try {
            HttpResponse<InputStream> r = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = r.body()) {
                byte[] body = in.readNBytes(MAX_DISCOVERY_BYTES + 1);
                if (r.statusCode() != 200 || body.length > MAX_DISCOVERY_BYTES) {
                    throw unreachable("its discovery document answered " + r.statusCode()
                            + (body.length > MAX_DISCOVERY_BYTES ? " with more than 64 KiB" : ""));
                }
                doc = Json.mapper().readTree(body);
            }
        } catch (IOException e) {
            throw unreachable(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unreachable("interrupted");
        }
        if (!provider.issuer().equals(doc.path("issuer").asText())) {
            throw unreachable(
                    "its discovery document names issuer '" + doc.path("issuer").asText() + "'");
        }
        String jwks = doc.path("jwks_uri").asText("");
        try {
            return URI.create(jwks).toURL();
        } catch (IllegalArgumentException | java.net.MalformedURLException e) {
            throw unreachable("its discovery document has no usable jwks_uri");
        }
    }

    private GantryException unreachable(String why) {
        if (why.startsWith("the identity provider")) {
            return new GantryException(ApiError.SERVICE_UNAVAILABLE, why);
        }
        return new GantryException(
                ApiError.SERVICE_UNAVAILABLE,
                "the identity provider " + provider.issuer() + " cannot be used now (" + why + "); try again");
    }
}
