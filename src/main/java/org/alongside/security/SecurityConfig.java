package org.alongside.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Security settings, read through MicroProfile Config (server.xml passes its {@code alongside.auth.*} variables as
 * application properties): the issuer, keys and audiences {@link TokenVerifier} checks tokens against, and the
 * development authorization server's settings.
 */
@ApplicationScoped
public class SecurityConfig {

    /**
     * Turns on the development authorization server under /auth (signing key generated on first start).
     * Only the Maven-run servers set it; server.xml defaults it to false.
     */
    @Inject
    @ConfigProperty(name = "alongside.auth.dev-mode", defaultValue = "false")
    boolean devMode;

    @Inject
    @ConfigProperty(name = "alongside.auth.issuer", defaultValue = "http://localhost:9080/auth")
    String issuer;

    /**
     * The audiences a token must name one of: this server's FHIR base URL as its clients know it. The development
     * authorization server mints the first one into its tokens.
     */
    @Inject
    @ConfigProperty(name = "alongside.auth.audiences", defaultValue = "http://localhost:9080/fhir")
    List<String> audiences;

    /** The claim that holds the caller's role (e.g. a flat claim mapped from Keycloak realm roles). */
    @Inject
    @ConfigProperty(name = "alongside.auth.groups-claim", defaultValue = "groups")
    String groupsClaim;

    /** Where the development signing key is kept (a JWK file readable by the server user only). */
    @Inject
    @ConfigProperty(name = "alongside.auth.dev-key-file")
    Optional<String> devKeyFile;

    /** Lifetime of tokens the development authorization server issues. */
    @Inject
    @ConfigProperty(name = "alongside.auth.dev-token-seconds", defaultValue = "3600")
    int devTokenSeconds;

    /** Authorization and token endpoints of the deployment's authorization server (for SMART discovery). */
    @Inject
    @ConfigProperty(name = "alongside.auth.authorization-endpoint")
    Optional<String> authorizationEndpoint;

    @Inject
    @ConfigProperty(name = "alongside.auth.token-endpoint")
    Optional<String> tokenEndpoint;

    @Inject
    @ConfigProperty(name = "alongside.auth.jwks-uri")
    Optional<String> jwksUri;

    public boolean devMode() {
        return devMode;
    }

    public String issuer() {
        return issuer;
    }

    public List<String> audiences() {
        return audiences;
    }

    /** The audience the development authorization server puts into the tokens it mints. */
    public String audience() {
        return audiences.get(0);
    }

    public String groupsClaim() {
        return groupsClaim;
    }

    public Optional<String> devKeyFile() {
        return devKeyFile;
    }

    public int devTokenSeconds() {
        return devTokenSeconds;
    }

    public Optional<String> authorizationEndpoint() {
        return authorizationEndpoint;
    }

    public Optional<String> tokenEndpoint() {
        return tokenEndpoint;
    }

    public Optional<String> jwksUri() {
        return jwksUri;
    }
}
