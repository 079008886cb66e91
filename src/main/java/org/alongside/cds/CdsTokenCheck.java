package org.alongside.cds;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The checks CDS Hooks 2.0 asks of the JWT an EHR sends with each request: signed (RSA or EC, never {@code none} or a
 * shared secret) by a key of an issuer the configuration trusts, found at that issuer's configured JWKS URI or at the
 * header's {@code jku} only when that URL is listed; {@code aud} naming the service URL that was called; {@code iss},
 * {@code sub}, {@code exp}, {@code iat} and {@code jti} present; not expired, not issued in the future, not valid for
 * more than five minutes, and not seen before. Clock skew of 30 seconds either way.
 *
 * <p>The key sets are given to it, so that its rules are unit tested with keys of the test's own.
 */
final class CdsTokenCheck {

    static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512);
    static final Duration SKEW = Duration.ofSeconds(30);
    static final Duration MAX_LIFETIME = Duration.ofMinutes(5);

    private final List<TrustedIssuer> issuers;
    private final List<String> allowedJku;
    private final Function<String, JWKSource<SecurityContext>> keysAt;
    private final ReplayGuard replays = new ReplayGuard();

    /** @param keysAt the key set published at a URL (a JWKS URI or an allowed {@code jku}) */
    CdsTokenCheck(List<TrustedIssuer> issuers, List<String> allowedJku,
                  Function<String, JWKSource<SecurityContext>> keysAt) {
        this.issuers = issuers;
        this.allowedJku = allowedJku;
        this.keysAt = keysAt;
    }

    /** The client, or why the token is refused (for the log; the EHR is told only that it was). */
    sealed interface Result permits Verified, Refused {
    }

    record Verified(VerifiedClient client) implements Result {
    }

    record Refused(String reason) implements Result {
    }

    Result check(String token, String endpoint, Instant now) {
        SignedJWT jwt;
        JWTClaimsSet unverified;
        try {
            jwt = SignedJWT.parse(token);
            unverified = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            return new Refused("not a signed JWT");
        }
        Optional<TrustedIssuer> issuer = issuers.stream()
                .filter(i -> i.issuer().equals(unverified.getIssuer())).findFirst();
        if (issuer.isEmpty()) {
            return new Refused("issuer not trusted");
        }
        String keySet = issuer.get().jwksUri();
        if (jwt.getHeader().getJWKURL() != null) {
            keySet = jwt.getHeader().getJWKURL().toString();
            if (!allowedJku.contains(keySet)) {
                return new Refused("jku not allowed");
            }
        }
        JWTClaimsSet claims;
        try {
            claims = processor(issuer.get().issuer(), endpoint, keysAt.apply(keySet), now).process(jwt, null);
        } catch (BadJOSEException | JOSEException e) {
            return new Refused("signature or claims: " + e.getClass().getSimpleName());
        }
        Instant expires = claims.getExpirationTime().toInstant();
        if (expires.isAfter(now.plus(MAX_LIFETIME).plus(SKEW))) {
            return new Refused("valid for more than five minutes");
        }
        if (claims.getIssueTime().toInstant().isAfter(now.plus(SKEW))) {
            return new Refused("issued in the future");
        }
        if (!replays.firstUse(claims.getIssuer(), claims.getJWTID(), expires.plus(SKEW), now)) {
            return new Refused("jti already used");
        }
        return new Verified(new VerifiedClient(claims.getIssuer(), claims.getSubject(), issuer.get().scopes()));
    }

    private static DefaultJWTProcessor<SecurityContext> processor(String issuer, String endpoint,
                                                                  JWKSource<SecurityContext> keys, Instant now) {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, null));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(Set.of(endpoint),
                new JWTClaimsSet.Builder().issuer(issuer).build(), Set.of("iss", "sub", "aud", "exp", "iat", "jti"),
                null) {
            @Override
            protected java.util.Date currentTime() {
                return java.util.Date.from(now);
            }
        };
        claims.setMaxClockSkew((int) SKEW.toSeconds());
        processor.setJWTClaimsSetVerifier(claims);
        return processor;
    }
}
