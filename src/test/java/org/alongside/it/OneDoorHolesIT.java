package org.alongside.it;

import static org.alongside.it.AttackSupport.as;
import static org.alongside.it.AttackSupport.bundle;
import static org.alongside.it.AttackSupport.entries;
import static org.alongside.it.AttackSupport.entry;
import static org.alongside.it.AttackSupport.get;
import static org.alongside.it.AttackSupport.ids;
import static org.alongside.it.AttackSupport.put;
import static org.alongside.it.AttackSupport.requestBundle;
import static org.alongside.it.AttackSupport.status;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The holes of issue 11 ("One door"), each reproduced over HTTP exactly as the issue describes it, asserting
 * the safe behaviour that docs/security.md states. The Part 2 program of the test servers has the clients
 * {@code alongside-app} and {@code alongside-dev-token}; every other EHR client here is an outside recipient.
 * The scene is made once per run with ids of its own (RUN), so the tests never see each other's data.
 */
class OneDoorHolesIT {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String SYSTEM = "urn:alongside:holes:" + RUN;
    /** Outside recipients (ehr-system clients not in the program). */
    private static final String OUTSIDE = "outside-hie-" + RUN;
    private static final String OUTSIDE_WRITER = "outside-writer-" + RUN;
    private static final String OUTSIDE_HAS = "outside-has-" + RUN;

    private static final String ORG = "od-org-" + RUN;
    private static final String PEER = "od-peer-" + RUN;
    private static final String SUP = "od-sup-" + RUN;
    private static final String CLIN = "od-clin-" + RUN;
    private static final String PEER_ROLE = "od-peer-role-" + RUN;
    private static final String SUP_ROLE = "od-sup-role-" + RUN;
    /** Peers whose roles are deactivated / deleted (hole 6), each with a patient of their own. */
    private static final String PEER_OFF = "od-peer-off-" + RUN;
    private static final String PEER_OFF_ROLE = "od-peer-off-role-" + RUN;
    private static final String PEER_GONE = "od-peer-gone-" + RUN;
    private static final String PEER_GONE_ROLE = "od-peer-gone-role-" + RUN;
    /** A peer no test acts as, mentoring P2 (sessions are logged only by an assigned peer). */
    private static final String GHOST = "od-ghost-" + RUN;
    private static final String GHOST_ROLE = "od-ghost-role-" + RUN;

    /** P1: in the peer's caseload and the clinician's care; P2: in nobody's; PC: consented to OUTSIDE. */
    private static final String P1 = "od-p1-" + RUN;
    private static final String P2 = "od-p2-" + RUN;
    private static final String P2_NAME = "Zyxwardine" + RUN;
    private static final String PC = "od-pc-" + RUN;
    private static final String PK = "od-pk-" + RUN;
    private static final String TWIN1 = "od-tw1-" + RUN;
    private static final String TWIN2 = "od-tw2-" + RUN;
    private static final String TWIN_NAME = "Twofold" + RUN;
    private static final String NOBODY_NAME = "Nobodyhere" + RUN;
    private static final String P_OFF = "od-poff-" + RUN;
    private static final String P_GONE = "od-pgone-" + RUN;

    private static final String SECRET = "Part2 secret " + RUN;
    private static final Map<String, String> PLANS = new java.util.LinkedHashMap<>();

