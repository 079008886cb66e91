package org.alongside.it.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.alongside.it.FhirServer;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

/**
 * SMART App Launch 2.x, EHR launch: the EHR (simulated by the test, with its own authorization server in front
 * of the Alongside server under test) opens launch.html with iss and launch; the app authorizes with PKCE S256,
 * exchanges the code, and opens the clinician's view of the patient in context. Every FHIR request carries the
 * access token; the token is kept in sessionStorage only.
 */
class SmartLaunchIT {

    /** The EHR registers the launch with Alongside's development authorization server, then opens the app. */
    @Test
    void ehrLaunchThroughTheServersAuthorizationServer() throws Exception {
        Scene scene = new Scene();
        scene.organization();
        String chen = scene.practitioner("chen", "Dr. Chen");
        String jordanRole = scene.peerRole(scene.practitioner("jordan", "Jordan Reyes"), null);
        String maria = scene.patient("maria", "Maria", "Lopez");
        String plan = scene.plan(maria, "Get back to part-time work by summer", chen);
        scene.assign(plan, jordanRole, chen, LocalDate.now(ZoneOffset.UTC).minusDays(7));
        scene.session(maria, jordanRole, Instant.now().minus(1, ChronoUnit.DAYS), 25, "phone", "Checked in by phone");
        String encounter = scene.search("Encounter?subject=Patient/" + maria).getEntryFirstRep().getResource().getIdElement().getIdPart();

        java.net.http.HttpResponse<String> registered = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(FhirServer.baseUrl() + "/auth/launch"))
                        .header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                                "{\"patient\":\"" + maria + "\",\"encounter\":\"" + encounter + "\"}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(registered.statusCode()).isEqualTo(200);
        String launch = registered.body().replaceAll(".*\"launch\"\\s*:\\s*\"([^\"]+)\".*", "$1");

        try (Browser browser = Browser.desktop()) {
            browser.open("/app/launch.html?iss=" + URLEncoder.encode(FhirServer.fhirBase(), StandardCharsets.UTF_8)
                    + "&launch=" + URLEncoder.encode(launch, StandardCharsets.UTF_8));
            // the server's sign-in page, reached through the SMART authorize request fhirclient built
            browser.await(By.id("role"));
            assertThat(browser.url()).startsWith(FhirServer.baseUrl() + "/auth/authorize").contains("code_challenge_method=S256")
                    .contains("client_id=alongside-app").contains("launch=");
            new Select(browser.await(By.id("role"))).selectByValue("clinician");
            browser.type(By.id("practitioner"), chen);
            browser.click(By.id("sign-in"));
            // straight to the patient in context
            browser.awaitText(By.id("page-title"), "Maria Lopez");
            browser.awaitText(By.cssSelector("[data-figure=sessionsTotal]"), "1");
            assertThat(browser.text(By.id("timeline"))).contains("Checked in by phone");
            assertThat((String) browser.js("return JSON.stringify(localStorage)")).doesNotContain("access_token");
            assertThat((String) browser.js("return JSON.stringify(sessionStorage)")).contains("access_token");
            assertThat(browser.url()).doesNotContain(maria).doesNotContain("code=");
        }
    }

    /** An EHR of its own, simulated here with its own authorization server that checks the PKCE verifier. */
    @Test
    void ehrLaunchWithPatientContextAndPkce() throws Exception {
        Scene scene = new Scene();
        scene.organization();
        String chen = scene.practitioner("chen", "Dr. Chen");
        String jordanRole = scene.peerRole(scene.practitioner("jordan", "Jordan Reyes"), null);
        String maria = scene.patient("maria", "Maria", "Lopez");
        String plan = scene.plan(maria, "Get back to part-time work by summer", chen);
        scene.assign(plan, jordanRole, chen, LocalDate.now(ZoneOffset.UTC).minusDays(7));
        scene.session(maria, jordanRole, Instant.now().minus(1, ChronoUnit.DAYS), 25, "phone", "Checked in by phone");
        String encounter = scene.search("Encounter?subject=Patient/" + maria).getEntryFirstRep().getResource().getIdElement().getIdPart();

        try (SimulatedEhr ehr = new SimulatedEhr(); Browser browser = Browser.desktop()) {
            String launch = ehr.launch(new SimulatedEhr.Launch(maria, encounter, "Practitioner/" + chen, "clinician"));
            browser.open("/app/launch.html?iss=" + java.net.URLEncoder.encode(ehr.iss(), "UTF-8") + "&launch=" + launch);

            // straight to the patient in context: her care plan side by side
            browser.awaitText(By.id("page-title"), "Maria Lopez");
            browser.awaitText(By.cssSelector("[data-figure=sessionsTotal]"), "1");
            assertThat(browser.text(By.id("timeline"))).contains("Checked in by phone");

            assertThat(ehr.authorizeRequests).singleElement().satisfies(request -> {
                assertThat(request.get("client_id")).isEqualTo("alongside-app");
                assertThat(request.get("launch")).isEqualTo(launch);
                assertThat(request.get("aud")).isEqualTo(ehr.iss());
                assertThat(request.get("scope")).contains("launch", "openid", "fhirUser");
                assertThat(request.get("code_challenge_method")).isEqualTo("S256");
                assertThat(request.get("redirect_uri")).isEqualTo(FhirServer.baseUrl() + "/app/index.html");
            });
            assertThat(ehr.pkceVerified).as("token endpoint checked the code verifier").isTrue();
            assertThat(ehr.fhirRequests).anyMatch(r -> r.contains("$side-by-side"));
            assertThat(ehr.fhirRequestsWithoutToken).as("FHIR requests without the access token").isEmpty();
            // the token lives in sessionStorage, never in localStorage; the page URL carries no context
            String local = (String) browser.js("return JSON.stringify(localStorage)");
            String session = (String) browser.js("return JSON.stringify(sessionStorage)");
            assertThat(session).contains("access_token");
            assertThat(local).doesNotContain("access_token").doesNotContain(maria);
            assertThat(browser.url()).doesNotContain(maria).doesNotContain("code=");
        }
    }
}
