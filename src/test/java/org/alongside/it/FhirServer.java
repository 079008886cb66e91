package org.alongside.it;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

/**
 * The running Alongside server under test, reached over real HTTP. The base URL comes from the system
 * property {@code alongside.it.baseUrl} (set per database by the Failsafe executions in pom.xml).
 */
public final class FhirServer {

    public static final FhirContext FHIR = FhirContext.forR4Cached();
    /**
     * HTTP/1.1 like the HAPI client and most EHR integrations. The JDK client's default, HTTP/2 over cleartext
     * (an h2c upgrade), multiplexes parallel requests on one connection, and under load on 2 cores Liberty left all
     * its executor threads parked in H2StreamProcessor.readWriteTransitionState: ConditionalIT's 20 parallel
     * requests then timed out and the server stopped answering for minutes.
     */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    static {
        FHIR.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        FHIR.getRestfulClientFactory().setSocketTimeout(60_000);
        FHIR.getRestfulClientFactory().setPoolMaxTotal(64);
        FHIR.getRestfulClientFactory().setPoolMaxPerRoute(64);
        awaitReady();
    }

    /** Liberty reports "started" before the application is; wait until it reports ready. */
    private static void awaitReady() {
        long deadline = System.currentTimeMillis() + 240_000;
        while (System.currentTimeMillis() < deadline) {
            try {
                HttpResponse<String> ready = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/health/ready"))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                HttpResponse<String> metadata = HTTP.send(HttpRequest.newBuilder(URI.create(fhirBase() + "/metadata"))
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
        throw new IllegalStateException("Server at " + baseUrl() + " did not become ready in 240 s");
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

    /** HAPI's generic client, as an EHR integrator would use it. */
    public static IGenericClient client() {
        return FHIR.newRestfulGenericClient(fhirBase());
    }

    /** A system URI unique to one test run, so tests never see each other's data. */
    public static String uniqueSystem() {
        return "urn:uuid:" + UUID.randomUUID();
    }

    /** Raw HTTP for what a FHIR client hides: status codes, headers, malformed bodies. */
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
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        try {
            return HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
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
