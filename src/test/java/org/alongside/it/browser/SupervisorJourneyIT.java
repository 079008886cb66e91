package org.alongside.it.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.alongside.it.FhirServer;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Provenance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

/**
 * The supervisor's queue of unsigned notes from the peers they supervise, as a work list: oldest first with how long
 * each has waited, filtered by peer, co-signed one at a time or several at once (a refusal shown on its note), or
 * returned with a comment; the month's units per peer; and supervision itself: a supervision session recorded with a
 * peer, whose hours show on the page. Signed in through the server's development authorization server, so the role
 * rules apply to every request.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SupervisorJourneyIT {

    private static final Scene scene = new Scene();
    private static Browser browser;
    private static String jordan;
    private static String maria;
    private static String lee;
    private static String alex;
    private static String noor;
    private static String kai;
    private static Instant now;

    @BeforeAll
    static void setUp() {
        scene.organization();
        String chen = scene.practitioner("chen", "Dr. Chen");
        String sam = scene.practitioner("sam", "Sam Okafor");
        String samRole = scene.peerRole(sam, null);
        jordan = scene.practitioner("jordan", "Jordan Reyes");
        String jordanRole = scene.peerRole(jordan, samRole);
        alex = scene.practitioner("alex", "Alex Kim");
        String alexRole = scene.peerRole(alex, samRole);
        String unsupervised = scene.peerRole(scene.practitioner("robin", "Robin Unsupervised"), null);
        maria = scene.patient("maria", "Maria", "Lopez");
        lee = scene.patient("lee", "Lee", "Park");
        noor = scene.patient("noor", "Noor", "Haddad");
        kai = scene.patient("kai", "Kai", "Brennan");
        LocalDate start = LocalDate.now(ZoneOffset.UTC).minusDays(10);
        String mariaPlan = scene.plan(maria, "Part-time work", chen);
        scene.assign(mariaPlan, jordanRole, chen, start);
        scene.assign(scene.plan(lee, "Sleep better", chen), jordanRole, chen, start);
        scene.assign(scene.plan(noor, "Reconnect with family", chen), alexRole, chen, start);
        scene.assign(scene.plan(kai, "Stable housing", chen), alexRole, chen, start);
        scene.assign(mariaPlan, unsupervised, chen, start);
        now = Instant.now();
        scene.session(maria, jordanRole, now.minus(2, ChronoUnit.DAYS), 30, "phone", "Talked about the interview");
        scene.session(lee, jordanRole, now.minus(1, ChronoUnit.DAYS), 50, "in-person", "Evening routine plan");
        scene.session(noor, alexRole, now.minus(5, ChronoUnit.DAYS), 45, "in-person", "First meeting");
        scene.session(kai, alexRole, now.minus(4, ChronoUnit.DAYS), 20, "phone", "Checked in about housing");
        scene.session(maria, unsupervised, now.minus(3, ChronoUnit.DAYS), 20, "video", "Not Sam's to sign");
        browser = Browser.phone();
        browser.signIn("supervisor", sam);
    }

    @AfterAll
    static void tearDown() {
        if (browser != null) {
            browser.close();
        }
    }

    private static String sessionOf(String patient) {
        List<Encounter> found = Scene.resources(scene.search("Encounter?subject=Patient/" + patient + "&type="
                + "http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets|H0038&participant=PractitionerRole/" + jordan
                + "-role,PractitionerRole/" + alex + "-role"), Encounter.class);
        assertThat(found).hasSize(1);
        return found.get(0).getIdPart();
    }

    /** The H0038 units of sessions started this month (the browser's month), from the sessions set up above. */
    private static int unitsThisMonth(int... unitsAndDaysAgo) {
        YearMonth month = YearMonth.now(ZoneId.systemDefault());
        int total = 0;
        for (int i = 0; i < unitsAndDaysAgo.length; i += 2) {
            if (YearMonth.from(now.minus(unitsAndDaysAgo[i + 1], ChronoUnit.DAYS).atZone(ZoneId.systemDefault())).equals(month)) {
                total += unitsAndDaysAgo[i];
            }
        }
        return total;
    }

    /** Calendar days (the browser's zone) since a session that started daysAgo days ago and lasted minutes ended. */
    private static long waitedDays(int daysAgo, int minutes) {
        ZoneId zone = ZoneId.systemDefault();
        LocalDate ended = now.minus(daysAgo, ChronoUnit.DAYS).plus(minutes, ChronoUnit.MINUTES).atZone(zone).toLocalDate();
        return Math.max(0, ChronoUnit.DAYS.between(ended, LocalDate.now(zone)));
    }

    /** The app's words for that wait, in English. */
    private static String waited(int daysAgo, int minutes) {
        long days = waitedDays(daysAgo, minutes);
        return days == 0 ? "Waiting since today" : days == 1 ? "Waiting 1 day" : "Waiting " + days + " days";
    }

    private static List<String> queueOrder() {
        return browser.driver().findElements(By.cssSelector("#queue [data-session]")).stream()
                .map(e -> e.getAttribute("data-session")).toList();
    }

    @Test
    @Order(1)
    void queueListsOnlyUnsignedNotesOfSupervisedPeersOldestFirstWithTheTimeEachWaited() {
        browser.await(By.cssSelector("#queue [data-session='" + sessionOf(maria) + "']"));
        browser.await(By.cssSelector("#queue [data-session='" + sessionOf(lee) + "']"));
        assertThat(queueOrder()).containsExactly(sessionOf(noor), sessionOf(kai), sessionOf(maria), sessionOf(lee));
        assertThat(browser.text(By.id("queue"))).doesNotContain("Robin");
        // waiting since the session ended, in calendar days (Noor's ended 5 days ago less 45 minutes, Lee's yesterday)
        assertThat(browser.text(By.cssSelector("#queue [data-session='" + sessionOf(noor) + "']"))).contains(waited(5, 45));
        assertThat(browser.text(By.cssSelector("#queue [data-session='" + sessionOf(lee) + "']"))).contains(waited(1, 50));
        // units this month per peer: the server's H0038 units (30 min → 2, 50 → 3, 45 → 3, 20 → 1)
        browser.awaitText(By.cssSelector("#peer-month [data-peer='PractitionerRole/" + jordan + "-role'] [data-units]"),
                String.valueOf(unitsThisMonth(2, 2, 3, 1)));
        assertThat(browser.text(By.cssSelector("#peer-month [data-peer='PractitionerRole/" + alex + "-role'] [data-units]")))
                .isEqualTo(String.valueOf(unitsThisMonth(3, 5, 1, 4)));
        browser.assertAccessible("supervisor queue");
        browser.assertLargeTargets("supervisor queue");
        browser.assertNoHorizontalScroll("supervisor queue");
        browser.screens("supervisor-queue");
        new Select(browser.await(By.id("language"))).selectByValue("es");
        long noorDays = waitedDays(5, 45);
        browser.awaitText(By.cssSelector("#queue [data-session='" + sessionOf(noor) + "']"), noorDays == 1
                ? "Espera desde hace 1 día" : noorDays == 0 ? "Espera desde hoy" : "Espera desde hace " + noorDays + " días");
        browser.assertAccessible("supervisor queue in Spanish");
        new Select(browser.await(By.id("language"))).selectByValue("en");
        browser.awaitText(By.id("page-title"), "Notes to co-sign");
    }

    @Test
    @Order(2)
    void theQueueFiltersByPeer() {
        new Select(browser.await(By.id("peer-filter"))).selectByValue("PractitionerRole/" + alex + "-role");
        browser.waiting().until(d -> queueOrder().size() == 2);
        assertThat(queueOrder()).containsExactly(sessionOf(noor), sessionOf(kai));
        assertThat(browser.text(By.id("queue"))).doesNotContain("Jordan Reyes");
        new Select(browser.await(By.id("peer-filter"))).selectByValue("");
        browser.waiting().until(d -> queueOrder().size() == 4);
    }

    @Test
    @Order(3)
    void severalNotesAreCoSignedAtOnceAndARefusalIsShownOnItsNote() {
        String first = sessionOf(noor);
        String second = sessionOf(kai);
        new Select(browser.await(By.id("peer-filter"))).selectByValue("PractitionerRole/" + alex + "-role");
        browser.waiting().until(d -> queueOrder().size() == 2);
        browser.click(By.cssSelector("[data-select='" + first + "']"));
        browser.click(By.cssSelector("[data-select='" + second + "']"));
        browser.awaitText(By.id("cosign-selected"), "Co-sign selected (2)");
        browser.assertAccessible("two notes selected");
        browser.screens("supervisor-select-several");
        // meanwhile Kai's peer support team is closed in the EHR, so Sam no longer reaches Kai: that co-signature is
        // refused, the first one still goes
        for (CareTeam team : Scene.resources(scene.search("CareTeam?subject=Patient/" + kai + "&status=active"), CareTeam.class)) {
            FhirServer.client().update().resource(team.setStatus(CareTeam.CareTeamStatus.INACTIVE)).execute();
        }
        browser.click(By.id("cosign-selected"));
        browser.awaitText(By.cssSelector("[data-notice]"), "1 co-signed, 1 not");
        assertThat(browser.text(By.cssSelector("#bulk-results [data-result=ok]"))).contains("Noor Haddad", "Co-signed");
        assertThat(browser.text(By.cssSelector("#bulk-results [data-result=error]"))).contains("Kai Brennan", "cannot");
        browser.assertAccessible("co-signing results");
        List<Provenance> signatures = Scene.resources(scene.search("Provenance?target=Encounter/" + first), Provenance.class);
        assertThat(signatures).singleElement().satisfies(p -> {
            assertThat(p.getTargetFirstRep().getReference()).isEqualTo("Encounter/" + first + "/_history/1");
            assertThat(p.getAgent()).anyMatch(a -> a.getType().getCodingFirstRep().getCode().equals("verifier"));
        });
        assertThat(scene.count("Provenance?target=Encounter/" + second)).isZero();
        browser.waiting().until(d -> queueOrder().isEmpty());
        new Select(browser.await(By.id("peer-filter"))).selectByValue("");
        browser.waiting().until(d -> queueOrder().size() == 2);
    }

    @Test
    @Order(4)
    void coSignWritesAProvenanceForTheSignedVersion() {
        String encounter = sessionOf(maria);
        browser.click(By.cssSelector("#queue [data-session='" + encounter + "']"));
        browser.awaitText(By.id("session-details"), "Talked about the interview");
        assertThat(browser.text(By.id("session-details"))).contains("Jordan Reyes", "Phone", "2");
        browser.assertAccessible("review");
        browser.screens("supervisor-review");
        browser.click(By.id("cosign"));
        browser.awaitText(By.cssSelector("[data-notice]"), "Co-signed");
        List<Provenance> signatures = Scene.resources(scene.search("Provenance?target=Encounter/" + encounter), Provenance.class);
        assertThat(signatures).hasSize(1);
        assertThat(signatures.get(0).getTargetFirstRep().getReference()).isEqualTo("Encounter/" + encounter + "/_history/1");
        assertThat(signatures.get(0).getAgent()).hasSize(2);
        assertThat(signatures.get(0).getSignatureFirstRep().getWho().getReference()).endsWith("sam-" + scene.run + "-role");
        assertThat(browser.driver().findElements(By.cssSelector("#queue [data-session='" + encounter + "']"))).isEmpty();
    }

    @Test
    @Order(5)
    void returnWithACommentLeavesAReturnForThePeer() {
        String encounter = sessionOf(lee);
        browser.click(By.cssSelector("#queue [data-session='" + encounter + "']"));
        browser.click(By.id("return"));
        browser.awaitText(By.cssSelector("[role=alert]"), "Write a comment");
        browser.type(By.id("return-comment"), "Please add what the person said about sleep.");
        browser.click(By.id("return"));
        browser.awaitText(By.cssSelector("[data-notice]"), "Returned to the peer");
        browser.await(By.cssSelector("#returned [data-session='" + encounter + "']"));
        browser.await(By.id("queue-empty"));
        List<Provenance> returns = Scene.resources(scene.search("Provenance?target=Encounter/" + encounter), Provenance.class);
        assertThat(returns).singleElement().satisfies(p -> {
            assertThat(p.getReasonFirstRep().getText()).isEqualTo("Please add what the person said about sleep.");
            assertThat(p.getActivity().getCodingFirstRep().getCode()).isEqualTo("returned");
            assertThat(p.getAgent()).noneMatch(a -> a.getType().getCodingFirstRep().getCode().equals("verifier"));
            assertThat(p.getTargetFirstRep().getReference()).isEqualTo("Encounter/" + encounter + "/_history/1");
        });
    }

    @Test
    @Order(6)
    void thePeerSeesTheReturnedNoteWithTheComment() {
        try (Browser peer = Browser.phone()) {
            peer.signIn("peer-specialist", jordan);
            peer.click(By.cssSelector("[data-person='" + lee + "']"));
            peer.awaitText(By.cssSelector("[data-returned=true]"), "Please add what the person said about sleep.");
        }
    }

    @Test
    @Order(7)
    void aSupervisionSessionIsRecordedAndItsHoursShow() {
        browser.click(By.id("record-supervision"));
        browser.await(By.id("supervision-peer"));
        new Select(browser.await(By.id("supervision-peer"))).selectByValue("PractitionerRole/" + jordan + "-role");
        browser.type(By.id("supervision-minutes"), "50");
        browser.click(By.id("save-supervision"));
        browser.awaitText(By.cssSelector("[role=alert]"), "Choose at least one topic");
        browser.click(By.cssSelector("[data-topic=caseload-review]"));
        browser.click(By.cssSelector("[data-topic=peer-wellbeing]"));
        browser.type(By.id("supervision-note"), "A hard week; plans a day off after Friday's group.");
        browser.assertAccessible("supervision session");
        browser.assertLargeTargets("supervision session");
        browser.screens("supervisor-supervision");
        new Select(browser.await(By.id("language"))).selectByValue("es");
        browser.awaitText(By.id("save-supervision"), "Guardar la sesión de supervisión");
        assertThat(browser.text(By.cssSelector("main"))).contains("El bienestar propio del par");
        browser.assertAccessible("supervision session in Spanish");
        new Select(browser.await(By.id("language"))).selectByValue("en");
        browser.click(By.id("save-supervision"));
        browser.awaitText(By.cssSelector("[data-notice]"), "Supervision session recorded");
        browser.awaitText(By.cssSelector("#peer-month [data-peer='PractitionerRole/" + jordan + "-role'] [data-hours]"),
                "0.8 h (50 min)");
        assertThat(browser.text(By.cssSelector("#peer-month [data-peer='PractitionerRole/" + alex + "-role'] [data-hours]")))
                .isEqualTo("0 h (0 min)");
        browser.screens("supervisor-hours");
        List<Encounter> recorded = Scene.resources(scene.search("Encounter?type=http://alongside.health/fhir/CodeSystem/"
                + "supervision|supervision-session&participant=PractitionerRole/" + jordan + "-role"), Encounter.class);
        assertThat(recorded).singleElement().satisfies(e -> {
            assertThat(e.hasSubject()).isFalse();
            assertThat(e.getLength().getValue().intValue()).isEqualTo(50);
            assertThat(e.getReasonCode()).extracting(c -> c.getCodingFirstRep().getCode())
                    .containsExactlyInAnyOrder("caseload-review", "peer-wellbeing");
            assertThat(e.getParticipant()).extracting(p -> p.getIndividual().getReference())
                    .contains("PractitionerRole/" + jordan + "-role");
        });
    }

    @Test
    @Order(8)
    void thePeerCanReadTheirSupervisionButAnotherPeerCannot() {
        String id = Scene.resources(scene.search("Encounter?type=http://alongside.health/fhir/CodeSystem/"
                + "supervision|supervision-session&participant=PractitionerRole/" + jordan + "-role"), Encounter.class)
                .get(0).getIdPart();
        String path = "/Encounter/" + id;
        assertThat(FhirServer.send("GET", path, null, null, "Authorization", "Bearer " + FhirServer.token("peer-specialist",
                "Practitioner/" + jordan, "user/*.cruds", null)).statusCode()).isEqualTo(200);
        assertThat(FhirServer.send("GET", path, null, null, "Authorization", "Bearer " + FhirServer.token("peer-specialist",
                "Practitioner/" + alex, "user/*.cruds", null)).statusCode()).isEqualTo(403);
    }
}
