package org.alongside.it.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Provenance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;

/**
 * The supervisor's queue of unsigned notes from the peers they supervise: co-sign, or return with a comment.
 * Signed in through the server's development authorization server, so the role rules apply to every request.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SupervisorJourneyIT {

    private static final Scene scene = new Scene();
    private static Browser browser;
    private static String jordan;
    private static String maria;
    private static String lee;

    @BeforeAll
    static void setUp() {
        scene.organization();
        String chen = scene.practitioner("chen", "Dr. Chen");
        String sam = scene.practitioner("sam", "Sam Okafor");
        String samRole = scene.peerRole(sam, null);
        jordan = scene.practitioner("jordan", "Jordan Reyes");
        String jordanRole = scene.peerRole(jordan, samRole);
        String unsupervised = scene.peerRole(scene.practitioner("robin", "Robin Unsupervised"), null);
        maria = scene.patient("maria", "Maria", "Lopez");
        lee = scene.patient("lee", "Lee", "Park");
        LocalDate start = LocalDate.now(ZoneOffset.UTC).minusDays(10);
        String mariaPlan = scene.plan(maria, "Part-time work", chen);
        scene.assign(mariaPlan, jordanRole, chen, start);
        scene.assign(scene.plan(lee, "Sleep better", chen), jordanRole, chen, start);
        scene.assign(mariaPlan, unsupervised, chen, start);
        Instant now = Instant.now();
        scene.session(maria, jordanRole, now.minus(2, ChronoUnit.DAYS), 30, "phone", "Talked about the interview");
        scene.session(lee, jordanRole, now.minus(1, ChronoUnit.DAYS), 50, "in-person", "Evening routine plan");
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
        List<Encounter> found = Scene.resources(scene.search("Encounter?subject=Patient/" + patient + "&participant=PractitionerRole/"
                + jordan + "-role"), Encounter.class);
        assertThat(found).hasSize(1);
        return found.get(0).getIdPart();
    }

    @Test
    @Order(1)
    void queueListsOnlyUnsignedNotesOfSupervisedPeers() {
        browser.await(By.cssSelector("#queue [data-session='" + sessionOf(maria) + "']"));
        browser.await(By.cssSelector("#queue [data-session='" + sessionOf(lee) + "']"));
        assertThat(browser.driver().findElements(By.cssSelector("#queue li"))).hasSize(2);
        assertThat(browser.text(By.id("queue"))).doesNotContain("Robin");
        browser.assertAccessible("supervisor queue");
        browser.assertLargeTargets("supervisor queue");
        browser.screens("supervisor-queue");
    }

    @Test
    @Order(2)
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
    @Order(3)
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
    @Order(4)
    void thePeerSeesTheReturnedNoteWithTheComment() {
        try (Browser peer = Browser.phone()) {
            peer.signIn("peer-specialist", jordan);
            peer.click(By.cssSelector("[data-person='" + lee + "']"));
            peer.awaitText(By.cssSelector("[data-returned=true]"), "Please add what the person said about sleep.");
        }
    }
}
