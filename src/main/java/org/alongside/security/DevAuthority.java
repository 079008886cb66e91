package org.alongside.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * The development authorization server's signing key and token minting. Its key is generated on first start
 * and kept in a file, so tokens survive a restart; its public half is served as a JWKS, which TokenVerifier
 * checks tokens against. Nothing here is reachable unless {@code alongside.auth.dev-mode} is true.
 */
@ApplicationScoped
public class DevAuthority {

    @Inject
    SecurityConfig config;

    private RSAKey key;

    public String publicKeySet() {
        return new JWKSet(key().toPublicJWK()).toString();
    }

    public String mint(TokenClaims claims, String audience) {
        Instant now = Instant.now();
        JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder()
                .issuer(config.issuer())
                .subject(claims.subject())
                .audience(audience)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(claims.lifetimeSeconds())))
                .jwtID(UUID.randomUUID().toString())
                .claim("upn", claims.subject())
                .claim("groups", List.of(claims.role().claimValue()))
                .claim("scope", claims.scope())
                .claim("client_id", claims.clientId());
        claims.fhirUser().ifPresent(user -> builder.claim("fhirUser", user));
        claims.patient().ifPresent(patient -> builder.claim("patient", patient));
        claims.encounter().ifPresent(encounter -> builder.claim("encounter", encounter));
        claims.purposeOfUse().ifPresent(purpose -> builder.claim("purpose_of_use", purpose));
        return sign(builder.build());
    }

    /**
     * A CDS Hooks 2.0 client JWT, as an EHR signs one for each call of a CDS service: {@code iss} this development
     * server, {@code sub} the EHR's client id, {@code aud} the service URL, a fresh {@code jti}, at most five minutes.
     */
    public String mintCdsClient(String clientId, String serviceUrl, long lifetimeSeconds) {
        Instant now = Instant.now();
        return sign(new JWTClaimsSet.Builder()
                .issuer(config.issuer())
                .subject(clientId)
                .audience(serviceUrl)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(lifetimeSeconds)))
                .jwtID(UUID.randomUUID().toString())
                .build());
    }

    /** An OpenID Connect id_token for the SMART app: who signed in (fhirUser), for the given client. */
    public String idToken(TokenClaims claims) {
        Instant now = Instant.now();
        JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder()
                .issuer(config.issuer())
                .subject(claims.subject())
                .audience(claims.clientId())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(claims.lifetimeSeconds())));
        claims.fhirUser().ifPresent(user -> builder.claim("fhirUser", user));
        return sign(builder.build());
    }

    private String sign(JWTClaimsSet claims) {
        RSAKey signingKey = key();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signingKey.getKeyID())
                .type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(new RSASSASigner(signingKey));
        } catch (JOSEException e) {
            throw new IllegalStateException("Signing a development token failed", e);
        }
        return jwt.serialize();
    }

    private synchronized RSAKey key() {
        if (key == null) {
            key = loadOrGenerate(config.devKeyFile().map(Path::of).orElse(Path.of("dev-auth", "signing-key.json")));
        }
        return key;
    }

    private static RSAKey loadOrGenerate(Path file) {
        try {
            if (Files.exists(file)) {
                return RSAKey.parse(Files.readString(file, StandardCharsets.UTF_8));
            }
            RSAKey generated = new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256)
                    .keyID(UUID.randomUUID().toString()).generate();
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path temp = Files.createTempFile(file.toAbsolutePath().getParent(), "key", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(temp, generated.toJSONString(), StandardCharsets.UTF_8);
            try {
                Files.move(temp, file);
            } catch (IOException raced) {
                Files.deleteIfExists(temp);
            }
            // Another instance sharing the directory may have won the race: use whatever is on disk.
            return RSAKey.parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot keep the development signing key at " + file, e);
        } catch (ParseException | JOSEException e) {
            throw new IllegalStateException("Development signing key at " + file + " is unusable", e);
        }
    }
}