    @BeforeAll
    static void scene() {
        put("Organization", ORG, AttackSupport.organization("One door clinic " + RUN));
        for (String person : List.of(PEER, SUP, CLIN, PEER_OFF, PEER_GONE, GHOST)) {
            put("Practitioner", person, "\"name\":[{\"text\":\"" + person + "\"}]");
        }
        put("PractitionerRole", SUP_ROLE, AttackSupport.peerRole(SUP, ORG, null, true));
        put("PractitionerRole", PEER_ROLE, AttackSupport.peerRole(PEER, ORG, SUP_ROLE, true));
        put("PractitionerRole", PEER_OFF_ROLE, AttackSupport.peerRole(PEER_OFF, ORG, null, true));
        put("PractitionerRole", PEER_GONE_ROLE, AttackSupport.peerRole(PEER_GONE, ORG, null, true));
        put("PractitionerRole", GHOST_ROLE, AttackSupport.peerRole(GHOST, ORG, null, true));
        put("Patient", P1, AttackSupport.patient("Inreach" + RUN));
        put("Patient", P2, AttackSupport.patient(P2_NAME));
        put("Patient", PC, AttackSupport.patient("Consented" + RUN));
        put("Patient", PK, AttackSupport.patient("Selfgrant" + RUN));
        put("Patient", TWIN1, AttackSupport.patient(TWIN_NAME));
        put("Patient", TWIN2, AttackSupport.patient(TWIN_NAME));
        put("Patient", P_OFF, AttackSupport.patient("Deactivated" + RUN));
        put("Patient", P_GONE, AttackSupport.patient("Deleted" + RUN));
        for (String patient : List.of(P1, P2, PC, PK, P_OFF, P_GONE)) {
            put("Goal", "goal-" + patient, AttackSupport.goal(patient));
            put("CarePlan", "plan-" + patient, AttackSupport.carePlan(patient, "Goal/goal-" + patient));
            PLANS.put(patient, "plan-" + patient);
        }
        // the peer (and their supervisor) mentor P1; the clinician treats P1; the other peers one person each
        String referral = AttackSupport.assign("plan-" + P1, PEER_ROLE, "Practitioner/" + CLIN);
        put("CareTeam", "od-treatment-" + RUN, AttackSupport.careTeam(P1, "Practitioner/" + CLIN));
        String offReferral = AttackSupport.assign("plan-" + P_OFF, PEER_OFF_ROLE, "Practitioner/" + CLIN);
        String goneReferral = AttackSupport.assign("plan-" + P_GONE, PEER_GONE_ROLE, "Practitioner/" + CLIN);
        String ghostReferral = AttackSupport.assign("plan-" + P2, GHOST_ROLE, "Practitioner/" + CLIN);
        // Part 2 records: peer support sessions and encouragements
        put("Encounter", "session-" + P1, AttackSupport.session(P1, "PractitionerRole/" + PEER_ROLE, "ServiceRequest/" + referral));
        put("Communication", "msg-" + P1, AttackSupport.message(P1, "PractitionerRole/" + PEER_ROLE,
                "ServiceRequest/" + referral, SECRET));
        put("Encounter", "session-" + P2, AttackSupport.session(P2, "PractitionerRole/" + GHOST_ROLE,
                "ServiceRequest/" + ghostReferral));
        put("Communication", "msg-" + P2, AttackSupport.message(P2, "PractitionerRole/" + GHOST_ROLE, null, SECRET));
        put("Encounter", "visit-" + P2, AttackSupport.visit(P2, "Practitioner/someone-" + RUN));
        put("Communication", "msg-" + PC, AttackSupport.message(PC, "PractitionerRole/" + GHOST_ROLE, null, SECRET));
        put("Communication", "msg-" + PK, AttackSupport.message(PK, "PractitionerRole/" + GHOST_ROLE, null, SECRET));
        put("Encounter", "session-" + P_OFF, AttackSupport.session(P_OFF, "PractitionerRole/" + PEER_OFF_ROLE,
                "ServiceRequest/" + offReferral));
        put("Encounter", "session-" + P_GONE, AttackSupport.session(P_GONE, "PractitionerRole/" + PEER_GONE_ROLE,
                "ServiceRequest/" + goneReferral));
        // PC consents to disclosure to OUTSIDE (written by the program)
        put("Consent", "consent-" + PC, AttackSupport.consent(PC, OUTSIDE, "active"));
        // identifiers for the existence oracles: one Goal outside the peer's reach, two others sharing one
        put("Goal", "goal-one-" + RUN, AttackSupport.goal(P2) + "," + AttackSupport.identifier(SYSTEM, "k-one"));
        put("Goal", "goal-two-a-" + RUN, AttackSupport.goal(TWIN1) + "," + AttackSupport.identifier(SYSTEM, "k-two"));
        put("Goal", "goal-two-b-" + RUN, AttackSupport.goal(TWIN2) + "," + AttackSupport.identifier(SYSTEM, "k-two"));
    }

    // ================================================================== 1. Part 2 bypass through Bundle GET

