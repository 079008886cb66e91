package org.alongside.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.OutageTolerantJWKSetSource;
import com.nimbusds.jose.util.events.Event;
import com.nimbusds.jose.util.events.EventListener;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.ResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.text.ParseException;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.alongside.outbound.OutboundRule;

/**
 * Verifies bearer tokens: RS256 signature against the issuer's JWKS, the issuer, the audience (one of
 * {@code alongside.auth.audiences}), expiry and not-before with 30 seconds of clock skew, and a subject.
 *
 * <p>The key set is fetched under the server's {@link OutboundRule}: a JWKS URI on loopback or a private network is
 * refused unless its host is listed in {@code alongside.outbound.allowed-hosts}.
 *
 * <p>Why here and not Liberty's mpJwt: mpJwt writes every token it rejects, claims included, into an FFDC
 * incident and trace.log, and no setting stops it. Nimbus JOSE+JWT (already the development authorization
 * server's library) verifies the same things and logs nothing; a rejected token is simply a 401.
 */
@ApplicationScoped
public class TokenVerifier {

    private static final Logger LOG = Logger.getLogger(TokenVerifier.class.getName());
    private static final int CLOCK_SKEW_SECONDS = 30;
    /** How long the last fetched keys stand in for an issuer that cannot be reached. */
    static final long OUTAGE_TOLERANCE_MILLIS = 3_600_000;
    /** Waits for the issuer's key set: Nimbus's 500 ms fail under load on a busy issuer (or server). */
    private static final int JWKS_CONNECT_MILLIS = 2_000;
    private static final int JWKS_READ_MILLIS = 5_000;

    @Inject
    SecurityConfig config;

    @Inject
    OutboundRule outbound;

    private volatile DefaultJWTProcessor<SecurityContext> processor;

    private final VerifiedTokens verified = new VerifiedTokens(10_000,
            java.time.Duration.ofSeconds(CLOCK_SKEW_SECONDS), java.time.Clock.systemUTC());

    /** The token's claims when it passes every check; empty otherwise (never an exception, never a log of it). */
    public Optional<JWTClaimsSet> verify(String token) {
        Optional<JWTClaimsSet> known = verified.lookUp(token);
        if (known.isPresent()) {
            return known;
        }
        try {
            JWTClaimsSet claims = processor().process(token, null);
            verified.remember(token, claims);
            return Optional.of(claims);
        } catch (KeySourceException e) {
            // the keys could not be fetched: worth an operator's attention, and says nothing about the token
            LOG.log(Level.WARNING, "Cannot read the token signing keys from " + jwksUri() + " ("
                    + e.getClass().getSimpleName() + refusalOf(e) + "); requests are refused until it answers");
            return Optional.empty();
        } catch (ParseException | BadJOSEException | JOSEException e) {
            return Optional.empty();
        }
    }

