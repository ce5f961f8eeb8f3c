package dev.gantry.service;

import dev.gantry.service.auth.OidcProvider;
import java.util.List;

/**
 * Whom the service trusts besides its own API tokens, and how much it lets each caller do.
 *
 * @param oidc the OIDC providers whose access tokens it accepts (none by default)
 */
public record ServiceSecurity(List<OidcProvider> oidc) {
    public static final ServiceSecurity DEFAULT = new ServiceSecurity(List.of());

    public ServiceSecurity {
        oidc = List.copyOf(oidc);
    }

    public ServiceSecurity withOidc(List<OidcProvider> providers) {
        return new ServiceSecurity(providers);
    }
}
