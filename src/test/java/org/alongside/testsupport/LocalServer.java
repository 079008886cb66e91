package org.alongside.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** What the integration tests and the benchmarks both do with an Alongside server they started. */
public final class LocalServer {

    // HTTP/1.1: the JDK client's cleartext HTTP/2 upgrade was seen to hang against a loaded server
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private LocalServer() {
    }

    /**
     * Liberty reports "started" before the application is; waits until it reports ready and serves metadata: 240 s,
     * or {@code -Dalongside.it.ready-timeout-seconds} on a loaded machine.
     */
    public static void awaitReady(String baseUrl) {
        awaitReady(baseUrl, Duration.ofSeconds(Long.getLong("alongside.it.ready-timeout-seconds", 240)), () -> { });
    }

    /**
     * The same; {@code stillStarting} runs between attempts and throws to give up early (e.g. when the server's
     * process has exited).
     */
    public static void awaitReady(String baseUrl, Duration timeout, Runnable stillStarting) {
        awaitReady(baseUrl, baseUrl + "/fhir", timeout, stillStarting);
    }

    /** The same for an application under a context root: health at the server's root, metadata at {@code fhirBase}. */
    public static void awaitReady(String baseUrl, String fhirBase, Duration timeout, Runnable stillStarting) {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        while (System.currentTimeMillis() < deadline) {
            try {
                if (status(baseUrl + "/health/ready", 10) == 200 && status(fhirBase + "/metadata", 30) == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            stillStarting.run();
            sleep();
        }
        throw new IllegalStateException("Server at " + baseUrl + " did not become ready in " + timeout);
    }

    /**
     * A token from the server's development authorization server ({@code /auth/dev-token}, on in servers started
     * through Maven); {@code query} names the role, scopes, fhirUser, patient, clientId...
     */
    public static String devToken(String baseUrl, String query) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(baseUrl + "/auth/dev-token?" + query))
                .timeout(Duration.ofSeconds(30)).GET().build());
        try {
            JsonNode token = response.statusCode() == 200 ? JSON.readTree(response.body()).get("access_token") : null;
            if (token != null && token.isTextual()) {
                return token.asText();
            }
        } catch (IOException e) {
            // reported below
        }
        throw new IllegalStateException("No development token: " + response.statusCode() + " " + response.body());
    }

    /** Sends over HTTP/1.1; I/O failures and interruption become unchecked. */
    public static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int status(String url, int timeoutSeconds) throws IOException {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(timeoutSeconds)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