    @Test
    void anOutsideClientWithoutConsentGetsNoPart2RecordThroughBatchOrTransactionGets() {
        String outside = outside(OUTSIDE_HAS); // no consent for anyone
        List<String> searches = List.of("Communication?patient=" + P1, "Encounter?patient=" + P1,
                "Communication?subject=Patient/" + P2 + "&_total=accurate", "Encounter?patient=" + P2);
        for (String kind : List.of("batch", "transaction")) {
            List<String[]> entries = new ArrayList<>();
            searches.forEach(s -> entries.add(entry("GET", s)));
            HttpResponse<String> r = as(outside, "POST", "", requestBundle(kind, entries));
            assertThat(r.statusCode()).as(kind + ": " + r.body()).isEqualTo(200);
            assertThat(r.body()).as(kind + ": Part 2 content in the response").doesNotContain(SECRET)
                    .doesNotContain("session-" + P1).doesNotContain("msg-" + P1)
                    .doesNotContain("session-" + P2).doesNotContain("msg-" + P2);
            Bundle response = bundle(r.body());
            for (int i = 0; i < searches.size(); i++) {
                Bundle.BundleEntryComponent e = response.getEntry().get(i);
                HttpResponse<String> rest = get(outside, "/" + searches.get(i));
                assertThat(status(e)).as(kind + " " + searches.get(i)).isEqualTo(rest.statusCode());
                Bundle restBundle = bundle(rest.body());
                Bundle entryBundle = (Bundle) e.getResource();
                assertThat(ids(entryBundle)).as(kind + " " + searches.get(i) + " equals the REST search")
                        .isEqualTo(ids(restBundle));
                assertThat(entryBundle.hasTotal() ? entryBundle.getTotal() : null).as(kind + " total of " + searches.get(i))
                        .isEqualTo(restBundle.hasTotal() ? restBundle.getTotal() : null);
            }
        }
        // a read of a Part 2 record in a batch: the entry is refused as the REST read is
        assertThat(get(outside, "/Communication/msg-" + P1).statusCode()).isEqualTo(403);
        HttpResponse<String> batch = as(outside, "POST", "", requestBundle("batch",
                entries(entry("GET", "Communication/msg-" + P1), entry("GET", "Encounter/session-" + P1))));
        assertThat(batch.statusCode()).isEqualTo(200);
        assertThat(batch.body()).doesNotContain(SECRET);
        assertThat(bundle(batch.body()).getEntry()).extracting(AttackSupport::status).containsExactly(403, 403);
        // in a transaction the refusal refuses the whole (or the entry): never the content
        HttpResponse<String> tx = as(outside, "POST", "", requestBundle("transaction",
                entries(entry("GET", "Communication/msg-" + P1))));
        assertThat(tx.body()).doesNotContain(SECRET);
        if (tx.statusCode() == 200) {
            assertThat(bundle(tx.body()).getEntry()).extracting(AttackSupport::status).containsExactly(403);
        } else {
            assertThat(tx.statusCode()).isEqualTo(403);
        }
    }

    @Test
    void aTokenScopedOnlyToSearchCommunicationGetsThroughABundleExactlyWhatRestGivesIt() {
        List<String> tokens = List.of(
                FhirServer.token("clinician", "Practitioner/" + CLIN, "user/Communication.s", null),
                FhirServer.fetchToken("role=ehr-system&scope=system/Communication.s"));
        List<String> urls = List.of("Communication?patient=" + P1, "Communication?_id=msg-" + P1,
                "Communication?patient=" + P1 + "&_include=Communication:subject", "Encounter?patient=" + P1,
                "Goal?patient=" + P1, "Communication/msg-" + P1, "Patient/" + P1, "Encounter/session-" + P1);
        for (String token : tokens) {
            List<String[]> entries = urls.stream().map(u -> entry("GET", u)).toList();
            HttpResponse<String> r = as(token, "POST", "", requestBundle("batch", entries));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            Bundle response = bundle(r.body());
            for (int i = 0; i < urls.size(); i++) {
                HttpResponse<String> rest = get(token, "/" + urls.get(i));
                Bundle.BundleEntryComponent e = response.getEntry().get(i);
                assertThat(status(e)).as("batch GET " + urls.get(i) + " answers as REST does").isEqualTo(rest.statusCode());
                if (rest.statusCode() == 200 && urls.get(i).contains("?")) {
                    assertThat(ids((Bundle) e.getResource())).as("batch GET " + urls.get(i) + " finds what REST finds")
                            .isEqualTo(ids(bundle(rest.body())));
                }
                if (rest.statusCode() != 200) {
                    assertThat(e.hasResource()).as("batch GET " + urls.get(i) + " refused by REST carries no record")
                            .isFalse();
                }
            }
        }
    }

