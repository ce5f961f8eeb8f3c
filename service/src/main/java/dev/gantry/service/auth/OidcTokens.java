package dev.gantry.service.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.KeyConverter;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import dev.gantry.protocol.ApiError;
import dev.gantry.protocol.GantryException;
import dev.gantry.service.store.Identity;
import java.security.Key;
import java.text.ParseException;
import java.time.Clock;
import java.util.Arrays;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks an OIDC access token (a JWT) against the configured providers, each failure with its own code: an
 * algorithm other than RSA, RSA-PSS, ECDSA or EdDSA (so never {@code none} nor a shared secret), an unknown
 * issuer, a key the issuer's key set lacks, a bad signature, an expiry passed or a not-before ahead (60 s of
 * clock skew allowed), a wrong audience, a missing scope.
 */
public final class OidcTokens {
    /** How far the provider's clock and ours may differ. */
    static final long SKEW_MS = 60_000;

    private static final Set<JWSAlgorithm> ACCEPTED = accepted();
    private final Map<String, Provider> providers = new LinkedHashMap<>();
    private final Clock clock;

    private record Provider(OidcProvider config, ProviderKeys keys) {}

    /** Who a valid token says it is: its provider's issuer and subject, a username, and when it expires. */
    /** A verified login; {@code loginAtMs} is when its holder signed in: {@code auth_time}, else {@code iat}. */
    public record Login(String issuer, String subject, String username, long expiresAtMs, Long loginAtMs) {}

    public OidcTokens(List<OidcProvider> configured, Clock clock) {
        configured.forEach(p -> providers.put(p.issuer(), new Provider(p, new ProviderKeys(p))));
        this.clock = clock;
    }

    public boolean enabled() {
        return !providers.isEmpty();
    }

    /** Whether {@code token} has a JWT's shape (three dot-separated parts, a JSON header); not whether it is valid. */
    public static boolean looksLikeJwt(String token) {
        return token.startsWith("eyJ") && token.chars().filter(ch -> ch == '.').count() == 2;
    }

    public Login verify(String token) {
        SignedJWT jwt = signed(token);
        JWSHeader header = jwt.getHeader();
        JWTClaimsSet claims;
        try {
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw refused(ApiError.UNAUTHORIZED, "its claims are not a JSON object");
        }
        Provider p = providers.get(claims.getIssuer());
        if (p == null) {
            throw refused(
                    ApiError.TOKEN_ISSUER_UNKNOWN,
                    "issuer '" + claims.getIssuer() + "' is not one this" + " service trusts");
        }
        checkSignature(jwt, header, p);
        long now = clock.millis();
        Date exp = claims.getExpirationTime();
        if (exp == null || exp.getTime() + SKEW_MS <= now) {
            throw refused(
                    ApiError.TOKEN_EXPIRED, exp == null ? "it has no expiry" : "it expired at " + exp.toInstant());
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && nbf.getTime() - SKEW_MS > now) {
            throw refused(ApiError.TOKEN_NOT_YET_VALID, "it is not valid before " + nbf.toInstant());
        }
        List<String> aud = claims.getAudience();
        if (aud == null || !aud.contains(p.config().audience())) {
            throw refused(
                    ApiError.TOKEN_AUDIENCE_MISMATCH,
                    "it is not meant for audience '" + p.config().audience() + "'");
        }
        String required = p.config().requiredScope();
        if (required != null && !scopes(claims).contains(required)) {
            throw refused(ApiError.TOKEN_SCOPE_MISSING, "it lacks the scope '" + required + "'");
        }
        if (claims.getSubject() == null
                || claims.getSubject().isBlank()
                || claims.getSubject().length() > 256) {
            throw refused(ApiError.UNAUTHORIZED, "it has no usable subject");
        }
        return new Login(
                p.config().issuer(), claims.getSubject(), username(claims, p.config()), exp.getTime(), loginAt(claims));
    }

    private static Long loginAt(JWTClaimsSet claims) {
        try {
            Date authTime = claims.getDateClaim("auth_time");
            Date at = authTime != null ? authTime : claims.getIssueTime();
            return at == null ? null : at.getTime();
        } catch (ParseException e) {
            return null; // an auth_time that is no time: the login's age is not known
        }
    }

    private static SignedJWT signed(String token) {
        JWT parsed;
        try {
            parsed = JWTParser.parse(token);
        } catch (ParseException e) {
            throw refused(ApiError.UNAUTHORIZED, "it is not a well-formed JWT");
        }
        if (!(parsed instanceof SignedJWT jwt)) {
            throw refused(
                    ApiError.TOKEN_ALGORITHM_REFUSED,
                    "it is not signed (alg " + parsed.getHeader().getAlgorithm() + ")");
        }
        if (!ACCEPTED.contains(jwt.getHeader().getAlgorithm())) {
            throw refused(
                    ApiError.TOKEN_ALGORITHM_REFUSED,
                    "it is signed with " + jwt.getHeader().getAlgorithm() + "; accepted are RS*, PS*, ES* and EdDSA");
        }
        return jwt;
    }

    private static void checkSignature(SignedJWT jwt, JWSHeader header, Provider p) {
        JWKMatcher.Builder match =
                new JWKMatcher.Builder().keyUses(KeyUse.SIGNATURE, null).algorithms(header.getAlgorithm(), null);
        if (header.getKeyID() != null) {
            match.keyID(header.getKeyID());
        }
        List<JWK> keys = p.keys().select(new JWKSelector(match.build()));
        if (keys.isEmpty()) {
            throw refused(ApiError.TOKEN_KEY_UNKNOWN, "its issuer has no signing key '" + header.getKeyID() + "'");
        }
        DefaultJWSVerifierFactory verifiers = new DefaultJWSVerifierFactory();
        for (Key key : KeyConverter.toJavaKeys(keys)) {
            try {
                if (jwt.verify(verifiers.createJWSVerifier(header, key))) {
                    return;
                }
            } catch (JOSEException e) {
                // a key of another type than the algorithm's: try the next
            }
        }
        throw refused(ApiError.TOKEN_SIGNATURE_INVALID, "its signature does not verify");
    }

    private static Set<String> scopes(JWTClaimsSet claims) {
        Set<String> out = new HashSet<>();
        for (String name : List.of("scope", "scp")) {
            Object v = claims.getClaim(name);
            if (v instanceof String s) {
                out.addAll(Arrays.asList(s.trim().split("\\s+")));
            } else if (v instanceof List<?> l) {
                l.forEach(x -> out.add(String.valueOf(x)));
            }
        }
        return out;
    }

    private static String username(JWTClaimsSet claims, OidcProvider p) {
        for (String name : List.of(p.usernameClaim(), "email")) {
            if (claims.getClaim(name) instanceof String s && !s.isBlank()) {
                if (!Identity.USERNAME.matcher(s).matches()) {
                    throw refused(ApiError.UNAUTHORIZED, "its " + name + " claim is not a usable username");
                }
                return s;
            }
        }
        throw refused(ApiError.UNAUTHORIZED, "it has no " + p.usernameClaim() + " or email claim to name you by");
    }

    private static GantryException refused(ApiError code, String why) {
        return new GantryException(code, "the bearer token is refused: " + why);
    }

    private static Set<JWSAlgorithm> accepted() {
        Set<JWSAlgorithm> s = new HashSet<>();
        s.addAll(JWSAlgorithm.Family.RSA);
        s.addAll(JWSAlgorithm.Family.EC);
        s.addAll(JWSAlgorithm.Family.ED);
        return Set.copyOf(s);
    }
}
