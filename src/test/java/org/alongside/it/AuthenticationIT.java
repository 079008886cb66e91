package org.alongside.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bearer tokens: what gets in and what does not. Tokens are forged, expired, re-signed with a wrong key,
 * tampered with and stripped; each must be refused with 401 and an OperationOutcome, and nothing written.
 * Also the SMART discovery document and the development authorization server's code flow with PKCE.
 */
class AuthenticationIT {

    private static final String JSON = "application/fhir+json";

    @ParameterizedTest
    @ValueSource(strings = {"GET /Patient", "GET /Patient?name=x", "GET /_history", "GET /Patient/_history",
            "POST /Patient", "POST /", "GET /CarePlan/x/$side-by-side", "DELETE /Patient/x", "GET /Patient/x"})
    void everyInteractionWithoutATokenIs401(String call) {
        String[] parts = call.split(" ", 2);
        String body = parts[0].equals("POST") ? (parts[1].equals("/") ? "{\"resourceType\":\"Bundle\",\"type\":\"batch\"}"
                : "{\"resourceType\":\"Patient\"}") : null;
        HttpResponse<String> response = FhirServer.send(parts[0], parts[1].equals("/") ? "" : parts[1],
                body == null ? null : JSON, body, "Authorization", "");
        assertUnauthorized(response);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
    }

    @Test
    void capabilityStatementAndSmartDiscoveryAreOpen() {
        assertThat(FhirServer.send("GET", "/metadata", null, null, "Authorization", "").statusCode()).isEqualTo(200);
        HttpResponse<String> smart = FhirServer.send("GET", "/.well-known/smart-configuration", null, null,
                "Authorization", "");
        assertThat(smart.statusCode()).isEqualTo(200);
        assertThat(smart.body()).contains("\"authorization_endpoint\":\"" + FhirServer.baseUrl() + "/auth/authorize\"")
                .contains("\"token_endpoint\":\"" + FhirServer.baseUrl() + "/auth/token\"")
                .contains("\"S256\"").contains("launch-ehr").contains("permission-v2");
    }

