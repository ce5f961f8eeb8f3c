package dev.gantry.service.auth;

import java.net.URI;
import java.util.Locale;

/**
 * An OIDC provider whose access tokens the service accepts.
 *
 * @param issuer its issuer URL, exactly as the tokens' {@code iss} says it; its discovery document is at
 *     {@code issuer + "/.well-known/openid-configuration"}
 * @param audience what a token's {@code aud} must hold for this service
 * @param requiredScope a scope the token's {@code scope} (or {@code scp}) must hold, or null for none
 * @param usernameClaim the claim that names the identity (then {@code email} if that is missing)
 */
public record OidcProvider(String issuer, String audience, String requiredScope, String usernameClaim) {
    public OidcProvider {
        URI uri;
        try {
            uri = URI.create(issuer);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("OIDC issuer '" + issuer + "' is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean loopback =
                "localhost".equals(uri.getHost()) || "127.0.0.1".equals(uri.getHost()) || "[::1]".equals(uri.getHost());
        if (!scheme.equals("https") && !(scheme.equals("http") && loopback)) {
            throw new IllegalArgumentException(
                    "OIDC issuer '" + issuer + "' must be an https URL (plain http only on loopback)");
        }
        if (audience == null || audience.isBlank()) {
            throw new IllegalArgumentException("OIDC issuer '" + issuer + "' needs an audience (oidc_audience)");
        }
        if (usernameClaim == null || usernameClaim.isBlank()) {
            usernameClaim = "preferred_username";
        }
        if (requiredScope != null && requiredScope.isBlank()) {
            requiredScope = null;
        }
    }

    String discoveryUrl() {
        return (issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer)
                + "/.well-known/openid-configuration";
    }
}