    @Test
    void aDisclosureThroughABundleGetIsInThePatientsAccountingOfDisclosures() {
        String requestId = UUID.randomUUID().toString();
        HttpResponse<String> r = as(outside(OUTSIDE), "POST", "", requestBundle("batch",
                entries(entry("GET", "Communication?patient=" + PC))), "X-Request-ID", requestId);
        assertThat(r.statusCode()).isEqualTo(200);
        Bundle found = (Bundle) bundle(r.body()).getEntryFirstRep().getResource();
        assertThat(ids(found)).as("the consent permits it").contains("Communication/msg-" + PC);
        assertThat(found.getEntryFirstRep().getResource().getMeta().getSecurity()).extracting(Coding::getCode)
                .as("no redisclosure label").contains("NORDSCLCD");
        Bundle accounting = bundle(FhirServer.get("/Patient/" + PC + "/$accounting-of-disclosures").body());
        assertThat(accounting.getEntry()).extracting(e -> requestIdOf((AuditEvent) e.getResource()))
                .as("the accounting of disclosures of " + PC + " lists the Bundle's disclosure").contains(requestId);
    }

    // ================================================================== 2. transaction PUT hijack; batch PUT

    @Test
    void aPeerCannotTakeOverAnotherCaseloadsEncounterWithAnIdlessTransactionPut() {
        String target = "visit-" + P2;
        String before = version("Encounter", target);
        String body = "{\"resourceType\":\"Encounter\"," + AttackSupport.visit(P1, "PractitionerRole/" + PEER_ROLE) + "}";
        HttpResponse<String> r = as(peer(), "POST", "", requestBundle("transaction",
                entries(entry("PUT", "Encounter/" + target, body))));
        assertThat(r.statusCode()).as("transaction PUT Encounter/<another caseload's id>: " + r.body()).isEqualTo(403);
        assertThat(version("Encounter", target)).as("the other patient's Encounter is unchanged").isEqualTo(before);
        assertThat(FhirServer.get("/Encounter/" + target).body()).contains("Patient/" + P2);
    }

    @Test
    void aPeerCannotTakeOverAnotherCaseloadsEncounterWithAnIdlessBatchPut() {
        String target = "visit-" + P2;
        String before = version("Encounter", target);
        String body = "{\"resourceType\":\"Encounter\"," + AttackSupport.visit(P1, "PractitionerRole/" + PEER_ROLE) + "}";
        HttpResponse<String> r = as(peer(), "POST", "", requestBundle("batch",
                entries(entry("PUT", "Encounter/" + target, body))));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(status(bundle(r.body()).getEntryFirstRep())).as("batch PUT Encounter/<another caseload's id>: "
                + r.body()).isEqualTo(403);
        assertThat(version("Encounter", target)).isEqualTo(before);
    }

    @Test
    void aBatchPutToTypeIdStoresTheResource() {
        String withId = "od-batch-put-a-" + RUN;
        String withoutId = "od-batch-put-b-" + RUN;
        String existing = "od-batch-put-c-" + RUN;
        put("Patient", existing, AttackSupport.patient("Before" + RUN));
        HttpResponse<String> r = FhirServer.send("POST", "", AttackSupport.JSON, requestBundle("batch", List.of(
                entry("PUT", "Patient/" + withId, "{\"resourceType\":\"Patient\",\"id\":\"" + withId + "\","
                        + AttackSupport.patient("With" + RUN) + "}"),
                entry("PUT", "Patient/" + withoutId, "{\"resourceType\":\"Patient\"," + AttackSupport.patient("Without" + RUN) + "}"),
                entry("PUT", "Patient/" + existing, "{\"resourceType\":\"Patient\",\"id\":\"" + existing + "\","
                        + AttackSupport.patient("After" + RUN) + "}"))));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(bundle(r.body()).getEntry()).as(r.body()).extracting(AttackSupport::status).containsExactly(201, 201, 200);
        assertThat(FhirServer.get("/Patient/" + withId).body()).contains("With" + RUN);
        assertThat(FhirServer.get("/Patient/" + withoutId).body()).contains("Without" + RUN);
        assertThat(FhirServer.get("/Patient/" + existing).body()).contains("After" + RUN);
    }

