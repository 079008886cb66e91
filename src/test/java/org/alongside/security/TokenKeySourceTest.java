package org.alongside.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.Resource;
import com.nimbusds.jose.util.ResourceRetriever;
import java.io.IOException;
import java.net.URL;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The issuer's key set as the verifier reads it, with an issuer that answers, then does not (no network). */
class TokenKeySourceTest {

    private final AtomicBoolean issuerUp = new AtomicBoolean(true);
    private final AtomicInteger fetches = new AtomicInteger();

    private ResourceRetriever issuer(JWKSet keys) {
        return url -> {
            fetches.incrementAndGet();
            if (!issuerUp.get()) {
                throw new IOException("connect timed out");
            }
            return new Resource(keys.toString(true), "application/json");
        };
    }

    private static JWKSelector anySigningKey() {
        return new JWKSelector(new JWKMatcher.Builder().keyUse(KeyUse.SIGNATURE).build());
    }

    @Test
    void whenTheIssuerCannotBeReachedTheLastKeysFetchedStillVerify() throws Exception {
        JWK key = new RSAKeyGenerator(2048).keyID("k1").keyUse(KeyUse.SIGNATURE).generate().toPublicJWK();
        // no cache: every lookup asks the issuer, so the outage is met at once
        JWKSource<SecurityContext> source = TokenVerifier.keySource(new URL("https://issuer.example/jwks"),
                issuer(new JWKSet(key)), 0);
        assertThat(source.get(anySigningKey(), null)).extracting(JWK::getKeyID).containsExactly("k1");

        issuerUp.set(false);
        int before = fetches.get();
        List<JWK> duringOutage = source.get(anySigningKey(), null);
        assertThat(fetches.get()).as("the issuer was asked again").isGreaterThan(before);
        assertThat(duringOutage).extracting(JWK::getKeyID).containsExactly("k1");
    }

    @Test
    void anIssuerNeverReachedGivesNoKeys() {
        issuerUp.set(false);
        JWKSource<SecurityContext> source = TokenVerifier.keySource(newUrl(), issuer(new JWKSet()), 0);
        assertThatThrownBy(() -> source.get(anySigningKey(), null)).isInstanceOf(KeySourceException.class);
    }

    private static URL newUrl() {
        try {
            return new URL("https://issuer.example/jwks");
        } catch (java.net.MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }
}
