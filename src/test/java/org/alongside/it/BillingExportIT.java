package org.alongside.it;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.UUID;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.ChargeItem;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.PositiveIntType;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Signature;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code $billing-export} over HTTP, as an EHR's billing system (HAPI's generic client, ChargeItems) and billing staff
 * (plain HTTP, CSV) would call it. One Organization of this run, a peer with an NPI, a supervisor who co-signs, and
 * three people in March 2025: Maria (plan addresses F11.20, consented to disclosure for payment), Kim (same plan, no
 * consent: the test servers run in Part 2 mode, so her sessions are Part 2 records) and Lee (a plan without a
 * diagnosis). Every rule leaves its trace: co-signed or not, no diagnosis, the Organization's daily cap of 8 units,
 * telehealth and group modifiers, the ends of the period, a session changed after its co-signature, Part 2 consent;
 * who may run it; the disclosure it leaves in the audit trail; bad parameters.
 */
class BillingExportIT {

    static final String BASE = "http://alongside.health/fhir";
    static final String HCPCS = "http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets";
    static final String ICD10 = "http://hl7.org/fhir/sid/icd-10-cm";
    static final String NPI = "http://hl7.org/fhir/sid/us-npi";
    static final String EXCLUSION = BASE + "/StructureDefinition/billing-exclusion-reason";
    static final String MODIFIER = BASE + "/StructureDefinition/billing-modifier";
    static final String PLACE = BASE + "/StructureDefinition/place-of-service";
    static final String PARTICIPANT_TYPE = "http://terminology.hl7.org/CodeSystem/provenance-participant-type";
    static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    static final IGenericClient EHR = FhirServer.client();

    static String org;
    static String clinician;
    static String peerRole;
    static String supervisorRole;
    static String maria;
    static String kim;
    static String lee;
    /** Session name → Encounter id (a group session: name/patient). */
    static final Map<String, String> SESSIONS = new java.util.concurrent.ConcurrentHashMap<>();

    @BeforeAll
    static void march() {
        Organization organization = new Organization().setName("Riverside Recovery " + RUN);
        organization.addExtension(BASE + "/StructureDefinition/billing-daily-unit-cap", new PositiveIntType(8));
        org = create(organization);
        clinician = create(new Practitioner().addName(new HumanName().setText("Dr. Chen " + RUN)));
        String jordan = create(new Practitioner().addName(new HumanName().setText("Jordan " + RUN))
                .addIdentifier(new Identifier().setSystem(NPI).setValue("1234567893")));
        String sam = create(new Practitioner().addName(new HumanName().setText("Sam " + RUN))
                .addIdentifier(new Identifier().setSystem(NPI).setValue("1245319599")));
        supervisorRole = peerRole(sam, null);
        peerRole = peerRole(jordan, supervisorRole);

        maria = person("Lopez", "F11.20", true, true);
        kim = person("Kim", "F11.20", false, false);
        lee = person("Lee", null, true, false);

        session("video", maria, "2025-03-03T10:00:00Z", 40, "video", true);
        session("unsigned", maria, "2025-03-04T10:00:00Z", 30, "in-person", false);
        group("group", "2025-03-05T10:00:00Z", 60, maria, kim);
        session("no-diagnosis", lee, "2025-03-06T10:00:00Z", 30, "phone", true);
        session("phone", maria, "2025-03-10T09:00:00Z", 90, "phone", true);
        session("over-cap", maria, "2025-03-10T11:00:00Z", 60, "video", true);
        session("edited", maria, "2025-03-12T10:00:00Z", 30, "in-person", true);
        session("last-day", maria, "2025-03-31T23:30:00Z", 25, "in-person", true);
        session("before", maria, "2025-02-28T23:00:00Z", 30, "in-person", true);
        session("after", maria, "2025-04-01T00:10:00Z", 30, "in-person", true);
        // co-signed, then changed: the signature is on version 1, the session is at version 2
        Encounter edited = EHR.read().resource(Encounter.class).withId(SESSIONS.get("edited")).execute();
        edited.addLocation().setLocation(new Reference().setDisplay("Library meeting room"));
        EHR.update().resource(edited).execute();
    }

