package org.alongside.it;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The CDS Hooks 2.0 service, called as an EHR calls it: discovery, the patient-view service with and without
 * prefetch, the JWT the EHR signs (and every way one can be wrong), bad bodies, feedback, and Part 2: a card carries
 * no peer contact the person has not consented to disclose to the EHR.
 */
class CdsHooksIT {

    private static final IGenericClient CLIENT = FhirServer.client();
    private static final String SERVICE = "alongside-peer-support";
    private static final String URL = CdsEhr.serviceUrl(SERVICE);
    private static final String REFERRAL = "alongside-peer-referral";
    private static final String REFERRAL_URL = CdsEhr.serviceUrl(REFERRAL);
    private static final String BASE = "http://alongside.health/fhir";
    private static final String EHR_CLIENT = "cds-ehr-" + UUID.randomUUID().toString().substring(0, 8);
    private static final CdsEhr EHR = new CdsEhr(EHR_CLIENT);

    @AfterAll
    static void stopTheEhr() {
        EHR.close();
    }

    private static String create(Resource resource) {
        IdType id = (IdType) CLIENT.create().resource(resource).execute().getId();
        return id.getResourceType() + "/" + id.getIdPart();
    }

    private record Scene(String patient, String plan, String mentorName, String peer, String clinician) {
    }

    /** A person in recovery with a care plan, a peer specialist of their organisation, assigned when asked. */
    private static Scene scene(boolean withMentor) {
        String organization = create(new Organization().setName("Harbor " + UUID.randomUUID()));
        String patient = create(new Patient().setManagingOrganization(new Reference(organization)));
        Condition opioidUse = new Condition().setSubject(new Reference(patient));
        opioidUse.setId("dx");
        opioidUse.getCode().addCoding(new Coding("http://hl7.org/fhir/sid/icd-10-cm", "F11.20", null));
        CarePlan plan = new CarePlan().setStatus(CarePlan.CarePlanStatus.ACTIVE)
                .setIntent(CarePlan.CarePlanIntent.PLAN).setSubject(new Reference(patient))
                .addAddresses(new Reference("#dx"));
        plan.addContained(opioidUse);
        String planRef = create(plan);
        String name = "Dana Reyes " + UUID.randomUUID().toString().substring(0, 6);
        Practitioner practitioner = new Practitioner();
        practitioner.addName().setText(name);
        PractitionerRole role = new PractitionerRole().setActive(true)
                .setPractitioner(new Reference(create(practitioner))).setOrganization(new Reference(organization));
        role.addCode().addCoding(new Coding("http://nucc.org/provider-taxonomy", "175T00000X", null));
        String peer = create(role);
        String clinician = create(new Practitioner());
        if (withMentor) {
            Parameters assign = new Parameters();
            assign.addParameter().setName("peer").setValue(new Reference(peer));
            assign.addParameter().setName("assigner").setValue(new Reference(clinician));
            CLIENT.operation().onInstance(new IdType(planRef)).named("$assign-peer-mentor").withParameters(assign)
                    .returnResourceType(Bundle.class).execute();
        }
        return new Scene(patient.substring("Patient/".length()), planRef, name, peer, clinician);
    }

    /** An encouragement message the peer sent the person (a peer contact; a Part 2 record on these servers). */
    private static void encouragement(String patient, Instant sent) throws Exception {
        String id = "cds-msg-" + UUID.randomUUID();
        String json = Files.readString(Path.of("fhir-profiles/examples/valid/encouragement-log-1.json"))
                .replace("\"id\": \"msg-maria-1\"", "\"id\": \"" + id + "\"")
                .replace("Patient/maria-lopez", "Patient/" + patient)
                .replace("2025-03-07T16:30:00-05:00", sent.toString());
        HttpResponse<String> put = FhirServer.send("PUT", "/Communication/" + id, "application/fhir+json", json);
        assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
    }

    private static void openEscalation(String patient) {
        Flag flag = new Flag().setStatus(Flag.FlagStatus.ACTIVE).setSubject(new Reference("Patient/" + patient));
        flag.getCode().addCoding(new Coding(BASE + "/CodeSystem/crisis-support", "peer-worried", null));
        create(flag);
    }