    // ================================================================== 3. $side-by-side

    @Test
    void sideBySideGivesAnOutsideClientWithoutConsentNoPart2Record() {
        String outside = outside(OUTSIDE_HAS);
        for (String method : List.of("GET", "POST")) {
            HttpResponse<String> r = as(outside, method, "/CarePlan/plan-" + P1 + "/$side-by-side",
                    method.equals("POST") ? "{\"resourceType\":\"Parameters\"}" : null);
            assertThat(r.statusCode()).as(r.body()).isIn(200, 403);
            if (r.statusCode() == 200) {
                Bundle view = bundle(r.body());
                assertThat(ids(view)).as(method + " $side-by-side to an outside client without consent")
                        .doesNotContain("Encounter/session-" + P1, "Communication/msg-" + P1);
                assertThat(r.body()).doesNotContain(SECRET);
                assertThat(summaryInt(view, "sessionsTotal")).as("sessions counted from records withheld").isIn(null, 0);
            }
        }
    }

    @Test
    void sideBySideGivesATokenScopedOnlyToCarePlansNoOtherRecords() {
        String token = FhirServer.token("clinician", "Practitioner/" + CLIN, "user/CarePlan.rs", null);
        HttpResponse<String> r = get(token, "/CarePlan/plan-" + P1 + "/$side-by-side");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        Bundle view = bundle(r.body());
        assertThat(view.getEntry()).extracting(e -> e.getResource().fhirType())
                .as("a token scoped to CarePlan.rs reads CarePlans only").containsOnly("Parameters", "CarePlan");
        assertThat(summaryInt(view, "sessionsTotal")).as("sessions counted from records withheld").isIn(null, 0);
    }

    @Test
    void sideBySideLeavesOutAnotherPatientsGoalLinkedIntoAPlanTheClinicianMayEdit() {
        String clinician = FhirServer.token("clinician", "Practitioner/" + CLIN, "user/*.cruds", null);
        String plan = "plan-x-" + P1;
        put("CarePlan", plan, AttackSupport.carePlan(P1, "Goal/goal-" + P1));
        assertThat(get(clinician, "/Goal/goal-" + P2).statusCode()).as("the other patient's Goal").isEqualTo(403);
        String linked = "{\"resourceType\":\"CarePlan\",\"id\":\"" + plan + "\"," + AttackSupport.carePlan(P1, "Goal/goal-" + P2) + "}";
        HttpResponse<String> update = as(clinician, "PUT", "/CarePlan/" + plan, linked);
        if (update.statusCode() >= 400) {
            // refusing the link is fine too; the program's integration can still make it
            assertThat(FhirServer.send("PUT", "/CarePlan/" + plan, AttackSupport.JSON, linked).statusCode()).isEqualTo(200);
        }
        HttpResponse<String> r = get(clinician, "/CarePlan/" + plan + "/$side-by-side");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(ids(bundle(r.body()))).as("$side-by-side of a plan linking another patient's Goal")
                .contains("CarePlan/" + plan).doesNotContain("Goal/goal-" + P2);
    }

    // ================================================================== 4. a recipient granting itself consent

