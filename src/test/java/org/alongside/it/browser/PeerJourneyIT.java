package org.alongside.it.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
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
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The peer specialist on a phone: My people, one person, a session logged in well under a minute (also with
 * no network: kept encrypted on the device, sent once when the network is back), a group session,
 * encouragement, drafts that survive a reload, and the server's own words when it refuses something.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PeerJourneyIT {

    private static final Scene scene = new Scene();
    private static Browser browser;
    private static String maria;
    private static String lee;
    private static String jordanRole;
    private static String jordan;

    @BeforeAll
    static void setUp() {
        scene.organization();
        String chen = scene.practitioner("chen", "Dr. Chen");
        jordan = scene.practitioner("jordan", "Jordan Reyes");
        jordanRole = scene.peerRole(jordan, null);
        maria = scene.patient("maria", "Maria", "Lopez");
        scene.put("Patient", maria, """
                {"resourceType":"Patient","id":"%s","name":[{"family":"Lopez","given":["Maria"]}],
                 "telecom":[{"extension":[{"url":"http://alongside.health/fhir/StructureDefinition/contact-times",
                   "valueString":"weekday evenings after 6"}],"system":"phone","value":"+1 555 0142","use":"mobile"}],
                 "communication":[{"language":{"coding":[{"system":"urn:ietf:bcp:47","code":"es"}]},"preferred":true}]}"""
                .formatted(maria));
        lee = scene.patient("lee", "Lee", "Park");
        String mariaPlan = scene.plan(maria, "Get back to part-time work by summer", chen);
        scene.safetyPlan(maria);
        String leePlan = scene.plan(lee, "Sleep through the night", chen);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        scene.assign(mariaPlan, jordanRole, chen, today.minusDays(20));
        scene.assign(leePlan, jordanRole, chen, today.minusDays(12));
        Instant now = Instant.now();
        scene.session(maria, jordanRole, now.minus(3, ChronoUnit.DAYS), 40, "video", "Talked through weekend cravings");
        scene.encouragement(maria, jordanRole, now.minus(2, ChronoUnit.DAYS), "Proud of you for booking the visit");
        browser = Browser.phone();
        browser.signIn("peer-specialist", jordan);
    }

    @AfterAll
    static void tearDown() {
        if (browser != null) {
            List<String> console = browser.console();
            browser.close();
            assertThat(String.join("\n", console)).as("browser console").doesNotContain("Maria", "Lopez", "Lee", "Park",
                    "cravings", "Proud of you");
        }
    }

    private static WebElement personCard(String patientId) {
        return browser.await(By.cssSelector("[data-person='" + patientId + "']"));
    }

    @Test
    @Order(1)
    void myPeopleShowsLastContactAndOverdue() {
        WebElement mariaCard = personCard(maria);
        WebElement leeCard = personCard(lee);
        assertThat(mariaCard.getText()).contains("Maria Lopez", "Last contact 2 day(s) ago").doesNotContain("Overdue");
        assertThat(leeCard.getText()).contains("Lee Park", "No contact yet", "Overdue", "Next contact was due");
        browser.assertAccessible("my people");
        browser.assertLargeTargets("my people");
        browser.assertNoHorizontalScroll("my people");
        browser.screens("peer-my-people");
    }

    @Test
    @Order(2)
    void onePersonShowsGoalsAndRecentContactsInTimeOrder() {
        personCard(maria).click();
        browser.awaitText(By.id("page-title"), "Maria Lopez");
        browser.awaitText(By.id("goals-title"), "Plan goals");
        assertThat(browser.text(By.cssSelector(".goals"))).contains("Get back to part-time work by summer");
        browser.await(By.cssSelector(".timeline .message-item"));
        List<WebElement> items = browser.driver().findElements(By.cssSelector(".timeline > li"));
        assertThat(items).hasSize(2);
        assertThat(items.get(0).getText()).contains("Proud of you for booking the visit");
        assertThat(items.get(1).getText()).contains("Talked through weekend cravings", "Video", "40 min", "3 unit(s)");
        assertThat(browser.url()).doesNotContain(maria).doesNotContain("Maria");
        // one tap to call or text, when they like to be called, the language they prefer
        assertThat(browser.text(By.id("reach"))).contains("Mobile: +1 555 0142", "Best time: weekday evenings after 6",
                "Prefers Spanish");
        browser.await(By.cssSelector("#reach a[href='tel:+15550142']"));
        browser.await(By.cssSelector("#reach a[href='sms:+15550142']"));
        browser.assertAccessible("person");
        browser.screens("peer-person");
    }

    @Test
    @Order(3)
    void logsASessionWithPrefilledModalityAndUnitsShownBeforeSaving() {
        browser.click(By.id("log-session"));
        browser.await(By.id("session-minutes"));
        // prefilled from the last session: a 40 minute video session
        assertThat(browser.await(By.cssSelector("input[name=modality][value=video]")).isSelected()).isTrue();
        assertThat(browser.await(By.id("session-minutes")).getAttribute("value")).isEqualTo("40");
        browser.awaitText(By.id("units"), "3 unit(s)");
        browser.type(By.id("session-minutes"), "30");
        browser.awaitText(By.id("units"), "2 unit(s)");
        browser.click(By.cssSelector("[data-focus=goal-setting]"));
        browser.click(By.cssSelector("[data-focus=belonging]"));
        assertThat(browser.await(By.cssSelector("[data-focus=belonging]")).getAttribute("aria-pressed")).isEqualTo("true");
        // chips work from the keyboard: Space toggles the focused one
        WebElement crisis = browser.await(By.cssSelector("[data-focus=crisis-support]"));
        crisis.sendKeys(org.openqa.selenium.Keys.SPACE);
        browser.waiting().until(d -> "true".equals(crisis.getAttribute("aria-pressed")));
        crisis.sendKeys(org.openqa.selenium.Keys.SPACE);
        browser.waiting().until(d -> "false".equals(crisis.getAttribute("aria-pressed")));
        browser.click(By.cssSelector("input[data-goal='" + maria + "-goal']"));
        browser.type(By.id("what"), "Planned the job-centre visit together");
        browser.type(By.id("response"), "Looked forward to it");
        browser.type(By.id("next-steps"), "Text on Friday");
        browser.assertAccessible("log a session");
        browser.assertLargeTargets("log a session");
        browser.screens("peer-log-session");
        assertThat(browser.text(By.id("save-session"))).contains("2 unit(s)");
        browser.click(By.id("save-session"));
        browser.awaitText(By.cssSelector("[data-notice]"), "Session saved: 2 unit(s)");

        List<Encounter> sessions = Scene.resources(scene.search("Encounter?subject=Patient/" + maria + "&_sort=-date"), Encounter.class);
        assertThat(sessions).hasSize(2);
        Encounter logged = sessions.stream().filter(e -> e.getIdentifierFirstRep().hasValue()).findFirst().orElseThrow();
        assertThat(logged.getExtensionByUrl("http://alongside.health/fhir/StructureDefinition/billing-units").getValue().primitiveValue()).isEqualTo("2");
        assertThat(logged.getExtensionsByUrl("http://hl7.org/fhir/StructureDefinition/resource-pertainsToGoal")).hasSize(1);
        List<Procedure> notes = Scene.resources(scene.search("Procedure?encounter=Encounter/" + logged.getIdPart()), Procedure.class);
        assertThat(notes).hasSize(1);
        assertThat(notes.get(0).getNoteFirstRep().getText()).isEqualTo("Planned the job-centre visit together");
        assertThat(notes.get(0).getReasonCode()).hasSize(2);
        // and it is on the person's page
        browser.awaitText(By.cssSelector(".timeline"), "Planned the job-centre visit together");
    }

    @Test
    @Order(4)
    void aDraftSurvivesAReloadAndIsEncryptedOnTheDevice() {
        browser.click(By.id("send-encouragement"));
        browser.type(By.id("message-text"), "Half-written words of support");
        // the draft is written 250 ms after typing stops: wait until the device holds it
        browser.waiting().until(d -> Boolean.TRUE.equals(((org.openqa.selenium.JavascriptExecutor) d).executeAsyncScript("""
                    const done = arguments[arguments.length - 1];
                    const req = indexedDB.open('alongside-vault');
                    req.onsuccess = () => { const all = req.result.transaction('records').objectStore('records').getAll();
                      all.onsuccess = () => done(all.result.some(r => r.kind === 'draft')); };
                    req.onerror = () => done(false);""")));
        Object plainTextStored = browser.driver().executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const req = indexedDB.open('alongside-vault');
                req.onsuccess = () => { const all = req.result.transaction('records').objectStore('records').getAll();
                  all.onsuccess = () => done(all.result.map(r => new TextDecoder().decode(r.data)).join('|') + JSON.stringify(all.result.map(r => ({...r, data: null}))));
                };""");
        assertThat((String) plainTextStored).doesNotContain("Half-written", "support", "Maria");
        Object keyExtractable = browser.driver().executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const req = indexedDB.open('alongside-vault');
                req.onsuccess = () => { const k = req.result.transaction('keys').objectStore('keys').getAll();
                  k.onsuccess = () => done(k.result.map(x => x.extractable + ':' + x.algorithm.name).join(',')); };""");
        assertThat(keyExtractable).isEqualTo("false:AES-GCM");

        browser.driver().navigate().refresh();
        browser.await(By.id("draft-restored"));
        assertThat(browser.await(By.id("message-text")).getAttribute("value")).isEqualTo("Half-written words of support");
    }

    @Test
    @Order(5)
    void encouragementWithAQuickStarterIsRecordedOnce() {
        browser.click(By.cssSelector("[data-focus=celebrating-progress]"));
        browser.click(By.cssSelector("[data-starter='0']"));
        String starter = browser.await(By.id("message-text")).getAttribute("value");
        assertThat(starter).startsWith("Proud of you for this step");
        browser.assertAccessible("encouragement");
        browser.screens("peer-encouragement");
        int before = scene.count("Communication?subject=Patient/" + maria);
        browser.click(By.id("save-message"));
        browser.awaitText(By.cssSelector("[data-notice]"), "Message recorded");
        // recorded, and the phone's own Messages app is one tap away with the text filled in
        assertThat(browser.await(By.id("notice-link")).getAttribute("href"))
                .startsWith("sms:+15550142?body=Proud%20of%20you%20for%20this%20step");
        assertThat(scene.count("Communication?subject=Patient/" + maria)).isEqualTo(before + 1);
        List<org.hl7.fhir.r4.model.Communication> recorded = Scene.resources(scene.search("Communication?subject=Patient/"
                + maria + "&focus-area=celebrating-progress"), org.hl7.fhir.r4.model.Communication.class);
        assertThat(recorded).hasSize(1);
        assertThat(recorded.get(0).getIdentifierFirstRep().getSystem()).isEqualTo("http://alongside.health/fhir/message-key");
        assertThat(recorded.get(0).getSender().getReference()).isEqualTo("PractitionerRole/" + jordanRole);
        browser.awaitText(By.cssSelector(".timeline"), "Proud of you for this step");
    }

    @Test
    @Order(6)
    void offlineSessionIsKeptPendingAndSentExactlyOnceWhenTheNetworkReturns() {
        int before = scene.count("Encounter?subject=Patient/" + maria);
        browser.click(By.id("log-session"));
        browser.await(By.id("session-minutes"));
        browser.network(false);
        browser.awaitText(By.id("connection"), "Offline");
        browser.click(By.cssSelector("[data-focus=cravings]"));
        browser.type(By.id("what"), "Offline: walked and talked by the river");
        browser.type(By.id("response"), "Said the air helped");
        browser.type(By.id("next-steps"), "Meet at the group on Tuesday");
        browser.click(By.id("save-session"));
        browser.awaitText(By.cssSelector("[data-notice]"), "Saved on this device");
        browser.await(By.cssSelector("[data-pending=session]"));
        browser.screens("peer-offline-pending");
        assertThat(scene.count("Encounter?subject=Patient/" + maria)).isEqualTo(before);

        browser.network(true);
        browser.waiting(Duration.ofSeconds(45)).until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("[data-pending=session]")));
        assertThat(scene.count("Encounter?subject=Patient/" + maria)).isEqualTo(before + 1);
        // more "network is back" signals send nothing again
        browser.js("window.dispatchEvent(new Event('offline')); window.dispatchEvent(new Event('online'));");
        browser.js("window.dispatchEvent(new Event('offline')); window.dispatchEvent(new Event('online'));");
        browser.awaitText(By.id("connection"), "Online");
        browser.awaitText(By.cssSelector(".timeline"), "Offline: walked and talked by the river");
        assertThat(scene.count("Encounter?subject=Patient/" + maria)).isEqualTo(before + 1);
    }

    @Test
    @Order(7)
    void aRefusalShowsTheServersWordsAndKeepsTheForm() {
        browser.click(By.id("log-session"));
        browser.await(By.id("session-minutes"));
        // before the assignment started: the server refuses with an OperationOutcome
        setSessionDate(LocalDate.now(ZoneOffset.UTC).minusDays(60));
        browser.click(By.cssSelector("[data-focus=relationships]"));
        browser.type(By.id("what"), "Too early");
        browser.type(By.id("response"), "n/a");
        browser.type(By.id("next-steps"), "n/a");
        browser.click(By.id("save-session"));
        String error = browser.text(By.id("form-error"));
        // plain words about what to do, not the server's diagnostics (ids, rule names)
        assertThat(error).isEqualTo("This person was not assigned to you on that date. Check the date of the session.");
        assertThat(browser.await(By.id("what")).getAttribute("value")).isEqualTo("Too early");
        assertThat(browser.driver().findElements(By.cssSelector("[data-pending]"))).isEmpty();
    }

    @Test
    @Order(8)
    void groupSessionRecordsOneEncounterPerPerson() {
        browser.click(By.cssSelector(".back"));
        browser.await(By.id("log-session"));
        browser.click(By.cssSelector(".back"));
        personCard(lee).click();
        browser.click(By.id("log-session"));
        browser.await(By.cssSelector("details.group summary")).click();
        browser.click(By.cssSelector("input[data-other='" + maria + "']"));
        browser.click(By.cssSelector("[data-focus=belonging]"));
        browser.type(By.id("what"), "Group walk");
        browser.type(By.id("response"), "Both joined in");
        browser.type(By.id("next-steps"), "Same time next week");
        browser.click(By.id("save-session"));
        browser.awaitText(By.cssSelector("[data-notice]"), "Session saved");
        List<Encounter> group = Scene.resources(scene.search("Encounter?subject=Patient/" + lee + ",Patient/" + maria
                + "&type=http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets|HQ"), Encounter.class);
        assertThat(group).hasSize(2);
        // Lee is no longer overdue; the notice about the save was for the page it led to, not for this one
        browser.click(By.cssSelector(".back"));
        assertThat(personCard(lee).getText()).contains("Last contact today").doesNotContain("Overdue");
        assertThat(browser.driver().findElements(By.cssSelector("[data-notice]"))).isEmpty();
    }

    /** Sets the session form's date as a user picking it would (the date input has no keyboard-typed format). */
    private static void setSessionDate(LocalDate date) {
        browser.await(By.id("session-date"));
        browser.js("const el = document.getElementById('session-date'); const set = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;"
                + " set.call(el, arguments[0]); el.dispatchEvent(new Event('input', { bubbles: true }));", date.toString());
    }

    /** Opens Maria's session form and fills in a valid session (today: the refused draft of test 7 is dated earlier). */
    private static void fillSessionForMaria(String what) {
        personCard(maria).click();
        browser.click(By.id("log-session"));
        setSessionDate(LocalDate.now(ZoneOffset.UTC));
        browser.click(By.cssSelector("[data-focus=cravings]"));
        browser.type(By.id("what"), what);
        browser.type(By.id("response"), "Fine");
        browser.type(By.id("next-steps"), "Call next week");
    }

    /** The connection drops and comes back: the app sends what waits at once (it also retries every 15 s). */
    private static void connectionComesBack() {
        browser.network(false);
        browser.awaitText(By.id("connection"), "Offline");
        browser.network(true);
        browser.awaitText(By.id("connection"), "Online");
    }

    @Test
    @Order(9)
    void aServerErrorKeepsTheSessionQueuedInPlainWordsAndItIsSentLater() {
        int before = scene.count("Encounter?subject=Patient/" + maria);
        fillSessionForMaria("Saved while the server had trouble");
        browser.answerRequests("$record-peer-session", 500, "HAPI-0389: java.lang.NullPointerException");
        browser.click(By.id("save-session"));
        browser.awaitText(By.cssSelector("[data-notice]"), "the server had a problem. It will be sent again by itself.");
        browser.await(By.cssSelector("[data-pending=session]"));
        assertThat(browser.driver().getPageSource()).doesNotContain("HAPI-0389", "NullPointerException");
        assertThat(scene.count("Encounter?subject=Patient/" + maria)).isEqualTo(before);

        browser.stopAnswering();
        connectionComesBack();
        browser.waiting(Duration.ofSeconds(90)).until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("[data-pending=session]")));
        assertThat(scene.count("Encounter?subject=Patient/" + maria)).isEqualTo(before + 1);
    }

    @Test
    @Order(10)
    void anExpiredSignInOffersToSignInAgainAndTheQueuedSessionIsSentAfterwards() {
        int before = scene.count("Encounter?subject=Patient/" + maria);
        browser.click(By.cssSelector(".back"));
        fillSessionForMaria("Saved after the sign-in expired");
        browser.answerRequests("/fhir/", 401, "Access token expired");
        browser.click(By.id("save-session"));
        browser.awaitText(By.cssSelector("[data-notice]"), "Sign in again and it will be sent.");
        browser.await(By.cssSelector("[data-pending=session]"));
        assertThat(browser.text(By.id("session-expired"))).contains("Your sign-in has expired");
        browser.assertAccessible("sign-in expired");
        assertThat(scene.count("Encounter?subject=Patient/" + maria)).isEqualTo(before);

        // signing in again loads the page anew, and the server answers for itself again
        browser.click(By.id("sign-in-again"));
        browser.signInOnPage("peer-specialist", jordan);
        browser.awaitText(By.id("page-title"), "My people");
        browser.waiting(Duration.ofSeconds(90)).until(d -> scene.count("Encounter?subject=Patient/" + maria) == before + 1);
        browser.waiting().until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("[data-pending=session]")));
        assertThat(browser.driver().findElements(By.id("session-expired"))).isEmpty();
    }

    @Test
    @Order(12)
    void aMissedCallIsLoggedWithoutASessionNoteAndCountsAsContact() {
        int before = scene.count("Communication?subject=Patient/" + maria + "&category=http://alongside.health/fhir/CodeSystem/message-category|check-in");
        browser.click(By.cssSelector("[data-contact=missed]"));
        browser.awaitText(By.cssSelector("[data-notice]"), "Contact logged.");
        List<org.hl7.fhir.r4.model.Communication> logged = Scene.resources(scene.search("Communication?subject=Patient/" + maria
                + "&category=http://alongside.health/fhir/CodeSystem/message-category|check-in&status=not-done"),
                org.hl7.fhir.r4.model.Communication.class);
        assertThat(logged).hasSize(1);
        assertThat(logged.get(0).getMediumFirstRep().getCodingFirstRep().getCode()).isEqualTo("PHONE");
        assertThat(scene.count("Communication?subject=Patient/" + maria + "&category=http://alongside.health/fhir/CodeSystem/message-category|check-in"))
                .isEqualTo(before + 1);
        browser.awaitText(By.cssSelector(".timeline"), "Not reached");
        browser.assertAccessible("person after logging a contact");
        browser.click(By.cssSelector(".back"));
        assertThat(personCard(maria).getText()).contains("Last contact today");
    }

    @Test
    @Order(11)
    void imWorriedTellsTheCareTeamWithCrisisLinesAtHandAndShowsWhenTheyAcknowledge() {
        personCard(maria).click();
        assertThat(browser.text(By.id("crisis-lines"))).contains("988", "Riverside after-hours line");
        assertThat(browser.await(By.cssSelector("#crisis-lines a[href='tel:+15550100']")).isDisplayed()).isTrue();
        assertThat(browser.text(By.id("safety-plan"))).contains("Warning signs", "Not sleeping, skipping group");
        browser.click(By.id("worried"));
        browser.type(By.id("worry-what"), "Gave away her guitar and said goodbye");
        browser.click(By.cssSelector("label.radio-chip:has(input[name=urgency][value=asap])"));
        browser.assertAccessible("I'm worried");
        browser.assertLargeTargets("I'm worried");
        browser.screens("peer-worried");
        new org.openqa.selenium.support.ui.Select(browser.await(By.id("language"))).selectByValue("es");
        browser.awaitText(By.id("send-worry"), "Avisar al equipo de cuidado");
        browser.assertAccessible("I'm worried, in Spanish");
        new org.openqa.selenium.support.ui.Select(browser.await(By.id("language"))).selectByValue("en");
        browser.click(By.id("send-worry"));
        browser.awaitText(By.cssSelector("[data-notice]"), "The care team has been told");
        browser.awaitText(By.cssSelector("[data-worry][data-open=true]"), "Waiting for the care team");

        org.hl7.fhir.r4.model.Task task = Scene.resources(scene.search("Task?patient=Patient/" + maria
                + "&code=http://alongside.health/fhir/CodeSystem/crisis-support|peer-worried"), org.hl7.fhir.r4.model.Task.class).get(0);
        assertThat(task.getPriority()).isEqualTo(org.hl7.fhir.r4.model.Task.TaskPriority.ASAP);
        assertThat(task.getRequester().getReference()).isEqualTo("PractitionerRole/" + jordanRole);
        // the clinic acknowledges (the clinician's page does this in ClinicianJourneyIT)
        task.setStatus(org.hl7.fhir.r4.model.Task.TaskStatus.ACCEPTED);
        scene.put("Task", task.getIdElement().getIdPart(), Scene.FHIR.newJsonParser().encodeResourceToString(task));
        browser.click(By.cssSelector(".back"));
        personCard(maria).click();
        browser.awaitText(By.cssSelector("[data-worry][data-open=false]"), "Acknowledged by the care team");
        browser.assertAccessible("person with an acknowledged worry");
    }

    @Test
    @Order(13)
    void aGoalIsUpdatedFromThePhoneWithADatedNoteInPlainWordsAndOfflineExactlyOnce() {
        String goal = maria + "-goal";
        personCard(maria).click();
        By badge = By.cssSelector("[data-goal='" + goal + "'] .badge");
        browser.awaitText(badge, "No status yet");
        browser.click(By.cssSelector("[data-update-goal='" + goal + "']"));
        new org.openqa.selenium.support.ui.Select(browser.await(By.name("goal-status"))).selectByValue("improving");
        browser.type(By.name("goal-note"), "Walked to the job center twice");
        browser.assertAccessible("goal update");
        browser.assertLargeTargets("goal update");
        browser.click(By.cssSelector(".goal-update button[type=submit]"));
        browser.awaitText(By.cssSelector("[data-notice]"), "Goal updated.");
        browser.awaitText(badge, "Improving");
        browser.awaitText(By.cssSelector("[data-goal='" + goal + "']"), "Walked to the job center twice");

        org.hl7.fhir.r4.model.Goal stored = storedGoal(goal);
        assertThat(stored.getAchievementStatus().getCodingFirstRep().getCode()).isEqualTo("improving");
        assertThat(stored.getNote()).hasSize(1);
        assertThat(stored.getNoteFirstRep().getText()).isEqualTo("Walked to the job center twice");
        assertThat(stored.getNoteFirstRep().hasTime()).isTrue();
        assertThat(stored.getNoteFirstRep().getAuthorReference().getReference()).isEqualTo("Practitioner/" + jordan);

        // the status in the person's own words, in Spanish too (never the raw code)
        new org.openqa.selenium.support.ui.Select(browser.await(By.id("language"))).selectByValue("es");
        browser.awaitText(badge, "Mejorando");
        browser.assertAccessible("goals in Spanish");
        new org.openqa.selenium.support.ui.Select(browser.await(By.id("language"))).selectByValue("en");

        // a victory recorded without signal waits on the device and reaches the goal once
        browser.network(false);
        browser.awaitText(By.id("connection"), "Offline");
        browser.click(By.cssSelector("[data-update-goal='" + goal + "']"));
        new org.openqa.selenium.support.ui.Select(browser.await(By.name("goal-status"))).selectByValue("achieved");
        browser.type(By.name("goal-note"), "Started part-time on Monday");
        browser.click(By.cssSelector(".goal-update button[type=submit]"));
        browser.awaitText(By.cssSelector("[data-notice]"), "Saved on this device");
        browser.await(By.cssSelector("[data-pending=goal]"));
        assertThat(storedGoal(goal).getNote()).hasSize(1);
        browser.network(true);
        browser.waiting(Duration.ofSeconds(45)).until(ExpectedConditions.invisibilityOfElementLocated(
                By.cssSelector("[data-pending=goal]")));
        browser.js("window.dispatchEvent(new Event('offline')); window.dispatchEvent(new Event('online'));");
        browser.awaitText(By.id("connection"), "Online");
        stored = storedGoal(goal);
        assertThat(stored.getAchievementStatus().getCodingFirstRep().getCode()).isEqualTo("achieved");
        assertThat(stored.getNote()).extracting(org.hl7.fhir.r4.model.Annotation::getText)
                .containsExactly("Walked to the job center twice", "Started part-time on Monday");
        browser.click(By.cssSelector(".back"));
    }

    private static org.hl7.fhir.r4.model.Goal storedGoal(String id) {
        return Scene.resources(scene.search("Goal?_id=" + id), org.hl7.fhir.r4.model.Goal.class).get(0);
    }
}