    /** A patient-view request shaped as the spec's example: hookInstance, fhirServer, fhirAuthorization, context. */
    private static String patientView(String patient, String prefetch) {
        return "{\"hookInstance\":\"" + UUID.randomUUID() + "\",\"fhirServer\":\"https://ehr.example.org/fhir\","
                + "\"hook\":\"patient-view\",\"fhirAuthorization\":{\"access_token\":\"opaque\",\"token_type\":"
                + "\"Bearer\",\"expires_in\":300,\"scope\":\"user/Patient.read\",\"subject\":\"" + EHR_CLIENT + "\"},"
                + "\"context\":{\"userId\":\"Practitioner/example\",\"patientId\":\"" + patient
                + "\",\"encounterId\":\"89284\"}" + (prefetch == null ? "" : ",\"prefetch\":" + prefetch) + "}";
    }

    private static HttpResponse<String> call(String body) {
        return CdsEhr.post(URL, EHR.jwt(URL), body);
    }

    private static JsonObject json(String body) {
        return Json.createReader(new StringReader(body)).readObject();
    }

    private static JsonArray cards(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonObject body = json(response.body());
        assertThat(body.keySet()).isSubsetOf("cards", "systemActions");
        JsonArray cards = body.getJsonArray("cards");
        cards.forEach(card -> assertSpecShape(card.asJsonObject()));
        return cards;
    }

    /** The card members CDS Hooks 2.0 defines, with its required ones and its value sets. */
    private static void assertSpecShape(JsonObject card) {
        assertThat(card.keySet()).contains("uuid", "summary", "indicator", "source").isSubsetOf("uuid", "summary",
                "detail", "indicator", "source", "suggestions", "selectionBehavior", "overrideReasons", "links");
        assertThat(card.getString("summary").length()).isLessThan(140);
        assertThat(card.getString("indicator")).isIn("info", "warning", "critical");
        assertThat(card.getJsonObject("source").getString("label")).isNotBlank();
        assertThat(UUID.fromString(card.getString("uuid"))).isNotNull();
        if (card.containsKey("links")) {
            card.getJsonArray("links").forEach(link -> {
                assertThat(link.asJsonObject().keySet()).contains("label", "url", "type")
                        .isSubsetOf("label", "url", "type", "appContext");
                assertThat(link.asJsonObject().getString("type")).isIn("smart", "absolute");
            });
        }
    }

    @Test
    void discoveryListsThePatientViewServiceWithItsPrefetchTemplates() {
        HttpResponse<String> response = FhirServer.send("GET", FhirServer.baseUrl() + "/cds-services", null, null,
                "Authorization", "");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        JsonArray services = json(response.body()).getJsonArray("services");
        JsonObject service = services.stream().map(s -> s.asJsonObject())
                .filter(s -> s.getString("id").equals(SERVICE)).findFirst().orElseThrow();
        assertThat(service.keySet()).contains("hook", "id", "description")
                .isSubsetOf("hook", "id", "title", "description", "prefetch", "usageRequirements");
        assertThat(service.getString("hook")).isEqualTo("patient-view");
        JsonObject prefetch = service.getJsonObject("prefetch");
        assertThat(prefetch.keySet()).containsExactlyInAnyOrder("peerAssignments", "peerSessions", "peerMessages",
                "openEscalations", "firstRecoveryScore", "latestRecoveryScore", "engagementAlerts");
        assertThat(prefetch.getString("engagementAlerts")).isEqualTo("Task?patient={{context.patientId}}&code="
                + BASE + "/CodeSystem/engagement-alert|no-peer-contact&status=requested,received,accepted,in-progress");
        assertThat(prefetch.getString("latestRecoveryScore")).contains("Observation?patient={{context.patientId}}",
                BASE + "/CodeSystem/recovery-capital|barc-10-total", "_sort=-date", "_count=1");
        prefetch.values().forEach(template -> assertThat(((JsonString) template).getString())
                .contains("patient={{context.patientId}}"));
        JsonObject referral = services.stream().map(s -> s.asJsonObject())
                .filter(s -> s.getString("id").equals(REFERRAL)).findFirst().orElseThrow();
        assertThat(referral.getString("hook")).isEqualTo("encounter-discharge");
        assertThat(referral.getJsonObject("prefetch").keySet()).containsExactlyInAnyOrder("conditions",
                "peerAssignments");
    }