    @Test
    void anOutsideRecipientCannotGrantItselfConsent() {
        String attacker = FhirServer.fetchToken("role=ehr-system&scope=system/*.cruds&clientId=" + OUTSIDE_WRITER);
        String message = "/Communication/msg-" + PK;
        assertThat(get(attacker, message).statusCode()).isEqualTo(403);
        String selfGrant = "{\"resourceType\":\"Consent\"," + AttackSupport.consent(PK, OUTSIDE_WRITER, "active") + "}";
        HttpResponse<String> posted = as(attacker, "POST", "/Consent", selfGrant);
        assertThat(posted.statusCode()).as("POST of a Consent naming itself: " + posted.body()).isEqualTo(403);
        assertThat(get(attacker, message).statusCode()).as("read after the POST").isEqualTo(403);
        String id = "self-grant-" + RUN;
        HttpResponse<String> putted = as(attacker, "PUT", "/Consent/" + id, selfGrant.replace("{\"resourceType\":\"Consent\",",
                "{\"resourceType\":\"Consent\",\"id\":\"" + id + "\","));
        assertThat(putted.statusCode()).as("PUT of a Consent naming itself: " + putted.body()).isEqualTo(403);
        assertThat(get(attacker, message).statusCode()).as("read after the PUT").isEqualTo(403);
        HttpResponse<String> tx = as(attacker, "POST", "", requestBundle("transaction",
                entries(entry("POST", "Consent", selfGrant))));
        assertThat(tx.statusCode()).as("transaction POST of a Consent naming itself: " + tx.body()).isEqualTo(403);
        assertThat(get(attacker, message).statusCode()).as("read after the transaction").isEqualTo(403);
        // the program may record the person's consent, and then the disclosure is allowed
        put("Consent", "program-consent-" + PK, AttackSupport.consent(PK, OUTSIDE_WRITER, "active"));
        assertThat(get(attacker, message).statusCode()).as("read under the program's consent").isEqualTo(200);
    }

    // ================================================================== 5. existence and count oracles

    @Test
    void aPeersIfNoneExistMatchingOnlyRecordsOutsideTheirReachBehavesAsIfNothingMatched() {
        Map<String, HttpResponse<String>> answers = new java.util.LinkedHashMap<>();
        for (String key : List.of("k-none", "k-one", "k-two")) {
            String body = "{\"resourceType\":\"Goal\"," + AttackSupport.identifier(SYSTEM, "made-" + UUID.randomUUID())
                    + "," + AttackSupport.goal(P1) + "}";
            answers.put(key, as(peer(), "POST", "/Goal", body, "If-None-Exist", "identifier=" + SYSTEM + "|" + key));
        }
        assertThat(answers.get("k-none").statusCode()).as(answers.get("k-none").body()).isEqualTo(201);
        for (String key : List.of("k-one", "k-two")) {
            HttpResponse<String> r = answers.get(key);
            assertThat(r.statusCode()).as("If-None-Exist matching " + key + " outside reach: " + r.body()).isEqualTo(201);
            assertThat(r.body()).doesNotContain("goal-one-" + RUN).doesNotContain("goal-two-");
        }
    }

    @Test
    void conditionalReferencesInATransactionAnswerAlikeForPeopleOutsideReachAndForNobody() {
        Map<String, HttpResponse<String>> answers = new java.util.LinkedHashMap<>();
        for (String name : List.of(NOBODY_NAME, P2_NAME, TWIN_NAME)) {
            String goal = "{\"resourceType\":\"Goal\",\"lifecycleStatus\":\"active\",\"description\":{\"text\":\"x\"},"
                    + "\"subject\":{\"reference\":\"Patient?name=" + name + "\"}}";
            answers.put(name, as(peer(), "POST", "", requestBundle("transaction", entries(entry("POST", "Goal", goal)))));
        }
        HttpResponse<String> nobody = answers.get(NOBODY_NAME);
        for (String name : List.of(P2_NAME, TWIN_NAME)) {
            HttpResponse<String> r = answers.get(name);
            assertThat(r.statusCode()).as("Patient?name=<" + (name.equals(P2_NAME) ? "one" : "two")
                    + " outside reach> vs nobody: " + r.body() + " / " + nobody.body()).isEqualTo(nobody.statusCode());
            assertThat(diagnostics(r, name)).as("the same answer as for nobody").isEqualTo(diagnostics(nobody, NOBODY_NAME));
        }
    }

