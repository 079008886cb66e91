package org.alongside.it.browser;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.alongside.it.FhirServer;

/**
 * An EHR with its own SMART authorization server, simulated by the test on a free local port: its FHIR base
 * ({@link #iss()}) forwards to the Alongside server under test, its well-known SMART configuration names its
 * own authorize and token endpoints (PKCE S256), the authorize endpoint signs the user in at once and the token
 * endpoint checks the code verifier against the challenge before answering with the launch context.
 */
final class SimulatedEhr implements AutoCloseable {

    record Launch(String patient, String encounter, String fhirUser, String group) {
    }

    private final HttpServer server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final Map<String, Launch> launches = new ConcurrentHashMap<>();
    private final Map<String, Map<String, String>> codes = new ConcurrentHashMap<>();
    private final Set<String> issuedTokens = ConcurrentHashMap.newKeySet();
    private final Map<String, Map<String, String>> tokenGrants = new ConcurrentHashMap<>();
    final List<Map<String, String>> authorizeRequests = new CopyOnWriteArrayList<>();
    final List<Map<String, String>> tokenRequests = new CopyOnWriteArrayList<>();
    final List<String> fhirRequests = new CopyOnWriteArrayList<>();
    final List<String> fhirRequestsWithoutToken = new CopyOnWriteArrayList<>();
    volatile boolean pkceVerified;

    SimulatedEhr() throws IOException {
        server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        server.createContext("/fhir", this::fhir);
        server.createContext("/authorize", this::authorize);
        server.createContext("/token", this::token);
        server.start();
    }

    String base() {
        return "http://localhost:" + server.getAddress().getPort();
    }

    String iss() {
        return base() + "/fhir";
    }

    /** What the EHR does before opening the app: registers the context and gets an opaque launch id. */
    String launch(Launch context) {
        String id = UUID.randomUUID().toString();
        launches.put(id, context);
        return id;
    }

    boolean issued(String token) {
        return issuedTokens.contains(token);
    }

    private static void cors(HttpExchange ex) {
        ex.getResponseHeaders().add("Access-Control-Allow-Origin", "*");
        ex.getResponseHeaders().add("Access-Control-Allow-Headers", "authorization, content-type, accept, if-none-exist, prefer");
        ex.getResponseHeaders().add("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE, OPTIONS");
    }

    private static void send(HttpExchange ex, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (contentType != null) {
            ex.getResponseHeaders().add("Content-Type", contentType);
        }
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
        ex.close();
    }

