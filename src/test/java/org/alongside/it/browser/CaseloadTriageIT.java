package org.alongside.it.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Task;
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
 * A peer specialist's caseload as a work list, on a phone: found by name, filtered (overdue, no contact for N days, a
 * note returned, a worry open), overdue first, with a next contact the peer plans (a Task, sent through the outbox,
 * once however often it is saved), and the list following a mentorship that ends elsewhere.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CaseloadTriageIT {

    private static final Scene scene = new Scene();
    private static final String NEXT_CONTACT = "http://alongside.health/fhir/CodeSystem/peer-contact|next-contact";
    private static Browser browser;
    private static String ana;
    private static String ben;
    private static String cruz;
    private static String cruzPlan;
    private static String rosaRole;
    private static String chen;

    @BeforeAll
    static void setUp() {
        scene.organization();
        chen = scene.practitioner("chen", "Dr. Chen");
        String rosa = scene.practitioner("rosa", "Rosa Diaz");
        rosaRole = scene.peerRole(rosa, null);
        ana = scene.patient("ana", "Ana", "Ruiz");
        ben = scene.patient("ben", "Ben", "Okafor");
        cruz = scene.patient("cruz", "Cruz", "Vega");
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Instant now = Instant.now();
        // Ana: nobody has reached her in the twenty days since the assignment
        scene.assign(scene.plan(ana, "Find a sponsor", chen), rosaRole, chen, today.minusDays(20));
        // Ben: seen two days ago, and his supervisor returned that note
        scene.assign(scene.plan(ben, "Keep the job", chen), rosaRole, chen, today.minusDays(10));
        scene.session(ben, rosaRole, now.minus(2, ChronoUnit.DAYS).minus(1, ChronoUnit.HOURS), 30, "in-person",
                "Practised saying no");
        returnTheNote(ben);
        // Cruz: seen five days ago; a worry is open
        cruzPlan = scene.plan(cruz, "Sleep better", chen);
        scene.assign(cruzPlan, rosaRole, chen, today.minusDays(8));
        scene.session(cruz, rosaRole, now.minus(5, ChronoUnit.DAYS), 30, "phone", "Talked about nights");
        scene.escalate(cruz, "PractitionerRole/" + rosaRole, "Said he stopped taking his medication", "urgent");
        browser = Browser.phone();
        browser.signIn("peer-specialist", rosa);
    }

    /** The supervisor returns the session's note to the peer (a Provenance "returned" on its current version). */
    private static void returnTheNote(String patientId) {
        Encounter session = Scene.resources(scene.search("Encounter?subject=Patient/" + patientId), Encounter.class).get(0);
        String version = "Encounter/" + session.getIdElement().getIdPart() + "/_history/" + session.getMeta().getVersionId();
        scene.send("POST", "/Provenance", """
                {"resourceType":"Provenance","target":[{"reference":"%s"}],"recorded":"%s",
                 "activity":{"coding":[{"system":"http://alongside.health/fhir/CodeSystem/review-outcome","code":"returned"}]},
                 "reason":[{"text":"Please add how he felt afterwards."}],
                 "agent":[{"type":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/provenance-participant-type","code":"author"}]},
                           "who":{"reference":"PractitionerRole/%s"}},
                          {"type":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/provenance-participant-type","code":"performer"}]},
                           "who":{"reference":"Practitioner/%s"}}]}"""
                .formatted(version, Instant.now().truncatedTo(ChronoUnit.SECONDS), rosaRole, chen));
    }

    @AfterAll
    static void tearDown() {
        if (browser != null) {
            List<String> console = browser.console();
            browser.close();
            assertThat(String.join("\n", console)).as("browser console").doesNotContain("Ana", "Ruiz", "Okafor", "Vega");
        }
    }

    private static List<String> shownPeople() {
        return browser.driver().findElements(By.cssSelector("[data-person]")).stream()
                .map(card -> card.getAttribute("data-person")).toList();
    }

    private static void filter(String name) {
        browser.click(By.cssSelector("[data-filter=" + name + "] input"));
    }

    private static void awaitShown(String text) {
        browser.awaitText(By.id("people-shown"), text);
    }

    @Test
    @Order(1)
    void overdueComeFirstWithWhatNeedsAttentionOnEachCard() {
        browser.await(By.cssSelector("[data-person='" + cruz + "']"));
        awaitShown("3 of 3 people");
        assertThat(shownPeople()).containsExactly(ana, cruz, ben);
        assertThat(browser.text(By.cssSelector("[data-person='" + ana + "']"))).contains("Ana Ruiz", "Overdue",
                "No contact yet", "Next contact was due");
        assertThat(browser.text(By.cssSelector("[data-person='" + ben + "']"))).contains("Note returned",
                "Last contact 2 day(s) ago");
        assertThat(browser.text(By.cssSelector("[data-person='" + cruz + "']"))).contains("Worry open");
        browser.assertAccessible("my people as a work list");
        browser.assertLargeTargets("my people as a work list");
        browser.assertNoHorizontalScroll("my people as a work list");
    }

    @Test
    @Order(2)
    void theSearchFindsByTheStartOfANameAndEachFilterKeepsWhoItNames() {
        WebElement search = browser.await(By.id("people-search"));
        search.sendKeys("ok");
        awaitShown("1 of 3 people");
        assertThat(shownPeople()).containsExactly(ben);
        search.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
        awaitShown("3 of 3 people");

        filter("overdue");
        awaitShown("1 of 3 people");
        assertThat(shownPeople()).containsExactly(ana);
        filter("overdue");
        filter("returned");
        awaitShown("1 of 3 people");
        assertThat(shownPeople()).containsExactly(ben);
        filter("returned");
        filter("worried");
        awaitShown("1 of 3 people");
        assertThat(shownPeople()).containsExactly(cruz);
        filter("worried");
        new Select(browser.await(By.id("quiet-days"))).selectByValue("3");
        awaitShown("2 of 3 people");
        assertThat(shownPeople()).containsExactly(ana, cruz);
        browser.assertAccessible("my people, filtered");
        filter("quiet");
        awaitShown("3 of 3 people");
    }

    @Test
    @Order(3)
    void aNextContactThePeerPlansIsOneTaskShownOnTheListAndSavedOnceOfflineToo() {
        browser.click(By.cssSelector("[data-person='" + ben + "']"));
        browser.awaitText(By.id("page-title"), "Ben Okafor");
        LocalDate inThreeDays = LocalDate.now().plusDays(3);
        planNextContact(inThreeDays);
        browser.awaitText(By.cssSelector("[data-notice]"), "Next contact planned for");
        Task planned = nextContactTasks().get(0);
        assertThat(planned.getRestriction().getPeriod().getEndElement().getValueAsString()).isEqualTo(inThreeDays.toString());
        assertThat(planned.getRequester().getReference()).isEqualTo("PractitionerRole/" + rosaRole);
        assertThat(planned.getOwner().getReference()).isEqualTo("PractitionerRole/" + rosaRole);
        assertThat(planned.getFor().getReference()).isEqualTo("Patient/" + ben);
        assertThat(planned.getMeta().getSecurity()).extracting(Coding::getCode).as("Part 2 labels").contains("SUD", "R");
        assertThat(browser.text(By.id("next-contact"))).contains("Next contact due", "planned");
        browser.assertAccessible("next contact");

        // planned again while offline: kept on the device, sent when the signal returns, still one Task
        LocalDate inFiveDays = LocalDate.now().plusDays(5);
        browser.network(false);
        browser.awaitText(By.id("connection"), "Offline");
        planNextContact(inFiveDays);
        browser.awaitText(By.cssSelector(".pending"), "Next contact with Ben Okafor");
        browser.network(true);
        browser.awaitText(By.id("connection"), "Online");
        browser.waiting(java.time.Duration.ofSeconds(60))
                .until(ExpectedConditions.numberOfElementsToBe(By.cssSelector(".pending-item"), 0));
        assertThat(nextContactTasks()).singleElement().satisfies(task -> assertThat(
                task.getRestriction().getPeriod().getEndElement().getValueAsString()).isEqualTo(inFiveDays.toString()));

        browser.click(By.cssSelector(".back"));
        WebElement card = browser.await(By.cssSelector("[data-person='" + ben + "'] [data-due]"));
        assertThat(card.getAttribute("data-scheduled")).isEqualTo("true");
        assertThat(card.getText()).contains("planned");
    }

    private static void planNextContact(LocalDate day) {
        WebElement field = browser.await(By.id("next-contact-day"));
        browser.js("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', { bubbles: true }));",
                field, day.format(DateTimeFormatter.ISO_LOCAL_DATE.withLocale(Locale.ROOT)));
        browser.click(By.id("save-next-contact"));
    }

    private static List<Task> nextContactTasks() {
        return Scene.resources(scene.search("Task?patient=Patient/" + ben + "&code=" + NEXT_CONTACT), Task.class);
    }

    @Test
    @Order(4)
    void aMentorshipEndedElsewhereLeavesTheListWhenThePageIsShownAgain() {
        scene.send("POST", "/CarePlan/" + cruzPlan + "/$end-peer-mentorship", """
                {"resourceType":"Parameters","parameter":[
                  {"name":"peer","valueReference":{"reference":"PractitionerRole/%s"}},
                  {"name":"reason","valueCoding":{"system":"http://alongside.health/fhir/CodeSystem/end-reason","code":"goals-met"}},
                  {"name":"assigner","valueReference":{"reference":"Practitioner/%s"}}]}""".formatted(rosaRole, chen));
        browser.js("document.dispatchEvent(new Event('visibilitychange'))");
        browser.waiting().until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("[data-person='" + cruz + "']"), 0));
        awaitShown("2 of 2 people");
    }
}