    @Test
    void withoutPrefetchTheCardIsBuiltFromAlongsidesRecordsWithALinkToTheSideBySideView() throws Exception {
        Scene scene = scene(true);
        openEscalation(scene.patient());
        JsonArray cards = cards(call(patientView(scene.patient(), null)));
        assertThat(cards).hasSize(1);
        JsonObject card = cards.getJsonObject(0);
        assertThat(card.getString("summary")).startsWith("Peer mentor " + scene.mentorName() + ": ")
                .endsWith("1 open escalation");
        assertThat(card.getString("indicator")).isEqualTo("warning");
        assertThat(card.getString("detail")).contains("- Open escalations: 1");
        JsonObject link = card.getJsonArray("links").getJsonObject(0);
        assertThat(link.getString("type")).isEqualTo("smart");
        assertThat(link.getString("url")).isEqualTo(FhirServer.baseUrl() + "/app/launch.html");
        assertThat(json(link.getString("appContext")).getString("carePlan")).isEqualTo(scene.plan());
    }

    @Test
    void aPersonWithNoMentorAndNoEscalationGetsNoCard() {
        assertThat(cards(call(patientView(scene(false).patient(), null)))).isEmpty();
        assertThat(cards(call(patientView("nobody-" + UUID.randomUUID(), null)))).isEmpty();
    }

    @Test
    void whatTheEhrPrefetchedIsUsedAndAlongsideIsNotAsked() {
        // the person exists only in the EHR: every fact on the card comes from the prefetch
        String patient = "ehr-only-" + UUID.randomUUID();
        Instant ended = Instant.now().minus(2, ChronoUnit.DAYS);
        String prefetch = "{\"peerAssignments\":{\"resourceType\":\"Bundle\",\"type\":\"searchset\",\"entry\":[{"
                + "\"resource\":{\"resourceType\":\"ServiceRequest\",\"id\":\"sr1\",\"status\":\"active\","
                + "\"intent\":\"order\",\"code\":{\"coding\":[{\"system\":\"http://snomed.info/sct\","
                + "\"code\":\"461481000124109\"}]},\"subject\":{\"reference\":\"Patient/" + patient + "\"},"
                + "\"basedOn\":[{\"reference\":\"CarePlan/ehr-plan-1\"}],"
                + "\"performer\":[{\"reference\":\"PractitionerRole/r1\",\"display\":\"Sam Ortiz\"}]}}]},"
                + "\"peerSessions\":{\"resourceType\":\"Bundle\",\"type\":\"searchset\",\"entry\":[{\"resource\":{"
                + "\"resourceType\":\"Encounter\",\"id\":\"e1\",\"status\":\"finished\",\"class\":{\"code\":\"AMB\"},"
                + "\"type\":[{\"coding\":[{\"system\":\"http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets\","
                + "\"code\":\"H0038\"}]}],\"period\":{\"start\":\"" + ended.minusSeconds(1800) + "\",\"end\":\""
                + ended + "\"}}}]},"
                + "\"peerMessages\":{\"resourceType\":\"Bundle\",\"type\":\"searchset\"},"
                + "\"openEscalations\":null}";
        JsonArray cards = cards(call(patientView(patient, prefetch)));
        assertThat(cards).hasSize(1);
        JsonObject card = cards.getJsonObject(0);
        // openEscalations was null: read from Alongside, which has none for this person
        assertThat(card.getString("summary")).isEqualTo("Peer mentor Sam Ortiz: last contact 2 days ago, next due in "
                + "5 days");
        assertThat(card.getString("indicator")).isEqualTo("info");
        assertThat(json(card.getJsonArray("links").getJsonObject(0).getString("appContext")).getString("carePlan"))
                .isEqualTo("CarePlan/ehr-plan-1");
    }

