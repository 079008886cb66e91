package org.alongside.it.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The clinician at a desktop: care plans found by name and sorted, the care plan with therapy and peer support side
 * by side, and the peer mentor assigned, transferred and ended from a picker that ranks the peers with the reasons
 * ({@code $match-peer-mentor}), their languages, lived experience and caseload against the limit.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClinicianJourneyIT {

    private static final Scene scene = new Scene();
    private static Browser browser;
    private static String maria;
    private static String lee;
    private static String plan;
    private static String jordanRole;
    private static String alexRole;
    private static String caseyRole;

    @BeforeAll
    static void setUp() {
        scene.organization();
        String chen = scene.practitioner("chen", "Dr. Chen");
        jordanRole = scene.peerRole(scene.practitioner("jordan", "Jordan Reyes"), null);
        // Alex speaks Spanish and shares Maria's recovery from substance use: the ranking puts him first
        alexRole = scene.peerRoleWithLivedExperience(scene.practitioner("alex", "Alex Kim", "es", "en"), "substance-use");
        maria = scene.patient("maria", "Maria", "Lopez");
        scene.matchingWishes(maria, "Maria", "Lopez", "es", "substance-use");
        plan = scene.plan(maria, "Get back to part-time work by summer", chen);
        String other = scene.patient("sam", "Sam", "Ortiz");
        scene.assign(scene.plan(other, "Reconnect with family", chen), jordanRole, chen, LocalDate.now(ZoneOffset.UTC).minusDays(5));
        scene.assign(plan, jordanRole, chen, LocalDate.now(ZoneOffset.UTC).minusDays(14));
        Instant now = Instant.now();
        scene.therapy(maria, plan, now.minus(6, ChronoUnit.DAYS), "CBT session with Dr. Chen");
        scene.session(maria, jordanRole, now.minus(4, ChronoUnit.DAYS), 35, "in-person", "Coffee and a walk");
        scene.escalate(maria, "PractitionerRole/" + jordanRole, "Gave away her guitar and said goodbye", "asap");
        // Lee's mentor has not reached him in the twenty days since the assignment: an engagement alert
        lee = scene.patient("lee", "Lee", "Nguyen");
        caseyRole = scene.peerRole(scene.practitioner("casey", "Casey Brooks"), null);
        scene.assign(scene.plan(lee, "Sleep through the night", chen), caseyRole, chen, LocalDate.now(ZoneOffset.UTC).minusDays(20));
        awaitAlerts();
        browser = Browser.desktop();
        browser.signIn("clinician", chen);
    }

    @AfterAll
    static void tearDown() {
        if (browser != null) {
            List<String> console = browser.console();
            browser.close();
            assertThat(String.join("\n", console)).doesNotContain("Maria", "Lopez", "Coffee");
        }
    }

    private static final String NO_PEER_CONTACT = "http://alongside.health/fhir/CodeSystem/engagement-alert|no-peer-contact";

    /**
     * The alert job runs every 2 s on the test server: waits until Lee's alert is open and none of Maria's is (her
     * mentorship is fourteen days old, so a run between its assignment and her session may have opened one that the
     * next run closes), so the page shows the same thing whenever it loads.
     */
    private static void awaitAlerts() {
        java.time.Instant deadline = java.time.Instant.now().plusSeconds(40);
        while (scene.count("Task?patient=Patient/" + lee + "&code=" + NO_PEER_CONTACT + "&status=requested") != 1
                || scene.count("Task?patient=Patient/" + maria + "&code=" + NO_PEER_CONTACT + "&status=requested") != 0) {
            assertThat(java.time.Instant.now()).as("engagement alerts settled in time").isBefore(deadline);
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private List<ServiceRequest> assignments(String status) {
        return Scene.resources(scene.search("ServiceRequest?based-on=CarePlan/" + plan + "&status=" + status), ServiceRequest.class);
    }

    @Test
    @Order(0)
    void aPeersWorryIsAtTheTopOfThePageUntilTheClinicianAcknowledgesItWithTheOpenEngagementAlertsBelow() {
        assertThat(browser.text(By.cssSelector("#engagement-alerts [data-engagement-alert]")))
                .contains("Lee Nguyen", "No peer contact for 14 days or more, since");
        assertThat(browser.driver().findElements(By.cssSelector("#engagement-alerts [data-engagement-alert]"))).hasSize(1);
        String worry = browser.text(By.cssSelector("#worries [data-worry]"));
        assertThat(worry).contains("Maria Lopez", "Within the hour", "Gave away her guitar and said goodbye");
        browser.assertAccessible("open worries");
        browser.screens("clinician-worries");
        browser.click(By.cssSelector("#worries [data-acknowledge]"));
        browser.awaitText(By.cssSelector("#worries [data-notice]"), "Acknowledged");
        // the notice shows before the list is read again
        browser.waiting().until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#worries [data-worry]"), 0));
        org.hl7.fhir.r4.model.Task task = Scene.resources(scene.search("Task?patient=Patient/" + maria
                + "&code=http://alongside.health/fhir/CodeSystem/crisis-support|peer-worried"), org.hl7.fhir.r4.model.Task.class).get(0);
        assertThat(task.getStatus()).isEqualTo(org.hl7.fhir.r4.model.Task.TaskStatus.ACCEPTED);
        assertThat(Scene.resources(scene.search("Flag?patient=Patient/" + maria), org.hl7.fhir.r4.model.Flag.class))
                .extracting(org.hl7.fhir.r4.model.Flag::getStatus).containsExactly(org.hl7.fhir.r4.model.Flag.FlagStatus.INACTIVE);
    }

    @Test
    @Order(1)
    void carePlansAreFoundByNameOrTitleAndSortedAsTheClinicianChooses() {
        browser.await(By.cssSelector("[data-plan='" + plan + "']"));
        assertThat(browser.text(By.id("plans-shown"))).isEqualTo("3 of 3 care plans");
        findPlans("lee");
        browser.awaitText(By.id("plans-shown"), "1 of 3 care plans");
        assertThat(browser.text(By.cssSelector("[data-plan]"))).contains("Lee Nguyen", "Recovery plan");
        findPlans("zz");
        browser.awaitText(By.id("main"), "No care plan matches “zz”.");
        findPlans("");
        browser.awaitText(By.id("plans-shown"), "3 of 3 care plans");
        new Select(browser.await(By.id("plan-sort"))).selectByValue("name");
        assertThat(browser.driver().findElements(By.cssSelector("[data-plan] .card-title")))
                .extracting(WebElement::getText).containsExactly("Lee Nguyen", "Maria Lopez", "Sam Ortiz");
        browser.assertAccessible("care plans, found and sorted");
    }

    /** Types into the search field as a person does (select all, then type or delete), so every keystroke counts. */
    private static void findPlans(String text) {
        WebElement field = browser.await(By.id("plan-search"));
        field.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
        if (!text.isEmpty()) {
            field.sendKeys(text);
        }
    }

    @Test
    @Order(2)
    void sideBySideShowsTherapyAndPeerSupportOnOneTimeline() {
        browser.click(By.cssSelector("[data-plan='" + plan + "']"));
        browser.awaitText(By.id("page-title"), "Maria Lopez");
        browser.awaitText(By.cssSelector("[data-figure=sessionsTotal]"), "1");
        assertThat(browser.text(By.cssSelector("[data-figure=daysSinceLastContact]"))).isEqualTo("3");
        WebElement therapy = browser.await(By.cssSelector("#timeline tr[data-kind=therapy]"));
        assertThat(therapy.getText()).contains("CBT session with Dr. Chen");
        assertThat(browser.text(By.cssSelector("#timeline tr[data-kind=peer][data-type=Encounter]")))
                .contains("Session", "In person", "2 unit(s)", "Coffee and a walk");
        assertThat(browser.text(By.id("mentors"))).contains("Jordan Reyes");
        assertThat(browser.url()).doesNotContain(maria).doesNotContain(plan);
        browser.assertAccessible("side by side");
        browser.assertLargeTargets("side by side");
        browser.screens("clinician-side-by-side");
        // 200% zoom of the 1366 px window: a 683 px wide viewport, still no sideways scrolling
        browser.size(683, 450, false);
        browser.assertNoHorizontalScroll("side by side at 200%");
        browser.size(Browser.DESKTOP_WIDTH, Browser.DESKTOP_HEIGHT, false);
    }

    @Test
    @Order(3)
    void transferShowsCaseloadsAndMovesTheAssignment() {
        browser.click(By.cssSelector("[data-mentor='PractitionerRole/" + jordanRole + "'] [data-action=transfer]"));
        WebElement alex = browser.await(By.cssSelector("#picker [data-peer='PractitionerRole/" + alexRole + "']"));
        // ranked by $match-peer-mentor: Alex first, for the reasons Maria's wishes give, then Casey
        assertThat(alex.getAttribute("data-rank")).isEqualTo("1");
        assertThat(alex.getText()).contains("Alex Kim", "0 of 15 people", "Shared lived experience",
                "Speaks the preferred language: Spanish", "Speaks Spanish, English",
                "Lived experience: Substance use recovery", "Room in the caseload");
        assertThat(browser.driver().findElements(By.cssSelector("#picker [data-peer]")))
                .extracting(peer -> peer.getAttribute("data-peer")).first().isEqualTo("PractitionerRole/" + alexRole);
        assertThat(browser.text(By.cssSelector("#picker [data-peer='PractitionerRole/" + caseyRole + "']")))
                .contains("Casey Brooks", "1 of 15 people", "No shared language");
        assertThat(browser.driver().findElements(By.cssSelector("#picker [data-peer='PractitionerRole/" + jordanRole + "']"))).isEmpty();
        browser.assertAccessible("transfer picker");
        browser.screens("clinician-picker");
        alex.findElement(By.cssSelector("input")).click();
        browser.click(By.id("confirm-peer"));
        browser.awaitText(By.cssSelector("[data-notice]"), "Peer mentor transferred");
        browser.awaitText(By.id("mentors"), "Alex Kim");
        assertThat(assignments("active")).singleElement()
                .satisfies(sr -> assertThat(sr.getPerformerFirstRep().getReference()).isEqualTo("PractitionerRole/" + alexRole));
        assertThat(assignments("completed")).singleElement()
                .satisfies(sr -> assertThat(sr.getPerformerFirstRep().getReference()).isEqualTo("PractitionerRole/" + jordanRole));
    }

    @Test
    @Order(4)
    void endWithAReasonThenAssignAgainFromThePicker() {
        browser.click(By.cssSelector("[data-mentor='PractitionerRole/" + alexRole + "'] [data-action=end]"));
        new Select(browser.await(By.id("end-reason"))).selectByValue("patient-request");
        browser.click(By.id("confirm-end"));
        browser.awaitText(By.cssSelector("[data-notice]"), "Mentorship ended");
        browser.awaitText(By.id("mentors"), "No peer mentor assigned");
        assertThat(assignments("active")).isEmpty();

        browser.click(By.id("assign"));
        WebElement jordan = browser.await(By.cssSelector("#picker [data-peer='PractitionerRole/" + jordanRole + "']"));
        assertThat(jordan.getText()).contains("Jordan Reyes", "1 of 15 people");
        browser.click(By.id("confirm-peer"));
        browser.awaitText(By.cssSelector("#picker [role=alert]"), "Choose a peer specialist first");
        jordan.findElement(By.cssSelector("input")).click();
        browser.click(By.id("confirm-peer"));
        browser.awaitText(By.cssSelector("[data-notice]"), "Peer mentor assigned");
        browser.awaitText(By.id("mentors"), "Jordan Reyes");
        assertThat(assignments("active")).singleElement()
                .satisfies(sr -> assertThat(sr.getPerformerFirstRep().getReference()).isEqualTo("PractitionerRole/" + jordanRole));
        // assignments are dated by their start; the ended ones say when and why
        String timeline = browser.text(By.id("timeline"));
        assertThat(timeline).contains("Peer mentor assignment", "Since ");
        assertThat(browser.driver().findElements(By.cssSelector("#timeline [data-assignment-ended]")))
                .extracting(WebElement::getText).anySatisfy(ended -> assertThat(ended).startsWith("Ended ").endsWith(": The person asked"))
                .anySatisfy(ended -> assertThat(ended).endsWith(": Transferred"));
    }

    @Test
    @Order(5)
    void onAPhoneTheTimelineKeepsItsColumnHeadingsOnEveryCell() {
        browser.size(Browser.PHONE_WIDTH, Browser.PHONE_HEIGHT, true);
        try {
            WebElement cell = browser.await(By.cssSelector("#timeline tr[data-kind=peer] td:nth-child(3)"));
            Object heading = browser.js("return getComputedStyle(arguments[0], '::before').content", cell);
            assertThat(heading).isEqualTo("\"Peer support\"");
            assertThat(browser.js("return getComputedStyle(arguments[0]).display",
                    browser.await(By.cssSelector("#timeline tr[data-kind=peer] td:first-child")))).isEqualTo("block");
            browser.assertAccessible("side by side on a phone");
            browser.assertNoHorizontalScroll("side by side on a phone");
        } finally {
            browser.size(Browser.DESKTOP_WIDTH, Browser.DESKTOP_HEIGHT, false);
        }
    }
}
