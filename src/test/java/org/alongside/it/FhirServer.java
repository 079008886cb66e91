package org.alongside.it;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.alongside.testsupport.LocalServer;

/**
 * The running Alongside server under test, reached over real HTTP. The base URL comes from the system
 * property {@code alongside.it.baseUrl} (set per database by the Failsafe executions in pom.xml).
 */
public final class FhirServer {

    public static final FhirContext FHIR = FhirContext.forR4Cached();

    static {
        FHIR.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        FHIR.getRestfulClientFactory().setSocketTimeout(60_000);
        FHIR.getRestfulClientFactory().setPoolMaxTotal(64);
        FHIR.getRestfulClientFactory().setPoolMaxPerRoute(64);
        awaitReady(baseUrl());
    }

    /** Liberty reports "started" before the application is; waits until it reports ready. */
    public static void awaitReady(String baseUrl) {
        LocalServer.awaitReady(baseUrl);
    }

    private FhirServer() {
    }

    /** e.g. http://localhost:9180 */
    public static String baseUrl() {
        return System.getProperty("alongside.it.baseUrl", "http://localhost:9080");
    }

    public static String fhirBase() {
        return baseUrl() + "/fhir";
    }

    /** The database behind the server under test: h2 or postgresql. */
    public static String database() {
        return System.getProperty("alongside.it.database", "h2");
    }

    /** HAPI's generic client, as an EHR integrator would use it: an EHR system token with {@code system/*.cruds}. */
    public static IGenericClient client() {
        return client(fhirBase());
    }

    /** The same (EHR-system token) client for another server of the test setup (the cluster tests' second instance). */
    public static IGenericClient client(String fhirBase) {
        IGenericClient client = FHIR.newRestfulGenericClient(fhirBase);
        client.registerInterceptor(new BearerTokenAuthInterceptor(systemToken()));
        return client;
    }

    /** HAPI's generic client sending the given bearer token. */
    public static IGenericClient clientWith(String token) {
        IGenericClient client = FHIR.newRestfulGenericClient(fhirBase());
        client.registerInterceptor(new BearerTokenAuthInterceptor(token));
        return client;
    }

    /** HAPI's generic client with no token at all. */
    public static IGenericClient anonymousClient() {
        return FHIR.newRestfulGenericClient(fhirBase());
    }

    private static final Map<String, String> TOKENS = new ConcurrentHashMap<>();

    /** The EHR-system token the default client and {@link #send} use. */
    public static String systemToken() {
        return token("ehr-system", null, "system/*.cruds", null);
    }

    /**
     * A token from the server's development authorization server (dev mode is on for the test servers):
     * the role's {@code groups}, the SMART scopes, the {@code fhirUser} and launch patient, each optional.
     */
    public static String token(String role, String fhirUser, String scope, String patient) {
        StringBuilder query = new StringBuilder("role=").append(encode(role));
        if (fhirUser != null) {
            query.append("&fhirUser=").append(encode(fhirUser));
        }
        if (scope != null) {
            query.append("&scope=").append(encode(scope));
        }
        if (patient != null) {
            query.append("&patient=").append(encode(patient));
        }
        return TOKENS.computeIfAbsent(query.toString(), FhirServer::fetchToken);
    }

    /** A fresh token, never cached (e.g. one that expired {@code -expiresIn} seconds ago). */
    public static String fetchToken(String query) {
        return LocalServer.devToken(baseUrl(), query);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** A system URI unique to one test run, so tests never see each other's data. */
    public static String uniqueSystem() {
        return "urn:uuid:" + UUID.randomUUID();
    }

    /**
     * Raw HTTP for what a FHIR client hides: status codes, headers, malformed bodies. Sends the EHR-system token
     * unless the headers name an Authorization of their own (an empty value sends none).
     */
    public static HttpResponse<String> send(String method, String path, String contentType, String body,
                                            String... headers) {
        String url = (path.startsWith("http") ? path : fhirBase() + path).replace("|", "%7C");
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            builder.header("Content-Type", contentType);
        }
        boolean ownAuthorization = false;
        for (int i = 0; i < headers.length; i += 2) {
            if (headers[i].equalsIgnoreCase("Authorization")) {
                ownAuthorization = true;
                if (headers[i + 1].isEmpty()) {
                    continue;
                }
            }
            builder.header(headers[i], headers[i + 1]);
        }
        if (!ownAuthorization) {
            builder.header("Authorization", "Bearer " + systemToken());
        }
        return LocalServer.send(builder.build());
    }

    public static HttpResponse<String> get(String path, String... headers) {
        return send("GET", path, null, null, headers);
    }
}