    @Test
    void aPeerContactTheEhrHasNoConsentToSeeStaysOffTheCard() throws Exception {
        Scene scene = scene(true);
        Instant sent = Instant.now().minus(3, ChronoUnit.DAYS);
        encouragement(scene.patient(), sent);

        String withoutConsent = call(patientView(scene.patient(), null)).body();
        JsonObject card = json(withoutConsent).getJsonArray("cards").getJsonObject(0);
        assertThat(card.getString("summary")).isEqualTo("Peer mentor " + scene.mentorName() + ": no contact on record");
        assertThat(withoutConsent).doesNotContain(sent.toString().substring(0, 10)).doesNotContain("3 days ago")
                .doesNotContain("Thinking of you");

        HttpResponse<String> consent = FhirServer.send("POST", "/Consent", "application/fhir+json",
                consent(scene.patient()));
        assertThat(consent.statusCode()).as(consent.body()).isEqualTo(201);
        JsonObject disclosed = cards(call(patientView(scene.patient(), null))).getJsonObject(0);
        assertThat(disclosed.getString("summary")).isEqualTo("Peer mentor " + scene.mentorName()
                + ": last contact 3 days ago, next due in 4 days");
        assertThat(disclosed.getString("detail")).contains("- Last contact: " + sent.toString().substring(0, 10));

        // the disclosure to the EHR is in the person's accounting of disclosures, under the EHR's client id
        String accounting = FhirServer.get("/Patient/" + scene.patient() + "/$accounting-of-disclosures").body();
        assertThat(accounting).contains(EHR_CLIENT);
    }