    @Test
    void aValidTokenGetsIn() {
        HttpResponse<String> response = FhirServer.get("/Patient?_count=1");
        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void expiredTokenIs401() {
        String expired = FhirServer.fetchToken("role=ehr-system&scope=system/*.cruds&expiresIn=-120");
        assertUnauthorized(get("/Patient", expired));
    }

    @Test
    void tokenSignedWithAnotherKeyIs401() throws Exception {
        RSAKey otherKey = new RSAKeyGenerator(2048).keyID(serverKeyId()).generate();
        assertUnauthorized(get("/Patient", sign(otherKey, claims(FhirServer.baseUrl() + "/auth"))));
    }

    @Test
    void tokenFromAnotherIssuerIs401() throws Exception {
        // even a correctly formed token is refused when its issuer is not the configured one
        RSAKey otherKey = new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
        assertUnauthorized(get("/Patient", sign(otherKey, claims("https://evil.example/auth"))));
    }

    @Test
    void tamperedClaimsAre401() {
        String token = FhirServer.token("peer-specialist", "Practitioner/nobody", "user/*.rs", null);
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("peer-specialist", "ehr-system").replace("user/*.rs", "system/*.cruds");
        String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        assertUnauthorized(get("/Patient", forged));
    }

    @Test
    void unsignedTokenIs401() {
        String header = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        String payload = b64("{\"iss\":\"" + FhirServer.baseUrl() + "/auth\",\"sub\":\"x\",\"groups\":[\"ehr-system\"],"
                + "\"scope\":\"system/*.cruds\",\"exp\":" + (Instant.now().getEpochSecond() + 600) + "}");
        assertUnauthorized(get("/Patient", header + "." + payload + "."));
    }

    @Test
    void garbageAndStrippedTokensAre401() {
        assertUnauthorized(get("/Patient", "not-a-jwt"));
        assertUnauthorized(get("/Patient", ""));
        HttpResponse<String> basic = FhirServer.send("GET", "/Patient", null, null, "Authorization", "Basic YTpi");
        assertUnauthorized(basic);
    }

    @Test
    void refusedWriteStoresNothing() {
        String system = FhirServer.uniqueSystem();
        String patient = "{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"" + system + "\",\"value\":\"1\"}]}";
        assertUnauthorized(FhirServer.send("POST", "/Patient", JSON, patient, "Authorization", "Bearer forged.token.x"));
        assertThat(FhirServer.client().search().forResource(Patient.class)
                .where(Patient.IDENTIFIER.exactly().systemAndIdentifier(system, "1"))
                .returnBundle(org.hl7.fhir.r4.model.Bundle.class).execute().getEntry()).isEmpty();
    }

    @Test
    void tokenMintedForAnotherResourceServerIs401() throws Exception {
        // the same trusted issuer and key, but the token's audience is another FHIR server: it must not get in here
        String foreign = codeFlowToken("https://other-resource-server.example/fhir");
        assertUnauthorized(get("/Patient", foreign));
        // the same flow with this server as the audience does get in: only the audience differs
        assertThat(get("/Patient?_count=1", codeFlowToken(FhirServer.fhirBase())).statusCode()).isEqualTo(200);
    }

    @Test
    void developmentTokensNameThisServerAsTheirAudience() {
        String payload = new String(Base64.getUrlDecoder().decode(FhirServer.systemToken().split("\\.")[1]),
                StandardCharsets.UTF_8);
        assertThat(payload).contains("\"aud\":\"" + FhirServer.fhirBase() + "\"");
    }

    /** An access token from the development authorization server's code flow, for the audience asked for. */
    private static String codeFlowToken(String audience) throws Exception {
        String verifier = UUID.randomUUID() + "-" + UUID.randomUUID();
        String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        String redirect = FhirServer.baseUrl() + "/app/";
        String form = "response_type=code&client_id=alongside-app&redirect_uri=" + enc(redirect)
                + "&scope=" + enc("user/*.rs") + "&state=s1&aud=" + enc(audience) + "&code_challenge=" + challenge
                + "&code_challenge_method=S256&role=ehr-system";
        HttpClient noRedirects = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        HttpResponse<String> signIn = noRedirects.send(HttpRequest.newBuilder(URI.create(FhirServer.baseUrl()
                        + "/auth/authorize")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(signIn.statusCode()).as(signIn.body()).isEqualTo(302);
        String code = signIn.headers().firstValue("Location").orElseThrow().replaceAll(".*[?&]code=([^&]+).*", "$1");
        HttpResponse<String> token = postForm("grant_type=authorization_code&client_id=alongside-app&redirect_uri="
                + enc(redirect) + "&code=" + code + "&code_verifier=" + verifier);
        assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
        Matcher m = Pattern.compile("\"access_token\":\"([^\"]+)\"").matcher(token.body());
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    @Test
    void smartCodeFlowWithPkce() throws Exception {
        String verifier = UUID.randomUUID() + "-" + UUID.randomUUID();
        String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        String redirect = FhirServer.baseUrl() + "/app/";
        HttpClient noRedirects = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        String form = "response_type=code&client_id=alongside-app&redirect_uri=" + enc(redirect)
                + "&scope=" + enc("openid fhirUser user/*.rs") + "&state=s1&aud=" + enc(FhirServer.fhirBase())
                + "&code_challenge=" + challenge + "&code_challenge_method=S256&role=clinician&practitioner=dr-x";

        HttpResponse<String> page = noRedirects.send(HttpRequest.newBuilder(URI.create(FhirServer.baseUrl()
                + "/auth/authorize?" + form.replace("&role=clinician&practitioner=dr-x", ""))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("id=\"role\"").contains("id=\"practitioner\"").contains("id=\"sign-in\"");

        HttpResponse<String> signIn = noRedirects.send(HttpRequest.newBuilder(URI.create(FhirServer.baseUrl()
                + "/auth/authorize")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(signIn.statusCode()).isEqualTo(302);
        String location = signIn.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith(redirect).contains("state=s1");
        String code = location.replaceAll(".*[?&]code=([^&]+).*", "$1");

        String exchange = "grant_type=authorization_code&client_id=alongside-app&redirect_uri=" + enc(redirect)
                + "&code=" + code;
        HttpResponse<String> wrongVerifier = postForm(exchange + "&code_verifier=wrong-verifier-wrong-verifier-wrong");
        assertThat(wrongVerifier.statusCode()).isEqualTo(400);
        assertThat(wrongVerifier.body()).contains("invalid_grant");

        // a failed attempt used the code up: start again and exchange properly
        signIn = noRedirects.send(HttpRequest.newBuilder(URI.create(FhirServer.baseUrl() + "/auth/authorize"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        code = signIn.headers().firstValue("Location").orElseThrow().replaceAll(".*[?&]code=([^&]+).*", "$1");
        exchange = "grant_type=authorization_code&client_id=alongside-app&redirect_uri=" + enc(redirect) + "&code=" + code;
        HttpResponse<String> token = postForm(exchange + "&code_verifier=" + verifier);
        assertThat(token.statusCode()).isEqualTo(200);
        assertThat(token.body()).contains("\"token_type\":\"Bearer\"").contains("\"id_token\"");
        Matcher m = Pattern.compile("\"access_token\":\"([^\"]+)\"").matcher(token.body());
        assertThat(m.find()).isTrue();
        assertThat(get("/Practitioner?_count=1", m.group(1)).statusCode()).isEqualTo(200);

        HttpResponse<String> replay = postForm(exchange + "&code_verifier=" + verifier);
        assertThat(replay.statusCode()).as("a code works once").isEqualTo(400);
    }

    private static HttpResponse<String> postForm(String form) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(FhirServer.baseUrl() + "/auth/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String path, String token) {
        return FhirServer.send("GET", path, null, null, "Authorization", "Bearer " + token);
    }

    private static void assertUnauthorized(HttpResponse<String> response) {
        assertThat(response.statusCode()).as("status; body: %s", response.body()).isEqualTo(401);
        OperationOutcome outcome = FhirServer.FHIR.newJsonParser().parseResource(OperationOutcome.class, response.body());
        assertThat(outcome.getIssueFirstRep().getCode()).isEqualTo(OperationOutcome.IssueType.LOGIN);
    }

    private static JWTClaimsSet claims(String issuer) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(issuer).subject("intruder").audience(FhirServer.fhirBase())
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(600)))
                .claim("groups", List.of("ehr-system")).claim("scope", "system/*.cruds").build();
    }

    private static String sign(RSAKey key, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                .type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    /** The kid the server signs with, so the forged token claims to be from the same key. */
    private static String serverKeyId() throws Exception {
        String jwks = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(FhirServer.baseUrl()
                + "/auth/jwks")).build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("\"kid\":\"([^\"]+)\"").matcher(jwks);
        return m.find() ? m.group(1) : "unknown";
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String enc(String value) {
        return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

}