    // ================================================================== the FHIR form

    @Test
    void theBillingSystemGetsABillableChargeItemPerCoSignedSessionAndTheReasonForEachExcludedOne() {
        Bundle bundle = export(EHR, new IdType("Organization", org), "2025-03-01", "2025-03-31");
        assertThat(bundle.getType()).isEqualTo(Bundle.BundleType.COLLECTION);
        Map<String, ChargeItem> items = byEncounter(bundle);

        assertThat(billable(items)).containsOnlyKeys(id("video"), id("group/" + maria), id("phone"), id("last-day"));
        assertThat(notBillable(items)).containsOnly(
                Map.entry(id("unsigned"), "not-cosigned"),
                Map.entry(id("group/" + kim), "no-payment-consent"),
                Map.entry(id("no-diagnosis"), "no-diagnosis"),
                Map.entry(id("over-cap"), "over-daily-cap"),
                Map.entry(id("edited"), "changed-after-cosignature"));
        assertThat(items).as("outside the period: not mentioned").doesNotContainKeys(id("before"), id("after"));

        ChargeItem video = items.get(id("video"));
        assertThat(video.getCode().hasCoding(HCPCS, "H0038")).isTrue();
        assertThat(video.getSubject().getReference()).isEqualTo("Patient/" + maria);
        assertThat(video.getSubject().getIdentifier().getValue()).isEqualTo("mrn-Lopez-" + RUN);
        assertThat(video.getQuantity().getValue().intValue()).isEqualTo(3);
        assertThat(codes(video, MODIFIER)).containsExactly("95");
        assertThat(codes(video, PLACE)).containsExactly("02");
        assertThat(video.getReason()).extracting(r -> r.getCodingFirstRep().getSystem() + "|" + r.getCodingFirstRep()
                .getCode()).containsExactly(ICD10 + "|F11.20");
        assertThat(video.getPerformer()).extracting(p -> p.getFunction().getCodingFirstRep().getCode() + " "
                + p.getActor().getReference() + " " + p.getActor().getIdentifier().getValue())
                .containsExactly("primary PractitionerRole/" + peerRole + " 1234567893",
                        "supervisor PractitionerRole/" + supervisorRole + " 1245319599");
        assertThat(video.getOccurrencePeriod().getStart()).isEqualTo(Date.from(Instant.parse("2025-03-03T10:00:00Z")));

        assertThat(codes(items.get(id("group/" + maria)), MODIFIER)).containsExactly("HQ");
        assertThat(codes(items.get(id("group/" + maria)), PLACE)).containsExactly("11");
        assertThat(items.get(id("group/" + maria)).getQuantity().getValue().intValue()).isEqualTo(4);
        assertThat(codes(items.get(id("phone")), MODIFIER)).containsExactly("93");
        assertThat(items.get(id("phone")).getQuantity().getValue().intValue()).isEqualTo(6);
        // 6 units billed that day, the 4 more of the video session would exceed the Organization's cap of 8
        assertThat(items.get(id("over-cap")).getNoteFirstRep().getText()).contains("cap of 8");
        assertThat(items.get(id("last-day")).getQuantity().getValue().intValue()).isEqualTo(2);
    }

    @Test
    void atTheTypeLevelEveryOrganizationsSessionsAreExportedEachUnderItsOwnCap() {
        Bundle bundle = export(EHR, null, "2025-03-01", "2025-03-31");
        Map<String, ChargeItem> items = byEncounter(bundle);
        assertThat(billable(items)).containsKeys(id("video"), id("group/" + maria), id("phone"), id("last-day"));
        assertThat(notBillable(items)).contains(Map.entry(id("over-cap"), "over-daily-cap"),
                Map.entry(id("unsigned"), "not-cosigned"));
    }

