package org.alongside.it;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The running Alongside server under test, reached over real HTTP. The base URL comes from the system
 * property {@code alongside.it.baseUrl} (set per database by the Failsafe executions in pom.xml).
 */
public final class FhirServer {

    public static final FhirContext FHIR = FhirContext.forR4Cached();
    // HTTP/1.1: the JDK client's cleartext HTTP/2 upgrade was seen to hang against a loaded server
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    static {
        FHIR.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        FHIR.getRestfulClientFactory().setSocketTimeout(60_000);
        FHIR.getRestfulClientFactory().setPoolMaxTotal(64);
        FHIR.getRestfulClientFactory().setPoolMaxPerRoute(64);
        awaitReady(baseUrl());
    }

    /** Liberty reports "started" before the application is; wait until it reports ready. */
    public static void awaitReady(String baseUrl) {
        long deadline = System.currentTimeMillis() + 240_000;
        while (System.currentTimeMillis() < deadline) {
            try {
                HttpResponse<String> ready = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + "/health/ready"))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                HttpResponse<String> metadata = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + "/fhir/metadata"))
                        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
                if (ready.statusCode() == 200 && metadata.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new IllegalStateException("Server at " + baseUrl + " did not become ready in 240 s");
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
    private static final Pattern ACCESS_TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");

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
        HttpResponse<String> response = rawSend(HttpRequest.newBuilder(URI.create(baseUrl() + "/auth/dev-token?" + query))
                .timeout(Duration.ofSeconds(30)).GET().build());
        Matcher m = ACCESS_TOKEN.matcher(response.body());
        if (response.statusCode() != 200 || !m.find()) {
            throw new IllegalStateException("No development token: " + response.statusCode() + " " + response.body());
        }
        return m.group(1);
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
        return rawSend(builder.build());
    }

    private static HttpResponse<String> rawSend(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static HttpResponse<String> get(String path, String... headers) {
        return send("GET", path, null, null, headers);
    }
}