    @Test
    void transactionConditionalPutAnswersAlikeForTwoMatchesOutsideReachAndForNone() {
        for (String kind : List.of("transaction", "batch")) {
            Map<String, Integer> statuses = new java.util.LinkedHashMap<>();
            Map<String, String> bodies = new java.util.LinkedHashMap<>();
            for (String key : List.of("k-none", "k-one", "k-two")) {
                String goal = "{\"resourceType\":\"Goal\"," + AttackSupport.goal(P1) + "}";
                HttpResponse<String> r = as(peer(), "POST", "", requestBundle(kind, List.<String[]>of(
                        entry("PUT", "Goal?identifier=" + SYSTEM + "|" + key, goal))));
                int status = kind.equals("batch") && r.statusCode() == 200 ? status(bundle(r.body()).getEntryFirstRep())
                        : r.statusCode();
                statuses.put(key, status);
                bodies.put(key, r.body());
            }
            assertThat(statuses.get("k-one")).as(kind + " conditional PUT, one match outside reach vs none: " + bodies)
                    .isEqualTo(statuses.get("k-none"));
            assertThat(statuses.get("k-two")).as(kind + " conditional PUT, two matches outside reach vs none: " + bodies)
                    .isEqualTo(statuses.get("k-none"));
        }
    }

    @Test
    void anOutsideClientsCountsOfPart2RecordsWithoutConsentAreZeroOrAbsent() {
        String outside = outside(OUTSIDE_HAS);
        for (String query : List.of("/Communication?patient=" + P1, "/Encounter?patient=" + P1,
                "/Communication?patient=" + P2, "/Encounter?patient=" + P2 + "&type=" + AttackSupport.HCPCS + "|H0038")) {
            for (String counting : List.of("&_summary=count", "&_total=accurate")) {
                HttpResponse<String> r = get(outside, query + counting);
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                Bundle b = bundle(r.body());
                assertThat(b.hasTotal() ? b.getTotal() : null).as(query + counting + " by an outside client without consent")
                        .isIn(null, 0);
                assertThat(r.body()).doesNotContain(SECRET);
            }
        }
    }

    @Test
    void anOutsideClientCannotListWhoHasSudSessionsThroughHas() {
        String outside = outside(OUTSIDE_HAS);
        String ids = String.join(",", P1, P2, PC, P_OFF, P_GONE);
        for (String has : List.of("_has:Encounter:patient:type=" + AttackSupport.HCPCS + "|H0038",
                "_has:Communication:subject:category=" + AttackSupport.MESSAGE_CATEGORY + "|encouragement")) {
            HttpResponse<String> r = get(outside, "/Patient?_id=" + ids + "&" + has);
            assertThat(r.statusCode()).as(r.body()).isIn(200, 403);
            if (r.statusCode() == 200) {
                assertThat(ids(bundle(r.body()))).as("Patient?" + has + " by an outside client without consent")
                        .doesNotContain("Patient/" + P1, "Patient/" + P2, "Patient/" + PC, "Patient/" + P_OFF,
                                "Patient/" + P_GONE);
            }
        }
    }

    // ================================================================== 6. deactivation revokes

    @Test
    void aDeactivatedPeerRoleNoLongerReachesItsPatients() {
        List<String> tokens = List.of(FhirServer.token("peer-specialist", "Practitioner/" + PEER_OFF, "user/*.cruds", null),
                FhirServer.token("peer-specialist", "PractitionerRole/" + PEER_OFF_ROLE, "user/*.cruds", null));
        tokens.forEach(t -> assertThat(get(t, "/Patient/" + P_OFF).statusCode()).as("before").isEqualTo(200));
        put("PractitionerRole", PEER_OFF_ROLE, AttackSupport.peerRole(PEER_OFF, ORG, null, false));
        assertRevoked(tokens, P_OFF, "active=false");
    }

    @Test
    void aDeletedPeerRoleNoLongerReachesItsPatients() {
        List<String> tokens = List.of(FhirServer.token("peer-specialist", "Practitioner/" + PEER_GONE, "user/*.cruds", null),
                FhirServer.token("peer-specialist", "PractitionerRole/" + PEER_GONE_ROLE, "user/*.cruds", null));
        tokens.forEach(t -> assertThat(get(t, "/Patient/" + P_GONE).statusCode()).as("before").isEqualTo(200));
        HttpResponse<String> deleted = FhirServer.send("DELETE", "/PractitionerRole/" + PEER_GONE_ROLE, null, null);
        assertThat(deleted.statusCode()).as(deleted.body()).isIn(200, 204);
        assertRevoked(tokens, P_GONE, "deleted");
    }

