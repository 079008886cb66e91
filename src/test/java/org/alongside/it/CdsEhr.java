package org.alongside.it;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.alongside.testsupport.LocalServer;

/**
 * An EHR calling Alongside's CDS Hooks service, as the test servers are configured to trust it (pom.xml,
 * {@code alongside.cds.trusted-issuers}): it publishes its RSA key at {@code /ehr/jwks} on loopback, a second key at
 * {@code /ehr/jku-jwks} (a {@code jku} the servers allow) and a third at {@code /ehr/rogue-jwks} (one they do not),
 * and signs one short-lived JWT per call, bound to the service URL it calls.
 */
final class CdsEhr implements AutoCloseable {

    private final RSAKey key = newKey();
    private final RSAKey jkuKey = newKey();
    private final RSAKey rogueKey = newKey();
    private final HttpServer server;
    private final String clientId;

    CdsEhr(String clientId) {
        this.clientId = clientId;
        int port = Integer.getInteger("alongside.it.cdsIssuerPort", 9392);
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot serve the EHR's JWKS on port " + port, e);
        }
        publish("/ehr/jwks", key);
        publish("/ehr/jku-jwks", jkuKey);
        publish("/ehr/rogue-jwks", rogueKey);
        server.start();
    }

    private void publish(String path, RSAKey published) {
        server.createContext(path, exchange -> {
            byte[] body = new JWKSet(published.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
    }

    String issuer() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/ehr";
    }

    static String serviceUrl(String serviceId) {
        return FhirServer.baseUrl() + "/cds-services/" + serviceId;
    }

    /** The claims CDS Hooks 2.0 asks for: iss, sub, aud (the service URL), exp (five minutes), iat, jti. */
    JWTClaimsSet.Builder claims(String audience) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(issuer()).subject(clientId).audience(audience)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)))
                .jwtID(UUID.randomUUID().toString());
    }

    String jwt(String audience) {
        return sign(claims(audience).build(), UnaryOperator.identity(), key);
    }

    String jwt(JWTClaimsSet claims) {
        return sign(claims, UnaryOperator.identity(), key);
    }

    /** Signed by the key published at {@code jku}, with the header naming it. */
    String jwtWithJku(String audience, boolean allowedJku) {
        RSAKey signer = allowedJku ? jkuKey : rogueKey;
        String jku = issuer() + (allowedJku ? "/jku-jwks" : "/rogue-jwks");
        return sign(claims(audience).build(), header -> header.jwkURL(URI.create(jku)), signer);
    }

    /** The right key id and claims, signed by a key the EHR never published (a forgery). */
    String forged(String audience) {
        return sign(claims(audience).build(), UnaryOperator.identity(),
                new RSAKey.Builder(newKey()).keyID(key.getKeyID()).build());
    }

    private static String sign(JWTClaimsSet claims, UnaryOperator<JWSHeader.Builder> header, RSAKey signer) {
        SignedJWT jwt = new SignedJWT(header.apply(new JWSHeader.Builder(JWSAlgorithm.RS384).keyID(signer.getKeyID())
                .type(JOSEObjectType.JWT)).build(), claims);
        try {
            jwt.sign(new RSASSASigner(signer));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    /** Posts to a CDS service URL with the given bearer JWT (null: no Authorization header). */
    static HttpResponse<String> post(String url, String jwt, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (jwt != null) {
            request.header("Authorization", "Bearer " + jwt);
        }
        return LocalServer.send(request.build());
    }

    private static RSAKey newKey() {
        return ClinicIssuer.newKey(JWSAlgorithm.RS384);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
