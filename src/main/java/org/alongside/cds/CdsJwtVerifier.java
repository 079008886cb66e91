package org.alongside.cds;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.MalformedURLException;
import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import org.alongside.outbound.OutboundRule;
import org.alongside.security.TokenVerifier;

/**
 * Verifies the JWT of a CDS Hooks request ({@link CdsTokenCheck}) against the key sets of the trusted EHRs, each
 * fetched under the server's {@link OutboundRule} and cached (Nimbus refreshes a set when a token names a key it does
 * not hold). A refusal is logged with its reason and no token content.
 */
@ApplicationScoped
public class CdsJwtVerifier {

    private static final Logger LOG = Logger.getLogger(CdsJwtVerifier.class.getName());

    @Inject
    CdsConfig config;

    @Inject
    OutboundRule outbound;

    private final Map<String, JWKSource<SecurityContext>> keySets = new ConcurrentHashMap<>();
    private volatile CdsTokenCheck check;

    /** The EHR that signed the token for this service URL, or empty (the caller answers 401). */
    public Optional<VerifiedClient> verify(String token, String endpoint) {
        CdsTokenCheck.Result result = check().check(token, endpoint, Instant.now());
        if (result instanceof CdsTokenCheck.Verified verified) {
            return Optional.of(verified.client());
        }
        LOG.info("CDS Hooks request refused: " + ((CdsTokenCheck.Refused) result).reason());
        return Optional.empty();
    }

    private CdsTokenCheck check() {
        CdsTokenCheck current = check;
        if (current == null) {
            synchronized (this) {
                if (check == null) {
                    check = new CdsTokenCheck(config.trustedIssuers(), config.allowedJku(), this::keysAt);
                }
                current = check;
            }
        }
        return current;
    }

    private JWKSource<SecurityContext> keysAt(String url) {
        return keySets.computeIfAbsent(url, u -> {
            try {
                return JWKSourceBuilder.<SecurityContext>create(URI.create(u).toURL(),
                        new TokenVerifier.GuardedRetriever(outbound, "alongside.cds.trusted-issuers")).retrying(true)
                        .build();
            } catch (MalformedURLException | IllegalArgumentException e) {
                throw new IllegalStateException("A CDS Hooks key set URL is not a URL: " + u, e);
            }
        });
    }
}