    /**
     * A mentorship that began 30 days ago without a peer contact since (the server's alert job opens its engagement
     * alert), and two BARC-10 assessments recorded by the peer: 29, then 41.
     */
    private static Scene outcomesAndAlert() {
        Scene scene = scene(false);
        Parameters assign = new Parameters();
        assign.addParameter().setName("peer").setValue(new Reference(scene.peer()));
        assign.addParameter().setName("assigner").setValue(new Reference(scene.clinician()));
        assign.addParameter().setName("start").setValue(new org.hl7.fhir.r4.model.DateType(
                Date.from(Instant.now().minus(30, ChronoUnit.DAYS))));
        CLIENT.operation().onInstance(new IdType(scene.plan())).named("$assign-peer-mentor").withParameters(assign)
                .returnResourceType(Bundle.class).execute();
        Instant now = Instant.now();
        RecoveryOutcomesIT.record(CLIENT, RecoveryOutcomesIT.barc10(scene.patient(), scene.peer(),
                now.minus(20, ChronoUnit.DAYS), 3, 3, 3, 3, 3, 3, 2, 3, 3, 3));
        RecoveryOutcomesIT.record(CLIENT, RecoveryOutcomesIT.barc10(scene.patient(), scene.peer(),
                now.minus(1, ChronoUnit.DAYS), 5, 4, 4, 4, 4, 4, 4, 5, 4, 3));
        // the job runs every few seconds on the test servers: wait (bounded) until it has opened the alert
        String alerts = "Task?patient=Patient/" + scene.patient() + "&code=" + BASE
                + "/CodeSystem/engagement-alert|no-peer-contact&status=requested";
        Instant deadline = Instant.now().plus(3, ChronoUnit.MINUTES);
        while (CLIENT.search().byUrl(alerts).returnBundle(Bundle.class).execute().getEntry().isEmpty()) {
            assertThat(Instant.now()).as("the engagement alert job opened the alert").isBefore(deadline);
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return scene;
    }

    @Test
    void theCardGivesTheLatestRecoveryScoreItsChangeAndTheOpenEngagementAlertOnlyUnderConsent() {
        Scene scene = outcomesAndAlert();
        // Part 2 records: without the person's consent the EHR is told neither the scores nor the alert
        JsonObject withoutConsent = cards(call(patientView(scene.patient(), null))).getJsonObject(0);
        assertThat(withoutConsent.getString("summary")).doesNotContain("BARC-10").doesNotContain("engagement alert");
        assertThat(withoutConsent.getString("detail")).contains("- Open engagement alerts: 0",
                "- Recovery capital (BARC-10, 10 to 60): no score recorded");

        HttpResponse<String> consent = FhirServer.send("POST", "/Consent", "application/fhir+json",
                consent(scene.patient()));
        assertThat(consent.statusCode()).as(consent.body()).isEqualTo(201);
        JsonObject card = cards(call(patientView(scene.patient(), null))).getJsonObject(0);
        assertThat(card.getString("summary")).endsWith("; engagement alert open; BARC-10 41 (+12)");
        assertThat(card.getString("indicator")).isEqualTo("warning");
        assertThat(card.getString("detail")).contains("- Open engagement alerts: 1",
                "- Recovery capital (BARC-10, 10 to 60): 41 on ", "+12 since the first score, 29 on ");
    }

    @Test
    void prefetchedScoresAndAlertsAreUsedAsTheEhrSentThem() {
        String patient = "ehr-only-" + UUID.randomUUID();
        String score = "{\"resourceType\":\"Observation\",\"id\":\"%s\",\"status\":\"final\",\"code\":{\"coding\":[{"
                + "\"system\":\"" + BASE + "/CodeSystem/recovery-capital\",\"code\":\"barc-10-total\"}]},"
                + "\"effectiveDateTime\":\"%s\",\"valueInteger\":%d}";
        String alert = "{\"resourceType\":\"Task\",\"id\":\"t1\",\"status\":\"in-progress\",\"intent\":\"order\","
                + "\"code\":{\"coding\":[{\"system\":\"" + BASE + "/CodeSystem/engagement-alert\","
                + "\"code\":\"no-peer-contact\"}]}}";
        String prefetch = "{\"firstRecoveryScore\":{\"resourceType\":\"Bundle\",\"type\":\"searchset\",\"entry\":[{"
                + "\"resource\":" + String.format(score, "o1", "2026-01-05T10:00:00Z", 22) + "}]},"
                + "\"latestRecoveryScore\":{\"resourceType\":\"Bundle\",\"type\":\"searchset\",\"entry\":[{"
                + "\"resource\":" + String.format(score, "o2", "2026-06-05T10:00:00Z", 30) + "}]},"
                + "\"engagementAlerts\":{\"resourceType\":\"Bundle\",\"type\":\"searchset\",\"entry\":[{"
                + "\"resource\":" + alert + "}]}}";
        JsonArray cards = cards(call(patientView(patient, prefetch)));
        assertThat(cards).hasSize(1);
        JsonObject card = cards.getJsonObject(0);
        assertThat(card.getString("summary")).isEqualTo("engagement alert open; BARC-10 30 (+8)");
        assertThat(card.getString("detail")).contains("- Recovery capital (BARC-10, 10 to 60): 30 on 2026-06-05, +8 "
                + "since the first score, 22 on 2026-01-05", "- Open engagement alerts: 1");
    }

    private static String consent(String patient) {
        String act = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
        return "{\"resourceType\":\"Consent\",\"status\":\"active\",\"scope\":{\"coding\":[{\"system\":"
                + "\"http://terminology.hl7.org/CodeSystem/consentscope\",\"code\":\"patient-privacy\"}]},"
                + "\"category\":[{\"coding\":[{\"system\":\"" + act + "\",\"code\":\"IDSCL\"}]}],"
                + "\"patient\":{\"reference\":\"Patient/" + patient + "\"},"
                + "\"policy\":[{\"uri\":\"https://www.ecfr.gov/current/title-42/chapter-I/subchapter-A/part-2\"}],"
                + "\"provision\":{\"type\":\"permit\",\"actor\":[{\"role\":{\"coding\":[{\"system\":"
                + "\"http://terminology.hl7.org/CodeSystem/v3-ParticipationType\",\"code\":\"IRCP\"}]},"
                + "\"reference\":{\"identifier\":{\"system\":\"urn:ietf:params:oauth:client-id\",\"value\":\""
                + EHR_CLIENT + "\"}}}],\"purpose\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/v3-ActReason\","
                + "\"code\":\"TREAT\"}],\"securityLabel\":[{\"system\":\"" + act + "\",\"code\":\"SUD\"}]}}";
    }

    @Test
    void everyWayTheEhrsJwtCanBeWrongIsA401() throws Exception {
        String body = patientView(scene(true).patient(), null);
        Instant now = Instant.now();
        JWTClaimsSet valid = EHR.claims(URL).build();
        java.util.Map<String, String> bad = new java.util.LinkedHashMap<>();
        bad.put("no token", null);
        bad.put("not a JWT", "not-a-jwt");
        bad.put("forged signature", EHR.forged(URL));
        bad.put("untrusted issuer", EHR.jwt(new JWTClaimsSet.Builder(valid).issuer("https://rogue.example/ehr")
                .jwtID(UUID.randomUUID().toString()).build()));
        bad.put("audience of another URL", EHR.jwt(FhirServer.baseUrl() + "/cds-services/other"));
        bad.put("audience of the FHIR endpoint", EHR.jwt(FhirServer.fhirBase()));
        bad.put("expired", EHR.jwt(new JWTClaimsSet.Builder(valid).issueTime(Date.from(now.minusSeconds(600)))
                .expirationTime(Date.from(now.minusSeconds(120))).jwtID(UUID.randomUUID().toString()).build()));
        bad.put("valid for an hour", EHR.jwt(new JWTClaimsSet.Builder(valid)
                .expirationTime(Date.from(now.plusSeconds(3600))).jwtID(UUID.randomUUID().toString()).build()));
        bad.put("issued in the future", EHR.jwt(new JWTClaimsSet.Builder(valid)
                .issueTime(Date.from(now.plusSeconds(240))).jwtID(UUID.randomUUID().toString()).build()));
        bad.put("no jti", EHR.jwt(new JWTClaimsSet.Builder(valid).jwtID(null).build()));
        bad.put("no sub", EHR.jwt(new JWTClaimsSet.Builder(valid).subject(null)
                .jwtID(UUID.randomUUID().toString()).build()));
        bad.put("jku not allowed", EHR.jwtWithJku(URL, false));
        bad.put("unsigned (alg none)", new PlainJWT(new PlainHeader(), valid).serialize());
        bad.put("shared secret (HS256)", hmac(valid));
        for (var entry : bad.entrySet()) {
            HttpResponse<String> response = CdsEhr.post(URL, entry.getValue(), body);
            assertThat(response.statusCode()).as(entry.getKey()).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate")).as(entry.getKey()).hasValue("Bearer");
            assertThat(json(response.body()).getString("resourceType")).isEqualTo("OperationOutcome");
        }
        // the same JWT twice: the second use is a replay
        String once = EHR.jwt(URL);
        assertThat(CdsEhr.post(URL, once, body).statusCode()).isEqualTo(200);
        assertThat(CdsEhr.post(URL, once, body).statusCode()).isEqualTo(401);
        // a jku the configuration lists is fetched and trusted
        assertThat(CdsEhr.post(URL, EHR.jwtWithJku(URL, true), body).statusCode()).isEqualTo(200);
        // the development authorization server mints a JWT for local use
        String dev = json(FhirServer.send("GET", FhirServer.baseUrl() + "/auth/cds-client-token?aud=" + URL, null,
                null, "Authorization", "").body()).getString("jwt");
        assertThat(CdsEhr.post(URL, dev, body).statusCode()).isEqualTo(200);
    }

    private static String hmac(JWTClaimsSet claims) throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new MACSigner(new byte[32]));
        return jwt.serialize();
    }

    @Test
    void aBodyThatIsNotAPatientViewRequestIsA400AndAnUnknownServiceA404() {
        for (String body : new String[] {"not json", "[]", "{\"hook\":\"patient-view\",\"context\":{\"patientId\":\"1\"}}",
                patientView("1", null).replace("\"hook\":\"patient-view\"", "\"hook\":\"order-sign\""),
                patientView("a b", null), patientView("1", "[1]"),
                patientView("1", "{\"peerAssignments\":{\"resourceType\":\"Patient\"}}")}) {
            HttpResponse<String> response = call(body);
            assertThat(response.statusCode()).as(body).isEqualTo(400);
            assertThat(json(response.body()).getString("resourceType")).isEqualTo("OperationOutcome");
        }
        String unknown = FhirServer.baseUrl() + "/cds-services/no-such-service";
        assertThat(CdsEhr.post(unknown, EHR.jwt(unknown), patientView("1", null)).statusCode()).isEqualTo(404);
        assertThat(FhirServer.send("GET", URL, null, null, "Authorization", "").statusCode()).isEqualTo(405);
    }

    @Test
    void theGuidesCdsHooksExamplesRunAsWritten() throws Exception {
        String run = "cds-" + UUID.randomUUID().toString().substring(0, 8);
        String output = GuideScript.run(GuideScript.blocks(GuideScript.read("docs/ehr-integration.md", "CDS Hooks")),
                run);
        assertThat(output).contains(SERVICE + " on patient-view", "Peer mentor Jordan Reyes: no contact on record",
                "{\"carePlan\":\"CarePlan/plan-" + run + "\"}");
    }

    @Test
    void feedbackOnACardIsAcknowledged() {
        String feedbackUrl = URL + "/feedback";
        String feedback = "{\"feedback\":[{\"card\":\"" + UUID.randomUUID() + "\",\"outcome\":\"overridden\","
                + "\"outcomeTimestamp\":\"" + Instant.now() + "\"}]}";
        assertThat(CdsEhr.post(feedbackUrl, EHR.jwt(feedbackUrl), feedback).statusCode()).isEqualTo(200);
        assertThat(CdsEhr.post(feedbackUrl, EHR.jwt(URL), feedback).statusCode()).isEqualTo(401);
        assertThat(CdsEhr.post(feedbackUrl, EHR.jwt(feedbackUrl), "{\"feedback\":[{\"card\":\"x\"}]}").statusCode())
                .isEqualTo(400);
    }

    // --- encounter-discharge: the referral suggestion -------------------------------------------------------------

    private static String discharge(String patient, String user, String prefetch) {
        return "{\"hookInstance\":\"" + UUID.randomUUID() + "\",\"hook\":\"encounter-discharge\",\"context\":{"
                + "\"userId\":\"" + user + "\",\"patientId\":\"" + patient + "\",\"encounterId\":\"enc-1\"}"
                + (prefetch == null ? "" : ",\"prefetch\":" + prefetch) + "}";
    }

    private static HttpResponse<String> callReferral(String body) {
        return CdsEhr.post(REFERRAL_URL, EHR.jwt(REFERRAL_URL), body);
    }

    private static HttpResponse<String> accepted(String card, String suggestion) {
        String url = REFERRAL_URL + "/feedback";
        return CdsEhr.post(url, EHR.jwt(url), "{\"feedback\":[{\"card\":\"" + card + "\",\"outcome\":\"accepted\","
                + "\"acceptedSuggestions\":[{\"id\":\"" + suggestion + "\"}],\"outcomeTimestamp\":\""
                + Instant.now() + "\"}]}");
    }

    @Test
    void aPersonLeavingWithoutAMentorGetsTheBestMatchSuggestedAndAcceptingItAssignsThem() {
        Scene scene = scene(false);
        JsonArray cards = cards(callReferral(discharge(scene.patient(), scene.clinician(), null)));
        assertThat(cards).hasSize(1);
        JsonObject card = cards.getJsonObject(0);
        assertThat(card.getString("summary")).isEqualTo("No peer mentor yet: refer to peer support before discharge");
        assertThat(card.getString("detail")).contains("a substance use condition", "Best match: **" + scene.mentorName());
        assertThat(card.getString("selectionBehavior")).isEqualTo("at-most-one");
        JsonObject suggestion = card.getJsonArray("suggestions").getJsonObject(0);
        assertThat(suggestion.keySet()).isSubsetOf("label", "uuid", "isRecommended", "actions");
        assertThat(suggestion.getString("label")).isEqualTo("Assign " + scene.mentorName() + " as peer mentor");
        JsonObject action = suggestion.getJsonArray("actions").getJsonObject(0);
        assertThat(action.getString("type")).isEqualTo("create");
        JsonObject referral = action.getJsonObject("resource");
        assertThat(referral.getString("resourceType")).isEqualTo("ServiceRequest");
        assertThat(referral.getJsonArray("performer").getJsonObject(0).getString("reference")).isEqualTo(scene.peer());
        assertThat(referral.getJsonObject("requester").getString("reference")).isEqualTo(scene.clinician());
        // the referral the EHR would record is a valid FHIR ServiceRequest
        FhirServer.FHIR.newJsonParser().parseResource(org.hl7.fhir.r4.model.ServiceRequest.class, referral.toString());

        // nothing is assigned until the EHR reports the suggestion accepted
        assertThat(cards(call(patientView(scene.patient(), null)))).isEmpty();
        HttpResponse<String> feedback = accepted(card.getString("uuid"), suggestion.getString("uuid"));
        assertThat(feedback.statusCode()).as(feedback.body()).isEqualTo(200);
        JsonObject view = cards(call(patientView(scene.patient(), null))).getJsonObject(0);
        assertThat(view.getString("summary")).startsWith("Peer mentor " + scene.mentorName() + ": ");
        Bundle assignments = CLIENT.search().byUrl("ServiceRequest?patient=Patient/" + scene.patient()
                + "&status=active").returnBundle(Bundle.class).execute();
        assertThat(assignments.getEntry()).hasSize(1);
        assertThat(((org.hl7.fhir.r4.model.ServiceRequest) assignments.getEntryFirstRep().getResource())
                .getRequester().getReference()).isEqualTo(scene.clinician());

        // a suggestion is carried out once; now that there is a mentor, discharge has nothing to suggest
        assertThat(accepted(card.getString("uuid"), suggestion.getString("uuid")).statusCode()).isEqualTo(404);
        assertThat(cards(callReferral(discharge(scene.patient(), scene.clinician(), null)))).isEmpty();
    }

    @Test
    void theEhrsPrefetchedConditionsAndAssignmentsDecideWhetherAReferralIsDue() {
        Scene scene = scene(false);
        String diabetes = "{\"conditions\":{\"resourceType\":\"Bundle\",\"type\":\"searchset\",\"entry\":[{"
                + "\"resource\":{\"resourceType\":\"Condition\",\"subject\":{\"reference\":\"Patient/"
                + scene.patient() + "\"},\"code\":{\"coding\":[{\"system\":\"http://hl7.org/fhir/sid/icd-10-cm\","
                + "\"code\":\"E11.9\"}]}}}]}}";
        // the EHR's conditions replace what the plan in Alongside addresses
        assertThat(cards(callReferral(discharge(scene.patient(), scene.clinician(), diabetes)))).isEmpty();
        String depression = diabetes.replace("E11.9", "F33.1");
        JsonObject card = cards(callReferral(discharge(scene.patient(), scene.clinician(), depression)))
                .getJsonObject(0);
        assertThat(card.getString("detail")).contains("a mental health condition");
        String mentored = depression.substring(0, depression.length() - 1) + ",\"peerAssignments\":{"
                + "\"resourceType\":\"Bundle\",\"type\":\"searchset\",\"entry\":[{\"resource\":{"
                + "\"resourceType\":\"ServiceRequest\",\"status\":\"active\",\"intent\":\"order\","
                + "\"code\":{\"coding\":[{\"system\":\"http://snomed.info/sct\",\"code\":\"461481000124109\"}]},"
                + "\"subject\":{\"reference\":\"Patient/" + scene.patient() + "\"},"
                + "\"performer\":[{\"display\":\"A peer at another program\"}]}}]}}";
        assertThat(cards(callReferral(discharge(scene.patient(), scene.clinician(), mentored)))).isEmpty();
    }

    @Test
    void anEhrWithReadScopesOnlyIsToldAReferralIsDueButOfferedNoAssignment() {
        Scene scene = scene(false);
        // the development issuer is trusted with system/*.rs: it may not rank or assign peers
        String dev = json(FhirServer.send("GET", FhirServer.baseUrl() + "/auth/cds-client-token?aud=" + REFERRAL_URL,
                null, null, "Authorization", "").body()).getString("jwt");
        JsonObject card = cards(CdsEhr.post(REFERRAL_URL, dev, discharge(scene.patient(), scene.clinician(), null)))
                .getJsonObject(0);
        assertThat(card.containsKey("suggestions")).isFalse();
        assertThat(card.getString("detail")).doesNotContain(scene.mentorName());
        assertThat(json(card.getJsonArray("links").getJsonObject(0).getString("appContext")).getString("carePlan"))
                .isEqualTo(scene.plan());
    }
}
