package dev.gantry.protocol.api;

import dev.gantry.protocol.ApiError;
import dev.gantry.protocol.GantryException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Who may submit to an endpoint besides being its owner (or, for a multi-user endpoint, accepted by its
 * identity mapping): the identity's domain, the part of its username after the {@code @}, must be one of
 * {@code allowedDomains} (if any are named) and none of {@code excludedDomains}; and it must have signed in
 * within {@code maxLoginAgeSeconds} (if set). A domain {@code *.example.org} also matches its subdomains.
 */
public record SubmitPolicy(List<String> allowedDomains, List<String> excludedDomains, Long maxLoginAgeSeconds) {
    public static final int MAX_DOMAINS = 100;
    private static final Pattern DOMAIN = Pattern.compile("(\\*\\.)?[a-z0-9-]+(\\.[a-z0-9-]+)*");

    public SubmitPolicy {
        allowedDomains = domains("allowed_domains", allowedDomains);
        excludedDomains = domains("excluded_domains", excludedDomains);
        if (maxLoginAgeSeconds != null && maxLoginAgeSeconds < 1) {
            throw Check.invalid("max_login_age_seconds must be 1 or more, got " + maxLoginAgeSeconds);
        }
    }

    private static List<String> domains(String field, List<String> given) {
        if (given == null) {
            return List.of();
        }
        if (given.size() > MAX_DOMAINS) {
            throw Check.invalid(field + " names at most " + MAX_DOMAINS + " domains");
        }
        for (String d : given) {
            if (d == null
                    || d.length() > 253
                    || !DOMAIN.matcher(d.toLowerCase(Locale.ROOT)).matches()) {
                throw Check.invalid(field + " holds domains such as example.org or *.example.org, got '" + d + "'");
            }
        }
        return given.stream().map(d -> d.toLowerCase(Locale.ROOT)).distinct().toList();
    }

    /**
     * Refuses {@code username}, signed in at {@code loginAtMs} (null: not known), if this policy does not let it
     * submit at {@code nowMs}.
     */
    public void check(String username, Long loginAtMs, long nowMs) {
        int at = username.lastIndexOf('@');
        String domain = at < 0 ? "" : username.substring(at + 1).toLowerCase(Locale.ROOT);
        if ((!allowedDomains.isEmpty() && !matchesAny(domain, allowedDomains)) || matchesAny(domain, excludedDomains)) {
            throw new GantryException(
                    ApiError.DOMAIN_NOT_ALLOWED,
                    "the endpoint's submit policy does not accept identities of "
                            + (domain.isEmpty() ? "no domain" : "domain " + domain)
                            + "; sign in with an identity of "
                            + (allowedDomains.isEmpty() ? "another domain" : String.join(", ", allowedDomains)));
        }
        requireFreshLogin(loginAtMs, nowMs, "submit again");
    }

    /**
     * Refuses a sign-in older than the policy's maximum login age ({@code LOGIN_TOO_OLD}), telling the caller
     * to sign in again and then {@code thenWhat}; a policy without one accepts any.
     */
    public void requireFreshLogin(Long loginAtMs, long nowMs, String thenWhat) {
        if (maxLoginAgeSeconds != null && (loginAtMs == null || nowMs - loginAtMs > maxLoginAgeSeconds * 1000)) {
            throw new GantryException(
                    ApiError.LOGIN_TOO_OLD,
                    "the endpoint's policy wants a sign-in within the last " + maxLoginAgeSeconds
                            + " s; sign in again (or make a new API token) and " + thenWhat);
        }
    }

    private static boolean matchesAny(String domain, List<String> patterns) {
        return !domain.isEmpty()
                && patterns.stream()
                        .anyMatch(p -> p.startsWith("*.")
                                ? domain.endsWith(p.substring(1)) || domain.equals(p.substring(2))
                                : domain.equals(p));
    }
}
