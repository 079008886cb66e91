package org.alongside.it.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Procedure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.support.ui.Select;

/**
 * Faster, better notes on a phone, in a clinic that writes DAP notes: last session's next steps at the top of the new
 * note, every section needed, dictation where the browser has speech recognition (and none where it has not), the
 * caseload and each person's goals and last notes readable without signal (kept encrypted, marked "as of"), and a
 * note the supervisor returned edited by the peer and back in the supervisor's queue.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NotesJourneyIT {

    private static final Scene scene = new Scene();
    private static Browser browser;
    private static String rosa;
    private static String jordan;
    private static String jordanRole;
    private static String sam;
    private static String samRole;

    @BeforeAll
    static void setUp() {
        scene.put("Organization", scene.id("clinic"), """
                {"resourceType":"Organization","id":"%s","name":"Riverside Recovery Clinic",
                 "extension":[{"url":"http://alongside.health/fhir/StructureDefinition/note-format","valueCode":"dap"}]}"""
                .formatted(scene.id("clinic")));
        String chen = scene.practitioner("chen", "Dr. Chen");
        sam = scene.practitioner("sam", "Sam Okafor");
        samRole = scene.peerRole(sam, null);
        jordan = scene.practitioner("jordan", "Jordan Reyes");
        jordanRole = scene.peerRole(jordan, samRole);
        rosa = scene.patient("rosa", "Rosa", "Diaz");
        String plan = scene.plan(rosa, "Find a job near home", chen);
        scene.assign(plan, jordanRole, chen, LocalDate.now(ZoneOffset.UTC).minusDays(20));
        scene.session(rosa, jordanRole, Instant.now().minus(3, ChronoUnit.DAYS), 40, "video", "Talked through weekend cravings");
        browser = Browser.phone();
        browser.signIn("peer-specialist", jordan);
    }

    @AfterAll
    static void tearDown() {
        if (browser != null) {
            List<String> console = browser.console();
            browser.close();
            assertThat(String.join("\n", console)).as("browser console").doesNotContain("Rosa", "Diaz", "cravings");
        }
    }

    @Test
    @Order(1)
    void aDapNoteShowsLastSessionsNextStepsAtTheTopAndNeedsEverySection() {
        // a browser without speech recognition: no dictation button, the peer types
        browser.js("window.SpeechRecognition = undefined; window.webkitSpeechRecognition = undefined;");
        browser.await(By.cssSelector("[data-person='" + rosa + "']")).click();
        browser.click(By.id("log-session"));
        browser.awaitText(By.id("last-next-steps"), "Call on Friday");
        browser.awaitText(By.id("note-format"), "DAP");
        assertThat(browser.text(By.cssSelector("label[for=what]"))).isEqualTo("Data: what happened, what they said");
        assertThat(browser.text(By.cssSelector("label[for=response]"))).isEqualTo("Assessment");
        assertThat(browser.text(By.cssSelector("label[for=next-steps]"))).isEqualTo("Plan: next steps");
        assertThat(browser.driver().findElements(By.cssSelector("[data-dictate]"))).isEmpty();

        int before = scene.count("Encounter?subject=Patient/" + rosa);
        browser.click(By.cssSelector("[data-focus=goal-setting]"));
        browser.type(By.id("what"), "Looked at two job ads together");
        browser.type(By.id("response"), "Keen, a little nervous about interviews");
        browser.click(By.id("save-session"));
        browser.awaitText(By.id("form-error"), "data, assessment and plan");
        assertThat(scene.count("Encounter?subject=Patient/" + rosa)).isEqualTo(before);

        browser.type(By.id("next-steps"), "Practise an interview on Thursday");
        browser.assertAccessible("DAP note");
        browser.assertLargeTargets("DAP note");
        browser.screens("peer-note-dap");
        new Select(browser.await(By.id("language"))).selectByValue("es");
        browser.awaitText(By.cssSelector("label[for=response]"), "Evaluación");
        browser.assertAccessible("DAP note in Spanish");
        new Select(browser.await(By.id("language"))).selectByValue("en");
        browser.click(By.id("save-session"));
        browser.awaitText(By.cssSelector("[data-notice]"), "Session saved");

        Procedure note = latestNote();
        assertThat(note.getNoteFirstRep().getText()).isEqualTo("Data: Looked at two job ads together\n\n"
                + "Assessment: Keen, a little nervous about interviews\n\nPlan: Practise an interview on Thursday");
        assertThat(note.getExtensionByUrl("http://alongside.health/fhir/StructureDefinition/note-format").getValue()
                .primitiveValue()).isEqualTo("dap");
        assertThat(note.getFollowUpFirstRep().getText()).isEqualTo("Practise an interview on Thursday");
        browser.awaitText(By.cssSelector(".timeline [data-section=plan]"), "Practise an interview on Thursday");
    }

    @Test
    @Order(2)
    void dictationAddsWhatWasSaidWhereTheBrowserHasSpeechRecognition() {
        // headless Chromium has no speech engine: a stand-in answers as a browser's recognition would
        browser.js("""
                window.webkitSpeechRecognition = class {
                  start() { setTimeout(() => { this.onresult({ results: [[{ transcript: 'she felt calmer after the walk' }]] }); this.onend(); }, 50); }
                  stop() { this.onend(); }
                  abort() {}
                };""");
        browser.click(By.id("log-session"));
        browser.await(By.cssSelector("[data-dictate=what]"));
        browser.await(By.cssSelector("[data-dictate=next-steps]"));
        browser.assertAccessible("note with dictation");
        browser.assertLargeTargets("note with dictation");
        browser.click(By.cssSelector("[data-dictate=response]"));
        browser.waiting().until(d -> "She felt calmer after the walk".equals(browser.await(By.id("response")).getAttribute("value")));
        assertThat(browser.await(By.cssSelector("[data-dictate=response]")).getAttribute("aria-pressed")).isEqualTo("false");
        browser.js("delete window.webkitSpeechRecognition; delete window.SpeechRecognition;");
        browser.click(By.cssSelector(".back"));
        browser.awaitText(By.id("page-title"), "Rosa Diaz");
    }

    @Test
    @Order(3)
    void theCaseloadGoalsAndLastNotesStayReadableWithoutSignalMarkedAsOfAndEncrypted() {
        browser.awaitText(By.cssSelector(".timeline"), "Practise an interview on Thursday");
        browser.click(By.cssSelector(".back"));
        browser.await(By.cssSelector("[data-person='" + rosa + "']"));
        browser.network(false);
        browser.awaitText(By.id("connection"), "Offline");
        // the list is read again when the page is shown again: without signal, the device's copy answers
        browser.js("document.dispatchEvent(new Event('visibilitychange'));");
        browser.awaitText(By.id("as-of"), "as of");
        browser.await(By.cssSelector("[data-person='" + rosa + "']")).click();
        browser.awaitText(By.id("as-of"), "as of");
        browser.awaitText(By.cssSelector(".goals"), "Find a job near home");
        browser.awaitText(By.cssSelector(".timeline"), "Practise an interview on Thursday");
        browser.assertAccessible("person without signal");
        browser.screens("peer-offline-reading");
        new Select(browser.await(By.id("language"))).selectByValue("es");
        browser.awaitText(By.id("as-of"), "Sin conexión");
        browser.assertAccessible("person without signal in Spanish");
        new Select(browser.await(By.id("language"))).selectByValue("en");

        // the session form keeps the goals and the last choices
        browser.click(By.id("log-session"));
        browser.await(By.cssSelector("input[data-goal='" + rosa + "-goal']"));
        assertThat(browser.await(By.cssSelector("input[name=modality][value=video]")).isSelected()).isTrue();
        browser.awaitText(By.id("last-next-steps"), "Practise an interview on Thursday");
        browser.assertAccessible("session form without signal");

        String stored = (String) ((JavascriptExecutor) browser.driver()).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const req = indexedDB.open('alongside-vault');
                req.onsuccess = () => { const all = req.result.transaction('records').objectStore('records').getAll();
                  all.onsuccess = () => done(all.result.filter(r => r.kind === 'cache').length + '|'
                    + all.result.map(r => new TextDecoder().decode(r.data)).join('|')
                    + JSON.stringify(all.result.map(r => ({...r, data: null})))); };""");
        assertThat(Integer.parseInt(stored.substring(0, stored.indexOf('|')))).as("kept copies").isGreaterThanOrEqualTo(3);
        assertThat(stored).doesNotContain("Rosa", "Diaz", "Find a job", "Practise an interview");

        browser.click(By.cssSelector(".back"));
        browser.network(true);
        browser.awaitText(By.id("connection"), "Online");
    }

    @Test
    @Order(4)
    void aReturnedNoteIsEditedAsANewVersionAndGoesBackToTheSupervisorsQueue() {
        Procedure note = latestNote();
        String encounter = note.getEncounter().getReferenceElement().getIdPart();
        scene.send("POST", "/Provenance", """
                {"resourceType":"Provenance","recorded":"%s",
                 "target":[{"reference":"Encounter/%s/_history/1"},{"reference":"Procedure/%s/_history/1"}],
                 "activity":{"coding":[{"system":"http://alongside.health/fhir/CodeSystem/review-outcome","code":"returned"}]},
                 "reason":[{"text":"Say which job ads, and when on Thursday"}],
                 "agent":[{"type":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/provenance-participant-type","code":"author"}]},"who":{"reference":"PractitionerRole/%s"}},
                   {"type":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/provenance-participant-type","code":"performer"}]},"who":{"reference":"PractitionerRole/%s"}}]}"""
                .formatted(Instant.now().truncatedTo(ChronoUnit.SECONDS), encounter, note.getIdPart(), jordanRole, samRole));

        // back on My people, read again when the page is shown again
        browser.click(By.cssSelector(".back"));
        browser.await(By.cssSelector("[data-person='" + rosa + "']"));
        browser.js("document.dispatchEvent(new Event('visibilitychange'));");
        browser.await(By.cssSelector("[data-person='" + rosa + "'] [data-badge=returned]"));
        browser.await(By.cssSelector("[data-person='" + rosa + "']")).click();
        browser.click(By.cssSelector("[data-edit-note='" + encounter + "']"));
        browser.awaitText(By.id("return-comment"), "Say which job ads");
        assertThat(browser.await(By.id("next-steps")).getAttribute("value")).isEqualTo("Practise an interview on Thursday");
        browser.type(By.id("what"), "Looked at the warehouse and the library job ads together");
        browser.type(By.id("next-steps"), "Practise an interview on Thursday at 10, after group");
        browser.assertAccessible("edit a returned note");
        browser.assertLargeTargets("edit a returned note");
        browser.screens("peer-edit-note");
        new Select(browser.await(By.id("language"))).selectByValue("es");
        browser.awaitText(By.id("save-note"), "Reenviar");
        browser.assertAccessible("edit a returned note in Spanish");
        new Select(browser.await(By.id("language"))).selectByValue("en");
        browser.click(By.id("save-note"));
        browser.awaitText(By.cssSelector("[data-notice]"), "back with your supervisor");

        Procedure edited = latestNote();
        assertThat(edited.getIdPart()).isEqualTo(note.getIdPart());
        assertThat(edited.getMeta().getVersionId()).isEqualTo("2");
        assertThat(edited.getFollowUpFirstRep().getText()).isEqualTo("Practise an interview on Thursday at 10, after group");
        assertThat(edited.getNoteFirstRep().getText()).startsWith("Data: Looked at the warehouse and the library job ads together");
        browser.awaitText(By.cssSelector(".timeline"), "Thursday at 10, after group");
        assertThat(browser.driver().findElements(By.cssSelector(".timeline [data-returned]"))).isEmpty();

        try (Browser supervisor = Browser.phone()) {
            supervisor.signIn("supervisor", sam);
            supervisor.await(By.cssSelector("#queue [data-session='" + encounter + "']"));
            assertThat(supervisor.driver().findElements(By.cssSelector("#returned [data-session='" + encounter + "']"))).isEmpty();
        }
    }

    /** The newest session note about Rosa, read from the server. */
    private static Procedure latestNote() {
        List<Encounter> sessions = Scene.resources(scene.search("Encounter?subject=Patient/" + rosa + "&_sort=-date"), Encounter.class);
        Encounter latest = sessions.get(0);
        return Scene.resources(scene.search("Procedure?encounter=Encounter/" + latest.getIdPart()), Procedure.class).get(0);
    }
}