    private static Map<String, String> form(String encoded) {
        Map<String, String> out = new LinkedHashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return out;
        }
        for (String pair : encoded.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(key, value);
        }
        return out;
    }

    private void fhir(HttpExchange ex) throws IOException {
        cors(ex);
        if ("OPTIONS".equals(ex.getRequestMethod())) {
            send(ex, 204, null, "");
            return;
        }
        String path = ex.getRequestURI().getRawPath().substring("/fhir".length());
        String query = ex.getRequestURI().getRawQuery();
        if (path.equals("/.well-known/smart-configuration")) {
            send(ex, 200, "application/json", """
                    {"issuer":"%s","authorization_endpoint":"%s/authorize","token_endpoint":"%s/token",
                     "code_challenge_methods_supported":["S256"],"grant_types_supported":["authorization_code"],
                     "capabilities":["launch-ehr","launch-standalone","client-public","context-ehr-patient",
                       "context-ehr-encounter","permission-v2","sso-openid-connect"]}""".formatted(base(), base(), base()));
            return;
        }
        String authorization = ex.getRequestHeaders().getFirst("Authorization");
        fhirRequests.add(ex.getRequestMethod() + " " + path);
        if (authorization == null || !authorization.startsWith("Bearer ") || !issued(authorization.substring(7))) {
            fhirRequestsWithoutToken.add(ex.getRequestMethod() + " " + path);
            send(ex, 401, "application/fhir+json", """
                    {"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"login","diagnostics":"Sign in again: no valid access token"}]}""");
            return;
        }
        // The EHR's gateway: the app's token is the EHR's; towards Alongside it acts for the same user with a token
        // from Alongside's own (development) authorization server.
        Map<String, String> grant = tokenGrants.get(authorization.substring(7));
        HttpRequest.Builder forward = HttpRequest.newBuilder(URI.create(FhirServer.fhirBase() + path + (query == null ? "" : "?" + query)))
                .timeout(Duration.ofSeconds(60))
                .method(ex.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(ex.getRequestBody().readAllBytes()));
        forward.header("Authorization", "Bearer " + FhirServer.token(grant.get("group"), grant.get("fhirUser"), "user/*.cruds", null));
        for (String header : List.of("Content-Type", "Accept", "If-None-Exist", "Prefer")) {
            String value = ex.getRequestHeaders().getFirst(header);
            if (value != null) {
                forward.header(header, value);
            }
        }
        try {
            HttpResponse<String> answer = http.send(forward.build(), HttpResponse.BodyHandlers.ofString());
            send(ex, answer.statusCode(), answer.headers().firstValue("Content-Type").orElse("application/fhir+json"), answer.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            send(ex, 502, "text/plain", "interrupted");
        }
    }

    private void authorize(HttpExchange ex) throws IOException {
        Map<String, String> params = form(ex.getRequestURI().getRawQuery());
        authorizeRequests.add(params);
        Launch context = launches.get(params.getOrDefault("launch", ""));
        if (context == null || !"code".equals(params.get("response_type")) || !iss().equals(params.get("aud"))
                || !"S256".equals(params.get("code_challenge_method"))) {
            send(ex, 400, "text/plain", "bad authorization request");
            return;
        }
        String code = UUID.randomUUID().toString();
        Map<String, String> grant = new LinkedHashMap<>(params);
        grant.put("patient", context.patient());
        grant.put("encounter", context.encounter());
        grant.put("fhirUser", context.fhirUser());
        grant.put("group", context.group());
        codes.put(code, grant);
        ex.getResponseHeaders().add("Location", params.get("redirect_uri") + "?code=" + code + "&state="
                + URLEncoder.encode(params.get("state"), StandardCharsets.UTF_8));
        send(ex, 302, null, "");
    }

    private void token(HttpExchange ex) throws IOException {
        cors(ex);
        if ("OPTIONS".equals(ex.getRequestMethod())) {
            send(ex, 204, null, "");
            return;
        }
        Map<String, String> params = form(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        tokenRequests.add(params);
        Map<String, String> grant = codes.remove(params.getOrDefault("code", ""));
        if (grant == null || !"authorization_code".equals(params.get("grant_type"))
                || !grant.get("redirect_uri").equals(params.get("redirect_uri"))
                || !grant.get("client_id").equals(params.get("client_id"))
                || !grant.get("code_challenge").equals(s256(params.getOrDefault("code_verifier", "")))) {
            send(ex, 400, "application/json", "{\"error\":\"invalid_grant\"}");
            return;
        }
        pkceVerified = true;
        String claims = """
                {"sub":"%s","fhirUser":"%s","groups":["%s"],"scope":"%s","patient":"%s","encounter":"%s"}"""
                .formatted(grant.get("fhirUser"), grant.get("fhirUser"), grant.get("group"), grant.get("scope"),
                        grant.get("patient"), grant.get("encounter"));
        String accessToken = jwt(claims);
        issuedTokens.add(accessToken);
        tokenGrants.put(accessToken, grant);
        send(ex, 200, "application/json", """
                {"access_token":"%s","token_type":"Bearer","expires_in":3600,"scope":"%s","id_token":"%s",
                 "patient":"%s","encounter":"%s"}""".formatted(accessToken, grant.get("scope"),
                jwt("{\"sub\":\"%s\",\"fhirUser\":\"%s\",\"aud\":\"alongside-app\"}".formatted(grant.get("fhirUser"), grant.get("fhirUser"))),
                grant.get("patient"), grant.get("encounter")));
    }

    private static String s256(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An unsigned JWT (the simulated EHR's tokens are only ever checked by itself). */
    private static String jwt(String claims) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + "." + UUID.randomUUID().toString().replace("-", "");
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