    @Test
    void aPeriodOfOneDayHoldsOnlyThatDaysSessions() {
        Map<String, ChargeItem> items = byEncounter(export(EHR, new IdType("Organization", org), "2025-03-31",
                "2025-03-31"));
        assertThat(items).containsOnlyKeys(id("last-day"));
        assertThat(byEncounter(export(EHR, new IdType("Organization", org), "2025-04-01", "2025-04-30")))
                .containsOnlyKeys(id("after"));
    }

    // ================================================================== the CSV form

    @Test
    void billingStaffGetTheSameExportAsCsvByAcceptOrFormat() {
        String path = "/Organization/" + org + "/$billing-export?start=2025-03-01&end=2025-03-31";
        HttpResponse<String> byAccept = FhirServer.get(path, "Accept", "text/csv");
        assertThat(byAccept.statusCode()).as(byAccept.body()).isEqualTo(200);
        assertThat(byAccept.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/csv");
        HttpResponse<String> byFormat = FhirServer.get(path + "&_format=csv");
        assertThat(byFormat.statusCode()).isEqualTo(200);
        assertThat(byFormat.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/csv");
        assertThat(byFormat.body()).isEqualTo(byAccept.body());

        List<String> rows = Arrays.asList(byAccept.body().split("\r\n"));
        assertThat(rows.get(0)).startsWith("status,exclusion_reason,service_date,hcpcs,modifier_1,modifier_2,units,");
        assertThat(rows.subList(1, rows.size())).hasSize(9);
        assertThat(rows).filteredOn(r -> r.startsWith("billable,")).hasSize(4);
        assertThat(rows).filteredOn(r -> r.startsWith("excluded,")).hasSize(5);
        assertThat(row(rows, id("video"))).startsWith("billable,,2025-03-03,H0038,95,,3,02,video,F11.20,Patient/"
                + maria + ",urn:oid:2.16.840.1.113883.19.5|mrn-Lopez-" + RUN + ",Lopez " + RUN + ",1234567893,PractitionerRole/" + peerRole
                + ",1245319599,PractitionerRole/" + supervisorRole + ",2025-03-03T10:00:00Z,2025-03-03T10:40:00Z,");
        assertThat(row(rows, id("group/" + maria))).startsWith("billable,,2025-03-05,H0038,HQ,,4,11,in-person,");
        assertThat(row(rows, id("unsigned"))).startsWith("excluded,not-cosigned,2025-03-04,H0038,,,2,,in-person,");
        assertThat(row(rows, id("group/" + kim))).startsWith("excluded,no-payment-consent,2025-03-05,");
        assertThat(byAccept.body()).doesNotContain(id("before"), id("after"));
    }

    // ================================================================== who may run it

    @Test
    void aPeerSpecialistAnAdministratorAndATokenWithoutTheScopesItNeedsAreRefused() {
        String path = "/Organization/" + org + "/$billing-export?start=2025-03-01&end=2025-03-31";
        String peer = FhirServer.token("peer-specialist", "Practitioner/" + practitionerOf(peerRole), "user/*.cruds", null);
        assertRefused(FhirServer.get(path, "Authorization", "Bearer " + peer), "clinicians, supervisors and EHR systems");
        String admin = FhirServer.token("admin", "Practitioner/admin-" + RUN, "user/*.cruds", null);
        assertRefused(FhirServer.get(path, "Authorization", "Bearer " + admin), "clinicians, supervisors and EHR systems");
        String sessionsOnly = FhirServer.token("ehr-system", null, "system/Encounter.rs system/Patient.rs", null);
        assertRefused(FhirServer.get(path, "Authorization", "Bearer " + sessionsOnly), "scopes");
        assertThat(FhirServer.get(path, "Authorization", "").statusCode()).isEqualTo(401);
    }

    @Test
    void aClinicianExportsOnlyTheSessionsOfThePeopleOnWhoseCareTeamTheyServe() {
        IGenericClient chen = FhirServer.clientWith(FhirServer.token("clinician", "Practitioner/" + clinician,
                "user/*.cruds", null));
        Map<String, ChargeItem> items = byEncounter(export(chen, new IdType("Organization", org), "2025-03-01",
                "2025-03-31"));
        assertThat(items).isNotEmpty();
        assertThat(items.values()).allMatch(i -> i.getSubject().getReference().equals("Patient/" + maria));
        assertThat(billable(items)).containsOnlyKeys(id("video"), id("group/" + maria), id("phone"), id("last-day"));
    }

    // ================================================================== the audit trail

    @Test
    void theExportIsAuditedAsADisclosureForPaymentOfTheBilledSessionsOnly() {
        String requestId = UUID.randomUUID().toString();
        exportCall(EHR, new IdType("Organization", org), "2025-03-01", "2025-03-31")
                .withAdditionalHeader("X-Request-ID", requestId).execute();
        List<AuditEvent> marias = paymentDisclosures(maria).stream()
                .filter(e -> requestId.equals(requestIdOf(e))).toList();
        assertThat(marias).as("one disclosure for payment, of this request").hasSize(1);
        AuditEvent latest = marias.get(0);
        assertThat(latest.getEntity()).extracting(e -> e.getWhat().getReference())
                .contains("Encounter/" + id("video"), "Encounter/" + id("phone"), "Patient/" + maria)
                .doesNotContain("Encounter/" + id("unsigned"), "Encounter/" + id("over-cap"));
        assertThat(latest.getSubtype()).extracting(Coding::getCode).contains("disclosure");
        // nothing of Kim's was billed out (no consent), and of Lee's nothing either (no diagnosis)
        assertThat(paymentDisclosures(kim)).isEmpty();
        assertThat(paymentDisclosures(lee)).isEmpty();
    }

    // ================================================================== bad input

    @Test
    void badParametersAreA400OperationOutcomeAndAnUnknownOrganizationA404() {
        String base = "/Organization/" + org + "/$billing-export";
        assertOutcome(FhirServer.get(base + "?start=2025-03-31&end=2025-03-01"), 400, "before");
        assertOutcome(FhirServer.get(base + "?start=2025-03-01"), 400, "end");
        assertOutcome(FhirServer.get(base + "?start=2025-03&end=2025-03-31"), 400, "start");
        assertOutcome(FhirServer.get(base + "?start=2025-03-01&end=2025-13-01"), 400, "end");
        assertOutcome(FhirServer.get(base + "?start=2024-01-01&end=2025-03-31"), 400, "days");
        assertOutcome(FhirServer.get(base + "?start=2025-03-01&end=2025-03-31&organization=x"), 400, "organization");
        assertOutcome(FhirServer.get("/Organization/no-such-" + RUN + "/$billing-export?start=2025-03-01&end=2025-03-31"),
                404, null);
        assertOutcome(FhirServer.send("POST", base, "application/fhir+json",
                "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"start\",\"valueString\":\"x\"},"
                        + "{\"name\":\"end\",\"valueDate\":\"2025-03-31\"}]}"), 400, "start");
    }

    @Test
    void theCapabilityStatementDeclaresTheOperationOnOrganization() {
        CapabilityStatement capability = EHR.capabilities().ofType(CapabilityStatement.class).execute();
        assertThat(capability.getRestFirstRep().getResource()).filteredOn(r -> r.getType().equals("Organization"))
                .singleElement().satisfies(r -> assertThat(r.getOperation()).extracting(o -> o.getName())
                        .contains("billing-export"));
    }

    @Test
    void theEhrIntegrationGuidesSectionRunsAsWritten() throws Exception {
        String run = "billing-" + RUN;
        String output = GuideScript.run(GuideScript.blocks(GuideScript.read("docs/ehr-integration.md",
                "Billing export")), run);
        String day = java.time.LocalDate.now(java.time.ZoneOffset.UTC).minusDays(1).toString();
        assertThat(output).contains("status,exclusion_reason,service_date,hcpcs,modifier_1,modifier_2,units,"
                        + "place_of_service,modality,diagnoses")
                .contains("billable,," + day + ",H0038,95,,3,02,video,F11.20")
                .contains("excluded,not-cosigned," + day + ",H0038,,,1,,phone,F11.20")
                .contains("billable 3 -", "not-billable 1 not-cosigned");
    }

    // ================================================================== scene

    static String create(Resource resource) {
        return EHR.create().resource(resource).execute().getId().getIdPart();
    }

    static String peerRole(String practitioner, String supervisor) {
        PractitionerRole role = new PractitionerRole().setActive(true)
                .setPractitioner(new Reference("Practitioner/" + practitioner))
                .setOrganization(new Reference("Organization/" + org));
        role.addCode().addCoding(new Coding("http://nucc.org/provider-taxonomy", "175T00000X", "Peer Specialist"));
        if (supervisor != null) {
            role.addExtension(BASE + "/StructureDefinition/supervised-by", new Reference("PractitionerRole/" + supervisor));
        }
        return create(role);
    }

    static String practitionerOf(String role) {
        return EHR.read().resource(PractitionerRole.class).withId(role).execute().getPractitioner().getReferenceElement()
                .getIdPart();
    }

    /** A person on a care team of the clinician (Maria only) with a plan, the peer assigned from 20 February 2025. */
    static String person(String family, String diagnosis, boolean consentToPayment, boolean clinicianServes) {
        String id = create(new Patient().addName(new HumanName().setFamily(family + " " + RUN))
                .addIdentifier(new Identifier().setSystem("urn:oid:2.16.840.1.113883.19.5").setValue("mrn-" + family
                        + "-" + RUN)));
        if (clinicianServes) {
            CareTeam team = new CareTeam().setStatus(CareTeam.CareTeamStatus.ACTIVE)
                    .setSubject(new Reference("Patient/" + id));
            team.addParticipant().setMember(new Reference("Practitioner/" + clinician));
            create(team);
        }
        CarePlan plan = new CarePlan().setStatus(CarePlan.CarePlanStatus.ACTIVE).setIntent(CarePlan.CarePlanIntent.PLAN)
                .setSubject(new Reference("Patient/" + id));
        if (diagnosis != null) {
            Condition condition = new Condition().setCode(new CodeableConcept(new Coding(ICD10, diagnosis, null)))
                    .setSubject(new Reference("Patient/" + id));
            condition.setId("dx");
            plan.addContained(condition);
            plan.addAddresses(new Reference("#dx"));
        }
        String planId = create(plan);
        EHR.operation().onInstance(new IdType("CarePlan", planId)).named("$assign-peer-mentor")
                .withParameters(new Parameters()
                        .addParameter("peer", new Reference("PractitionerRole/" + peerRole))
                        .addParameter("assigner", new Reference("Practitioner/" + clinician))
                        .addParameter("start", new DateType("2025-02-20")))
                .returnResourceType(Bundle.class).execute();
        if (consentToPayment) {
            HttpResponse<String> consent = FhirServer.send("POST", "/Consent", "application/fhir+json",
                    "{\"resourceType\":\"Consent\",\"status\":\"active\","
                            + "\"scope\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/consentscope\","
                            + "\"code\":\"patient-privacy\"}]},"
                            + "\"category\":[{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/v3-ActCode\","
                            + "\"code\":\"IDSCL\"}]}],\"patient\":{\"reference\":\"Patient/" + id + "\"},"
                            + "\"policy\":[{\"uri\":\"https://www.ecfr.gov/current/title-42/chapter-I/subchapter-A/part-2\"}],"
                            + "\"provision\":{\"type\":\"permit\",\"period\":{\"start\":\"2025-01-01\"},"
                            + "\"actor\":[{\"role\":{\"coding\":[{\"system\":"
                            + "\"http://terminology.hl7.org/CodeSystem/v3-ParticipationType\",\"code\":\"IRCP\"}]},"
                            + "\"reference\":{\"display\":\"State Medicaid agency\"}}],"
                            + "\"purpose\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/v3-ActReason\","
                            + "\"code\":\"TREAT\"},{\"system\":\"http://terminology.hl7.org/CodeSystem/v3-ActReason\","
                            + "\"code\":\"HPAYMT\"}]}}");
            assertThat(consent.statusCode()).as(consent.body()).isEqualTo(201);
        }
        return id;
    }

    /** A session recorded as the peer's app would; co-signed by the supervisor on its first version when asked. */
    static void session(String name, String patient, String start, int minutes, String modality, boolean cosign) {
        Bundle written = record(List.of(patient), start, minutes, modality);
        Encounter encounter = encounters(written).get(0);
        SESSIONS.put(name, encounter.getIdElement().getIdPart());
        if (cosign) {
            cosign(encounter);
        }
    }

    /** A group session of several people; each person's Encounter is co-signed. */
    static void group(String name, String start, int minutes, String... patients) {
        Bundle written = record(List.of(patients), start, minutes, "in-person");
        for (Encounter encounter : encounters(written)) {
            SESSIONS.put(name + "/" + encounter.getSubject().getReferenceElement().getIdPart(),
                    encounter.getIdElement().getIdPart());
            cosign(encounter);
        }
    }

    static Bundle record(List<String> patients, String start, int minutes, String modality) {
        Instant from = Instant.parse(start);
        Parameters params = new Parameters();
        patients.forEach(p -> params.addParameter().setName("patient").setValue(new Reference("Patient/" + p)));
        params.addParameter().setName("peer").setValue(new Reference("PractitionerRole/" + peerRole));
        params.addParameter().setName("start").setValue(utc(from));
        params.addParameter().setName("end").setValue(utc(from.plusSeconds(minutes * 60L)));
        params.addParameter().setName("modality").setValue(new StringType(modality));
        params.addParameter().setName("whatWasDone").setValue(new StringType("Talked through the week"));
        params.addParameter().setName("focus").setValue(new Coding(BASE + "/CodeSystem/focus-area", "goal-setting", null));
        params.addParameter().setName("response").setValue(new StringType("Said the plan feels doable"));
        params.addParameter().setName("nextSteps").setValue(new StringType("Check in next week"));
        return EHR.operation().onType(Encounter.class).named("$record-peer-session").withParameters(params)
                .returnResourceType(Bundle.class).execute();
    }

    static List<Encounter> encounters(Bundle written) {
        return written.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                .filter(Encounter.class::isInstance).map(Encounter.class::cast).toList();
    }

    static void cosign(Encounter encounter) {
        Provenance provenance = new Provenance().setRecorded(new Date());
        String version = encounter.getMeta().hasVersionId() ? encounter.getMeta().getVersionId()
                : encounter.getIdElement().getVersionIdPart();
        provenance.addTarget(new Reference("Encounter/" + encounter.getIdElement().getIdPart() + "/_history/"
                + version));
        provenance.addAgent().setType(new CodeableConcept(new Coding(PARTICIPANT_TYPE, "author", null)))
                .setWho(new Reference("PractitionerRole/" + peerRole));
        provenance.addAgent().setType(new CodeableConcept(new Coding(PARTICIPANT_TYPE, "verifier", null)))
                .setWho(new Reference("PractitionerRole/" + supervisorRole));
        provenance.addSignature(new Signature().addType(new Coding("urn:iso-astm:E1762-95:2013",
                "1.2.840.10065.1.12.1.5", null)).setWhen(new Date())
                .setWho(new Reference("PractitionerRole/" + supervisorRole)).setSigFormat("text/plain")
                .setData("U2Ft".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        // the signature is on this version: HAPI's client would strip the version from the reference when encoding
        String json = FhirServer.FHIR.newJsonParser().setStripVersionsFromReferences(false)
                .encodeResourceToString(provenance);
        assertThat(json).contains("/_history/" + version);
        HttpResponse<String> created = FhirServer.send("POST", "/Provenance", "application/fhir+json", json);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }

    static DateTimeType utc(Instant instant) {
        return new DateTimeType(Date.from(instant), TemporalPrecisionEnum.SECOND, TimeZone.getTimeZone("UTC"));
    }

    // ================================================================== reading answers

    static String id(String session) {
        return SESSIONS.get(session);
    }

    static Bundle export(IGenericClient client, IdType organization, String start, String end) {
        return exportCall(client, organization, start, end).execute();
    }

    static ca.uhn.fhir.rest.gclient.IOperationUntypedWithInput<Bundle> exportCall(IGenericClient client,
                                                                                 IdType organization, String start,
                                                                                 String end) {
        Parameters params = new Parameters().addParameter("start", new DateType(start))
                .addParameter("end", new DateType(end));
        var operation = organization == null ? client.operation().onType(Organization.class)
                : client.operation().onInstance(organization);
        return operation.named("$billing-export").withParameters(params).useHttpGet().returnResourceType(Bundle.class);
    }

    static String requestIdOf(AuditEvent event) {
        return event.getEntity().stream().filter(e -> "XrequestId".equals(e.getType().getCode()))
                .map(e -> e.getWhat().getIdentifier().getValue()).findFirst().orElse(null);
    }

    /** The export's ChargeItems by the id of their session's Encounter. */
    static Map<String, ChargeItem> byEncounter(Bundle bundle) {
        return bundle.getEntry().stream().map(e -> (ChargeItem) e.getResource())
                .collect(Collectors.toMap(i -> i.getContext().getReferenceElement().getIdPart(), i -> i, (a, b) -> {
                    throw new AssertionError("two ChargeItems for one session");
                }));
    }

    static Map<String, ChargeItem> billable(Map<String, ChargeItem> items) {
        return items.entrySet().stream().filter(e -> e.getValue().getStatus() == ChargeItem.ChargeItemStatus.BILLABLE)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /** The not-billable items' sessions and reason codes. */
    static Map<String, String> notBillable(Map<String, ChargeItem> items) {
        return items.entrySet().stream()
                .filter(e -> e.getValue().getStatus() == ChargeItem.ChargeItemStatus.NOTBILLABLE)
                .collect(Collectors.toMap(Map.Entry::getKey,
                        e -> ((Coding) e.getValue().getExtensionByUrl(EXCLUSION).getValue()).getCode()));
    }

    static List<String> codes(ChargeItem item, String extension) {
        return item.getExtensionsByUrl(extension).stream().map(e -> ((Coding) e.getValue()).getCode()).toList();
    }

    static String row(List<String> rows, String encounterId) {
        return rows.stream().filter(r -> r.contains(",Encounter/" + encounterId + ",")).findFirst()
                .orElseThrow(() -> new AssertionError("no row for Encounter/" + encounterId));
    }

    /** The person's disclosures for payment, newest first. */
    static List<AuditEvent> paymentDisclosures(String patient) {
        Bundle accounting = EHR.operation().onInstance(new IdType("Patient", patient))
                .named("$accounting-of-disclosures").withNoParameters(Parameters.class).useHttpGet()
                .returnResourceType(Bundle.class).execute();
        return accounting.getEntry().stream().map(e -> (AuditEvent) e.getResource())
                .filter(e -> e.getPurposeOfEvent().stream().anyMatch(p -> p.hasCoding(
                        "http://terminology.hl7.org/CodeSystem/v3-ActReason", "HPAYMT")))
                .toList();
    }

    static void assertRefused(HttpResponse<String> response, String mentions) {
        assertOutcome(response, 403, mentions);
    }

    static void assertOutcome(HttpResponse<String> response, int status, String mentions) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.body()).contains("\"resourceType\":\"OperationOutcome\"");
        if (mentions != null) {
            assertThat(response.body()).contains(mentions);
        }
    }
}
