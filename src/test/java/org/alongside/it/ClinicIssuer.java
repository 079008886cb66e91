package org.alongside.it;

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
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * The clinic's identity provider, standing in for Keycloak: not Alongside's development authorization server. Its RSA
 * key is minted here and its JWKS served on loopback, at Keycloak's paths; its tokens carry the role in a claim of
 * the clinic's naming ({@link #ROLES_CLAIM}), which Alongside must be configured to read.
 */
final class ClinicIssuer implements AutoCloseable {

    static final String ROLES_CLAIM = "alongside_roles";
    private static final String REALM = "/realms/clinic";

    private final RSAKey key;
    private final HttpServer server;

    ClinicIssuer(int port) {
        key = newKey(JWSAlgorithm.RS256);
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot serve the clinic's JWKS on port " + port, e);
        }
        server.createContext(REALM + "/protocol/openid-connect/certs", exchange -> {
            byte[] body = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    String issuer() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + REALM;
    }

    String jwksUri() {
        return issuer() + "/protocol/openid-connect/certs";
    }

    /** A token as the clinic's provider would issue it to a client of Alongside at {@code audience}. */
    String token(String role, String scope, String fhirUser, String audience) {
        return sign(key, claims(role, scope, fhirUser, audience));
    }

    /** The same token, signed by a key the JWKS does not publish (a forgery). */
    String forgedToken(String role, String scope, String audience) {
        RSAKey other = newKey(JWSAlgorithm.RS256);
        return sign(new RSAKey.Builder(other).keyID(key.getKeyID()).build(), claims(role, scope, null, audience));
    }

    private JWTClaimsSet claims(String role, String scope, String fhirUser, String audience) {
        Instant now = Instant.now();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(issuer()).subject("clinic-" + role)
                .audience(audience).issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(3600)))
                .jwtID(UUID.randomUUID().toString()).claim("scope", scope).claim("client_id", "clinic-ehr")
                .claim(ROLES_CLAIM, List.of(role));
        if (fhirUser != null) {
            claims.claim("fhirUser", fhirUser);
        }
        return claims.build();
    }

    private static String sign(RSAKey signingKey, JWTClaimsSet claims) {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signingKey.getKeyID())
                .type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(new RSASSASigner(signingKey));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    /** A fresh signing key for the given algorithm (the test EHR of CdsHooksIT signs with RS384). */
    static RSAKey newKey(JWSAlgorithm algorithm) {
        try {
            return new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).algorithm(algorithm)
                    .keyID(UUID.randomUUID().toString()).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
