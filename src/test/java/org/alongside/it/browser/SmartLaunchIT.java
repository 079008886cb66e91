package org.alongside.it.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * SMART App Launch 2.x, EHR launch: the EHR (simulated by the test, with its own authorization server in front
 * of the Alongside server under test) opens launch.html with iss and launch; the app authorizes with PKCE S256,
 * exchanges the code, and opens the clinician's view of the patient in context. Every FHIR request carries the
 * access token; the token is kept in sessionStorage only.
 */
class SmartLaunchIT {

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
                assertThat(request.get("redirect_uri")).isEqualTo(org.alongside.it.FhirServer.baseUrl() + "/app/index.html");
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
