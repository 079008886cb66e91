package org.alongside.it.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

/**
 * Recovery outcomes in the app: the peer fills in the BARC-10 with the person at phone size (a missing answer is
 * named before anything is sent), sees the trend chart on the person's page in English and Spanish, and the clinician
 * sees the same chart and the latest score with its change in the side-by-side view. axe-core finds nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RecoveryJourneyIT {

    private static final Scene scene = new Scene();
    private static final int[] ANSWERS = {5, 4, 4, 4, 4, 4, 4, 5, 4, 3}; // 41
    private static Browser browser;
    private static String maria;
    private static String plan;
    private static String chen;

    @BeforeAll
    static void setUp() {
        scene.organization();
        chen = scene.practitioner("chen", "Dr. Chen");
        String jordan = scene.practitioner("jordan", "Jordan Reyes");
        String jordanRole = scene.peerRole(jordan, null);
        maria = scene.patient("maria", "Maria", "Lopez");
        plan = scene.plan(maria, "Get back to part-time work by summer", chen);
        scene.assign(plan, jordanRole, chen, LocalDate.now(ZoneOffset.UTC).minusDays(60));
        // the first assessment, six weeks ago: 29
        StringBuilder items = new StringBuilder();
        int[] first = {3, 3, 3, 3, 3, 3, 2, 3, 3, 3};
        for (int i = 0; i < first.length; i++) {
            items.append(i == 0 ? "" : ",").append("""
                    {"linkId":"%d","answer":[{"valueCoding":{"system":"http://alongside.health/fhir/CodeSystem/agreement-scale","code":"%d"}}]}"""
                    .formatted(i + 1, first[i]));
        }
        scene.send("POST", "/QuestionnaireResponse/$record-recovery-capital", """
                {"resourceType":"Parameters","parameter":[{"name":"response","resource":{"resourceType":"QuestionnaireResponse",
                 "questionnaire":"http://alongside.health/fhir/Questionnaire/barc-10","status":"completed",
                 "subject":{"reference":"Patient/%s"},"authored":"%s","author":{"reference":"PractitionerRole/%s"},
                 "item":[%s]}}]}""".formatted(maria, Instant.now().minus(42, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS),
                jordanRole, items));
        browser = Browser.phone();
        browser.signIn("peer-specialist", jordan);
    }

    @AfterAll
    static void tearDown() {
        if (browser != null) {
            List<String> console = browser.console();
            browser.close();
            assertThat(String.join("\n", console)).as("browser console").doesNotContain("Maria", "Lopez");
        }
    }

    @Test
    @Order(1)
    void thePersonsPageShowsTheFirstScore() {
        browser.click(By.cssSelector("[data-person='" + maria + "']"));
        browser.awaitText(By.id("recovery-title"), "Recovery capital (BARC-10)");
        browser.awaitText(By.id("recovery-summary"), "Score 29");
        assertThat(browser.driver().findElements(By.cssSelector("#recovery-chart circle"))).hasSize(1);
    }

    @Test
    @Order(2)
    void thePeerFillsInTheBarc10AtPhoneSizeAndAMissingAnswerIsNamedFirst() {
        browser.click(By.id("record-recovery"));
        browser.await(By.cssSelector("fieldset[data-item='10']"));
        assertThat(browser.text(By.cssSelector("fieldset[data-item='1'] legend")))
                .contains("There are more important things to me in life than using substances.");
        for (int i = 0; i < ANSWERS.length - 1; i++) {
            browser.click(By.cssSelector("label.scale-option:has(input[name='barc-" + (i + 1) + "'][value='" + ANSWERS[i] + "'])"));
        }
        browser.awaitText(By.id("recovery-total"), "9 of 10 answered");
        browser.click(By.id("save-recovery"));
        browser.awaitText(By.id("form-error"), "Not answered yet: 10.");
        assertThat(scene.count("QuestionnaireResponse?subject=Patient/" + maria)).isEqualTo(1);
        browser.click(By.cssSelector("label.scale-option:has(input[name='barc-10'][value='" + ANSWERS[9] + "'])"));
        browser.awaitText(By.id("recovery-total"), "Total: 41 of 60");
        browser.assertAccessible("BARC-10 form");
        browser.assertLargeTargets("BARC-10 form");
        browser.assertNoHorizontalScroll("BARC-10 form");
        browser.screens("peer-recovery-form");
        new Select(browser.await(By.id("language"))).selectByValue("es");
        browser.awaitText(By.id("save-recovery"), "Guardar evaluación");
        assertThat(browser.text(By.cssSelector("fieldset[data-item='1']"))).contains("Totalmente de acuerdo");
        browser.assertAccessible("BARC-10 form, in Spanish");
        new Select(browser.await(By.id("language"))).selectByValue("en");
        browser.click(By.id("save-recovery"));
        browser.awaitText(By.cssSelector("[data-notice]"), "Assessment saved: 41 of 60.");
    }

    @Test
    @Order(3)
    void theTrendChartShowsBothScoresWithATextAlternativeInEnglishAndSpanish() {
        browser.awaitText(By.id("recovery-summary"), "Latest 41 (+12 since the first, 29)");
        assertThat(browser.driver().findElements(By.cssSelector("#recovery-chart circle"))).hasSize(2);
        assertThat(browser.await(By.cssSelector("#recovery-chart svg")).getAttribute("role")).isEqualTo("img");
        assertThat(browser.driver().findElement(By.id("recovery-chart-desc")).getAttribute("textContent"))
                .contains("2 assessments", "First 29", "latest 41", "a change of +12");
        assertThat(browser.driver().findElements(By.cssSelector("#recovery-table tbody tr"))).hasSize(2);
        browser.assertAccessible("person with the recovery chart");
        browser.screens("peer-recovery-chart");
        new Select(browser.await(By.id("language"))).selectByValue("es");
        browser.awaitText(By.id("recovery-title"), "Capital de recuperación (BARC-10)");
        browser.awaitText(By.id("recovery-summary"), "Última 41 (+12 desde la primera, 29)");
        assertThat(browser.driver().findElement(By.id("recovery-chart-desc")).getAttribute("textContent"))
                .contains("2 evaluaciones", "un cambio de +12");
        browser.assertAccessible("person with the recovery chart, in Spanish");
        new Select(browser.await(By.id("language"))).selectByValue("en");

        // stored as the server's score: one response and one Observation more, 41
        List<Observation> scores = Scene.resources(scene.search("Observation?subject=Patient/" + maria
                + "&code=http://alongside.health/fhir/CodeSystem/recovery-capital|barc-10-total"), Observation.class);
        assertThat(scores).extracting(o -> o.getValueIntegerType().getValue()).containsExactlyInAnyOrder(29, 41);
    }

    @Test
    @Order(4)
    void theClinicianSeesTheSameChartAndTheChangeSideBySide() {
        browser.close();
        browser = Browser.desktop();
        browser.signIn("clinician", chen);
        browser.click(By.cssSelector("[data-plan='" + plan + "']"));
        browser.awaitText(By.cssSelector("[data-figure=recoveryScoreLatest]"), "41 (+12)");
        browser.awaitText(By.id("recovery-summary"), "Latest 41 (+12 since the first, 29)");
        assertThat(browser.driver().findElements(By.cssSelector("#recovery-chart circle"))).hasSize(2);
        browser.assertAccessible("side by side with the recovery chart");
        browser.screens("clinician-recovery");
        new Select(browser.await(By.id("language"))).selectByValue("es");
        browser.awaitText(By.id("recovery-title"), "Capital de recuperación (BARC-10)");
        browser.assertAccessible("side by side with the recovery chart, in Spanish");
        new Select(browser.await(By.id("language"))).selectByValue("en");
    }
}
