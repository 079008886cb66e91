package org.alongside.cds;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CdsTokenCheckTest {

    private static final String ISSUER = "https://ehr.example.org/cds-client";
    private static final String JWKS = "https://ehr.example.org/jwks";
    private static final String JKU = "https://keys.ehr.example.org/jwks";
    private static final String SERVICE = "https://alongside.example.org/cds-services/alongside-peer-support";
    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

    private final RSAKey rsa = rsaKey();
    private final ECKey ec = ecKey();
    private final RSAKey jkuKey = rsaKey();
    private final CdsTokenCheck check = new CdsTokenCheck(
            List.of(new TrustedIssuer(ISSUER, JWKS, "system/*.rs")), List.of(JKU),
            url -> new ImmutableJWKSet<>(new JWKSet(Map.<String, List<JWK>>of(JWKS, List.of(rsa.toPublicJWK(),
                    ec.toPublicJWK()), JKU, List.of(jkuKey.toPublicJWK())).getOrDefault(url, List.of()))));

    private static JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder().issuer(ISSUER).subject("ehr-client-7").audience(SERVICE)
                .issueTime(Date.from(NOW)).expirationTime(Date.from(NOW.plusSeconds(300)))
                .jwtID(UUID.randomUUID().toString());
    }

    private static String sign(JWTClaimsSet claims, JWSAlgorithm alg, JWK key, URI jku) throws JOSEException {
        JWSHeader header = new JWSHeader.Builder(alg).keyID(key.getKeyID()).type(JOSEObjectType.JWT).jwkURL(jku).build();
        JWSSigner signer = key instanceof RSAKey r ? new RSASSASigner(r) : new ECDSASigner((ECKey) key);
        SignedJWT jwt = new SignedJWT(header, claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    private String rs384(JWTClaimsSet claims) throws JOSEException {
        return sign(claims, JWSAlgorithm.RS384, rsa, null);
    }

    private CdsTokenCheck.Result check(String token) {
        return check.check(token, SERVICE, NOW);
    }

    private static String refusal(CdsTokenCheck.Result result) {
        assertThat(result).isInstanceOf(CdsTokenCheck.Refused.class);
        return ((CdsTokenCheck.Refused) result).reason();
    }

    @Test
    void aTokenSignedWithTheIssuersPublishedKeyForThisServiceNamesTheClientAndItsScopes() throws Exception {
        CdsTokenCheck.Result result = check(rs384(claims().build()));
        assertThat(result).isEqualTo(new CdsTokenCheck.Verified(new VerifiedClient(ISSUER, "ehr-client-7",
                "system/*.rs")));
        assertThat(check(sign(claims().build(), JWSAlgorithm.ES384, ec, null)))
                .isInstanceOf(CdsTokenCheck.Verified.class);
    }

    @Test
    void aSignatureByAKeyTheIssuerNeverPublishedIsRefused() throws Exception {
        RSAKey forger = new RSAKey.Builder(rsaKey()).keyID(rsa.getKeyID()).build();
        assertThat(refusal(check(sign(claims().build(), JWSAlgorithm.RS384, forger, null)))).startsWith("signature");
    }

    @Test
    void anIssuerTheConfigurationDoesNotListIsRefused() throws Exception {
        assertThat(refusal(check(rs384(claims().issuer("https://other.example/ehr").build()))))
                .isEqualTo("issuer not trusted");
    }

    @Test
    void aTokenForAnotherUrlIsRefused() throws Exception {
        assertThat(refusal(check(rs384(claims().audience(SERVICE + "/feedback").build())))).startsWith("signature or claims");
        assertThat(refusal(check(rs384(claims().audience("https://alongside.example.org/fhir").build()))))
                .startsWith("signature or claims");
    }

    @Test
    void eachRequiredClaimMustBeThere() throws Exception {
        for (String claim : List.of("sub", "jti", "iat", "exp", "aud")) {
            JWTClaimsSet without = new JWTClaimsSet.Builder(claims().build()).claim(claim, null).build();
            assertThat(check(rs384(without))).as(claim).isInstanceOf(CdsTokenCheck.Refused.class);
        }
    }

    @Test
    void anExpiredTokenOrOneValidForMoreThanFiveMinutesOrIssuedLaterIsRefused() throws Exception {
        assertThat(refusal(check(rs384(claims().issueTime(Date.from(NOW.minusSeconds(400)))
                .expirationTime(Date.from(NOW.minusSeconds(31))).build())))).startsWith("signature or claims");
        assertThat(refusal(check(rs384(claims().expirationTime(Date.from(NOW.plusSeconds(3600))).build()))))
                .isEqualTo("valid for more than five minutes");
        assertThat(refusal(check(rs384(claims().issueTime(Date.from(NOW.plusSeconds(60))).build()))))
                .isEqualTo("issued in the future");
        // within the 30 seconds of clock skew
        assertThat(check(rs384(claims().expirationTime(Date.from(NOW.minusSeconds(20))).build())))
                .isInstanceOf(CdsTokenCheck.Verified.class);
    }

    @Test
    void aTokenIsGoodForOneRequest() throws Exception {
        String token = rs384(claims().build());
        assertThat(check(token)).isInstanceOf(CdsTokenCheck.Verified.class);
        assertThat(refusal(check(token))).isEqualTo("jti already used");
    }

    @Test
    void aJkuIsFollowedOnlyWhenTheConfigurationListsIt() throws Exception {
        assertThat(check(sign(claims().build(), JWSAlgorithm.RS384, jkuKey, URI.create(JKU))))
                .isInstanceOf(CdsTokenCheck.Verified.class);
        assertThat(refusal(check(sign(claims().build(), JWSAlgorithm.RS384, jkuKey,
                URI.create("https://attacker.example/jwks"))))).isEqualTo("jku not allowed");
    }

    @Test
    void unsignedTokensAndSharedSecretsAreRefused() throws Exception {
        assertThat(refusal(check(new PlainJWT(new PlainHeader(), claims().build()).serialize())))
                .isEqualTo("not a signed JWT");
        SignedJWT hmac = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims().build());
        hmac.sign(new MACSigner(new byte[32]));
        assertThat(refusal(check(hmac.serialize()))).startsWith("signature or claims");
        assertThat(refusal(check("garbage"))).isEqualTo("not a signed JWT");
    }

    private static RSAKey rsaKey() {
        try {
            return new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ECKey ecKey() {
        try {
            return new ECKeyGenerator(Curve.P_384).keyID(UUID.randomUUID().toString()).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
