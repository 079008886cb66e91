package org.alongside.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.alongside.testsupport.LocalServer;
import org.alongside.testsupport.OwnedServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL out of reach, as an operator meets it: a server of its own ({@link OwnedServer}, schema
 * {@code alongside_fault}) reaches the database through a {@link TcpProxy} the test cuts (a black hole: nothing is
 * closed, nothing answers) and restores. While it is cut, FHIR requests answer 503 with Retry-After and an
 * OperationOutcome, never 500, and once the server has met the outage they answer at once instead of waiting out the
 * database's timeouts; readiness is DOWN and liveness UP. Once restored, the server writes again by itself, and
 * again after every connection was closed under it, as by a database restart.
 * Then {@code server stop} finishes within 30 s, although connections and background workers (Subscription
 * delivery, export) were left waiting on connections that lead nowhere. The server's database timeouts are short
 * here (socket 5 s) so that the test is quick; the defaults are in server.xml.
 *
 * <p>Runs in the PostgreSQL execution only: the embedded database cannot be cut off.
 */
class DatabaseOutageIT {

    private static final String JSON = "application/fhir+json";

    private static TcpProxy proxy;
    private static OwnedServer server;
    private static String token;

    @BeforeAll
    static void startServerBehindProxy() {
        proxy = new TcpProxy("127.0.0.1", 5432);
        server = OwnedServer.builder("alongside-fault-pg").httpPort(9294)
                .postgres("alongside_fault", proxy.address())
                .variable("alongside.db.cleanOnStart", "true")
                .variable("alongside.auth.devMode", "true")
                .variable("alongside.outbound.allowedHosts", "localhost,127.0.0.1")
                .variable("alongside.db.connectTimeout", "3")
                .variable("alongside.db.socketTimeout", "5")
                .variable("alongside.db.queryTimeout", "4")
                .variable("alongside.subscription.pollIntervalMs", "200")
                .create();
        server.startAndAwaitReady();
        token = LocalServer.devToken(server.baseUrl(), "role=ehr-system&scope=system/*.cruds");
    }

    @AfterAll
    static void stopServerAndProxy() {
        if (server != null) {
            server.close();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void whileTheDatabaseIsCutOffRequestsAnswer503WithRetryAfterThenTheServerRecoversAndStopsPromptly() {
        HttpResponse<String> before = send("POST", "/fhir/Patient", patient("Before"));
        assertThat(before.statusCode()).as(before.body()).isEqualTo(201);
        String existing = location(before);

        proxy.cut();
        List<HttpResponse<String>> answers = new ArrayList<>();
        // the first answers may wait out the socket timeout of connections that were in use
        awaitAnswer(() -> send("GET", "/fhir/" + existing, null), r -> r.statusCode() != 200, answers);
        // from now on the server knows: each answer comes at once, not after the database's timeouts (socket 5 s)
        for (int i = 0; i < 5; i++) {
            answers.add(timed(() -> send("GET", "/fhir/" + existing, null)));
            answers.add(timed(() -> send("POST", "/fhir/Patient", patient("During"))));
            answers.add(timed(() -> send("GET", "/fhir/Patient?family=During", null)));
        }
        // the CDS Hooks service too: an EHR's hook call gets the same answer, not a container's 500
        answers.add(timed(() -> send("POST", "/cds-services/alongside-peer-support", "{\"hook\":\"patient-view\"}")));
        for (HttpResponse<String> answer : answers) {
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
            assertThat(answer.headers().firstValue("Retry-After")).hasValueSatisfying(
                    seconds -> assertThat(Integer.parseInt(seconds)).isPositive());
            assertThat(answer.body()).contains("\"resourceType\":\"OperationOutcome\"")
                    .contains("temporarily unavailable").doesNotContain("Exception");
        }
        assertThat(timed(() -> health("/health/ready")).statusCode()).isEqualTo(503);
        HttpResponse<String> live = health("/health/live");
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(live.body()).contains("\"status\":\"UP\"");

        proxy.restore();
        HttpResponse<String> after = awaitAnswer(() -> send("POST", "/fhir/Patient", patient("After")),
                r -> r.statusCode() == 201, new ArrayList<>());
        assertThat(send("GET", "/fhir/" + location(after), null).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/fhir/" + existing, null).statusCode()).isEqualTo(200);
        assertThat(health("/health/ready").statusCode()).isEqualTo(200);
        HttpResponse<String> during = send("GET", "/fhir/Patient?family=During&_summary=count", null);
        assertThat(during.body()).as("the write answered 503 left nothing behind").contains("\"total\":0");

        // a database restart: every pooled connection is closed under the server, which recovers by itself
        proxy.resetAll();
        HttpResponse<String> afterRestart = awaitAnswer(() -> send("POST", "/fhir/Patient", patient("Restarted")),
                r -> r.statusCode() == 201, new ArrayList<>());
        assertThat(send("GET", "/fhir/" + location(afterRestart), null).statusCode()).isEqualTo(200);
        assertThat(health("/health/ready").statusCode()).isEqualTo(200);

        assertThat(server.stop(Duration.ofSeconds(30))).isLessThan(Duration.ofSeconds(30));
    }

    /** The answer, once it is clear it did not wait on the unreachable database: it came before a socket timeout. */
    private static HttpResponse<String> timed(java.util.function.Supplier<HttpResponse<String>> request) {
        long start = System.nanoTime();
        HttpResponse<String> answer = request.get();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("answered without waiting on the database")
                .isLessThan(Duration.ofSeconds(5));
        return answer;
    }

    /** Sends until {@code done} holds (up to 3 minutes); every answer on the way is kept in {@code seen}. */
    private static HttpResponse<String> awaitAnswer(java.util.function.Supplier<HttpResponse<String>> request,
                                                    Predicate<HttpResponse<String>> done,
                                                    List<HttpResponse<String>> seen) {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (true) {
            HttpResponse<String> answer = request.get();
            seen.add(answer);
            if (done.test(answer)) {
                return answer;
            }
            assertThat(answer.statusCode()).as("on the way: " + answer.body()).isIn(200, 201, 503);
            assertThat(System.nanoTime()).as("waited 3 minutes; last answer " + answer.statusCode())
                    .isLessThan(deadline);
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static String patient(String family) {
        return "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"" + family + "\"}]}";
    }

    private static String location(HttpResponse<String> created) {
        String location = created.headers().firstValue("Location").orElseThrow();
        String path = URI.create(location).getPath();
        return path.substring(path.indexOf("/fhir/") + 6).replaceAll("/_history/.*", "");
    }

    private static HttpResponse<String> send(String method, String path, String body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .timeout(Duration.ofSeconds(90)).header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            builder.header("Content-Type", JSON);
        }
        return LocalServer.send(builder.build());
    }

    private static HttpResponse<String> health(String path) {
        return LocalServer.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .timeout(Duration.ofSeconds(90)).GET().build());
    }
}