    /** The outbound rule's reason, when it was the rule that stopped the fetch (it names a host, nothing else). */
    private static String refusalOf(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException && t.getMessage() != null
                    && t.getMessage().startsWith("alongside.auth.jwks-uri" + GuardedRetriever.REFUSED)) {
                return ": " + t.getMessage();
            }
        }
        return "";
    }

    private DefaultJWTProcessor<SecurityContext> processor() {
        DefaultJWTProcessor<SecurityContext> current = processor;
        if (current == null) {
            synchronized (this) {
                if (processor == null) {
                    processor = newProcessor();
                }
                current = processor;
            }
        }
        return current;
    }

    private DefaultJWTProcessor<SecurityContext> newProcessor() {
        DefaultJWTProcessor<SecurityContext> created = new DefaultJWTProcessor<>();
        // plain JWT and RFC 9068 access tokens (at+jwt); tokens without a typ too, as most issuers send
        created.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, new JOSEObjectType("at+jwt"),
                new JOSEObjectType("application/at+jwt"), null));
        try {
            created.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256,
                    keySource(URI.create(jwksUri()).toURL(), new GuardedRetriever(outbound, "alongside.auth.jwks-uri"),
                            JWKSourceBuilder.DEFAULT_CACHE_TIME_TO_LIVE)));
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalStateException("alongside.auth.jwks-uri is not a URL: " + jwksUri(), e);
        }
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
                new HashSet<>(config.audiences()), new JWTClaimsSet.Builder().issuer(config.issuer()).build(),
                Set.of("sub", "exp"), null);
        claims.setMaxClockSkew(CLOCK_SKEW_SECONDS);
        created.setJWTClaimsSetVerifier(claims);
        return created;
    }

    /**
     * The issuer's key set: kept for {@code cacheMillis} (0: fetched for every token), fetched once more on a failure,
     * and, when the issuer cannot be reached, the last keys fetched are used for up to {@link #OUTAGE_TOLERANCE_MILLIS}.
     * Without that, one slow answer from the issuer when the cache expires refused every request until it answered
     * (seen under a bulk load, where the development issuer is the busy server itself).
     */
    static JWKSource<SecurityContext> keySource(URL jwks, ResourceRetriever retriever, long cacheMillis) {
        JWKSourceBuilder<SecurityContext> builder = JWKSourceBuilder.<SecurityContext>create(jwks, retriever)
                .retrying(true).outageTolerant(OUTAGE_TOLERANCE_MILLIS, new OutageWarning(jwks));
        return (cacheMillis > 0 ? builder.cache(cacheMillis, JWKSourceBuilder.DEFAULT_CACHE_REFRESH_TIMEOUT)
                : builder.cache(false).refreshAheadCache(false).rateLimited(false)).build();
    }

    /** Tells the operator, at most once a minute, that the keys in use are the last ones fetched. */
    private static final class OutageWarning
            implements EventListener<OutageTolerantJWKSetSource<SecurityContext>, SecurityContext> {
        private final URL jwks;
        private final AtomicLong lastWarned = new AtomicLong();

        OutageWarning(URL jwks) {
            this.jwks = jwks;
        }

        @Override
        public void notify(Event<OutageTolerantJWKSetSource<SecurityContext>, SecurityContext> event) {
            long now = System.currentTimeMillis();
            long last = lastWarned.get();
            if (event instanceof OutageTolerantJWKSetSource.OutageEvent<SecurityContext> outage && now - last > 60_000
                    && lastWarned.compareAndSet(last, now)) {
                LOG.warning("Cannot read the token signing keys from " + jwks + " ("
                        + outage.getException().getClass().getSimpleName() + "); the keys read before stay in use for "
                        + outage.getRemainingTime() / 60_000 + " more minutes");
            }
        }
    }

    /**
     * Fetches the key set under the outbound rule, checked before every fetch, and follows no redirect (a redirect
     * could lead where the rule would refuse). The size limit is Nimbus's default for JWK sets.
     */
    public static final class GuardedRetriever extends DefaultResourceRetriever {

        static final String REFUSED = " is not fetched: ";

        private final OutboundRule rule;
        private final String setting;

        /** @param setting the configuration key that named the URL, for the operator's log line */
        public GuardedRetriever(OutboundRule rule, String setting) {
            super(JWKS_CONNECT_MILLIS, JWKS_READ_MILLIS, JWKSourceBuilder.DEFAULT_HTTP_SIZE_LIMIT);
            this.rule = rule;
            this.setting = setting;
        }

        @Override
        protected HttpURLConnection openHTTPConnection(URL url) throws IOException {
            Optional<String> refusal;
            try {
                refusal = rule.refusal(url.toURI());
            } catch (URISyntaxException e) {
                refusal = Optional.of("the URL is not valid");
            }
            if (refusal.isPresent()) {
                throw new IOException(setting + REFUSED + refusal.get());
            }
            HttpURLConnection connection = super.openHTTPConnection(url);
            connection.setInstanceFollowRedirects(false);
            return connection;
        }
    }

    private String jwksUri() {
        // the development authorization server publishes its keys next to its issuer URL
        return config.jwksUri().orElse(config.issuer() + "/jwks");
    }
}