    private static void assertRevoked(List<String> tokens, String patient, String how) {
        List<String> leaks = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            String t = tokens.get(i);
            String who = (i == 0 ? "fhirUser Practitioner" : "fhirUser PractitionerRole") + ", role " + how + ": ";
            int read = get(t, "/Patient/" + patient).statusCode();
            if (read != 403) {
                leaks.add(who + "GET Patient → " + read);
            }
            int session = get(t, "/Encounter/session-" + patient).statusCode();
            if (session != 403) {
                leaks.add(who + "GET Encounter → " + session);
            }
            HttpResponse<String> search = get(t, "/Encounter?patient=" + patient);
            if (search.statusCode() != 200 || !bundle(search.body()).getEntry().isEmpty()) {
                leaks.add(who + "Encounter?patient → " + search.statusCode() + " with "
                        + (search.statusCode() == 200 ? ids(bundle(search.body())) : "-"));
            }
            int view = get(t, "/CarePlan/plan-" + patient + "/$side-by-side").statusCode();
            if (view != 403) {
                leaks.add(who + "$side-by-side → " + view);
            }
        }
        assertThat(leaks).as("what a token of a " + how + " peer role still reaches").isEmpty();
    }

    // ================================================================== 9. batch audit

    @Test
    void eachEntryOfABatchIsAuditedWithItsOwnOutcome() {
        String requestId = UUID.randomUUID().toString();
        HttpResponse<String> r = as(peer(), "POST", "", requestBundle("batch", List.of(
                entry("POST", "Goal", "{\"resourceType\":\"Goal\"," + AttackSupport.goal(P1) + "}"),
                entry("POST", "Goal", "{\"resourceType\":\"Goal\"," + AttackSupport.goal(P2) + "}"),
                entry("GET", "Patient/" + P2))), "X-Request-ID", requestId);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(bundle(r.body()).getEntry()).extracting(AttackSupport::status).containsExactly(201, 403, 403);
        Bundle events = bundle(FhirServer.get("/AuditEvent?request-id=" + requestId + "&_count=50").body());
        List<String> outcomes = events.getEntry().stream().map(e -> ((AuditEvent) e.getResource()).getOutcome().toCode())
                .collect(Collectors.toList());
        assertThat(outcomes).as("outcomes of the events of a batch with one allowed and two refused entries")
                .hasSizeGreaterThanOrEqualTo(3);
        assertThat(outcomes.stream().filter(o -> o.equals("0")).count()).as("successes " + outcomes).isGreaterThanOrEqualTo(1);
        assertThat(outcomes.stream().filter(o -> o.equals("4") || o.equals("8")).count()).as("failures " + outcomes)
                .isGreaterThanOrEqualTo(2);
    }

    // ================================================================== helpers

    private static String peer() {
        return FhirServer.token("peer-specialist", "Practitioner/" + PEER, "user/*.cruds", null);
    }

    private static final Map<String, String> OUTSIDE_TOKENS = new java.util.concurrent.ConcurrentHashMap<>();

    private static String outside(String clientId) {
        return OUTSIDE_TOKENS.computeIfAbsent(clientId,
                c -> FhirServer.fetchToken("role=ehr-system&scope=system/*.rs&clientId=" + c));
    }

    private static String version(String type, String id) {
        return AttackSupport.resource(FhirServer.get("/" + type + "/" + id).body()).getMeta().getVersionId();
    }

    private static Integer summaryInt(Bundle view, String name) {
        for (Bundle.BundleEntryComponent e : view.getEntry()) {
            if (e.getResource() instanceof Parameters p && p.getParameter(name) != null
                    && p.getParameter(name).getValue() instanceof IntegerType n) {
                return n.getValue();
            }
        }
        return null;
    }

    /** The OperationOutcome's diagnostics, with the searched-for name taken out. */
    private static String diagnostics(HttpResponse<String> r, String name) {
        Resource resource = AttackSupport.resource(r.body());
        String text = resource instanceof org.hl7.fhir.r4.model.OperationOutcome oo
                ? oo.getIssue().stream().map(i -> i.getDiagnostics()).collect(Collectors.joining(" | ")) : r.body();
        return text.replace(name, "<name>");
    }

    private static String requestIdOf(AuditEvent event) {
        return event.getEntity().stream().filter(e -> e.getType().getCode() != null
                        && e.getType().getCode().equals("XrequestId")).map(e -> e.getWhat().getIdentifier().getValue())
                .findFirst().orElse(null);
    }
}
