package org.alongside.cds;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.alongside.security.SecurityConfig;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The CDS Hooks service's settings: which EHRs it trusts ({@link TrustedIssuer}), which {@code jku} key set URLs it
 * will fetch when a JWT names one, the URL EHRs reach the service at, and where the SMART app is launched from.
 */
@ApplicationScoped
public class CdsConfig {

    @Inject
    @ConfigProperty(name = "alongside.cds.trusted-issuers")
    Optional<List<String>> trustedIssuers;

    /** Key set URLs a JWT's {@code jku} header may name; any other {@code jku} is refused. None by default. */
    @Inject
    @ConfigProperty(name = "alongside.cds.allowed-jku")
    Optional<List<String>> allowedJku;

    /**
     * The discovery URL as EHRs call it (e.g. https://alongside.example.org/cds-services), which each service's
     * JWT {@code aud} must name. Unset: taken from the request, which is right unless a proxy rewrites the host.
     */
    @Inject
    @ConfigProperty(name = "alongside.cds.base-url")
    Optional<String> baseUrl;

    /** The SMART app's launch page; unset: the app this server serves ({@code /app/launch.html}). */
    @Inject
    @ConfigProperty(name = "alongside.cds.app-launch-url")
    Optional<String> appLaunchUrl;

    /** Days without contact after which a person is overdue: the same setting as the peer's caseload page. */
    @Inject
    @ConfigProperty(name = "alongside.app.overdue-days", defaultValue = "7")
    int overdueDays;

    @Inject
    SecurityConfig security;

    /**
     * The configured EHRs, and, where the development authorization server runs, that server too (so that a
     * developer can call the service with {@code /auth/cds-client-token}).
     */
    public List<TrustedIssuer> trustedIssuers() {
        List<TrustedIssuer> issuers = new ArrayList<>();
        trustedIssuers.orElse(List.of()).stream().filter(entry -> !entry.isBlank()).map(TrustedIssuer::parse)
                .forEach(issuers::add);
        if (security.devMode()) {
            issuers.add(new TrustedIssuer(security.issuer(), security.jwksUri().orElse(security.issuer() + "/jwks"),
                    TrustedIssuer.DEFAULT_SCOPES));
        }
        return issuers;
    }

    public List<String> allowedJku() {
        return allowedJku.orElse(List.of()).stream().map(String::trim).filter(s -> !s.isBlank()).toList();
    }

    public Optional<String> baseUrl() {
        return baseUrl.map(url -> url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
    }

    public Optional<String> appLaunchUrl() {
        return appLaunchUrl;
    }

    public int overdueDays() {
        return overdueDays;
    }
}
