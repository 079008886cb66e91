package org.alongside.it;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Duration;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Goal;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code $program-report} over HTTP. One program of this run with two peers, Ana and Ben, and a supervisor, in February
 * and March 2025: three people mentored (Rivera and Okafor by Ana, Ng by Ben), peer sessions and an encouragement,
 * goals, BARC-10 scores, escalations and supervision, each figure known in advance. Who may run it (a program director
 * and EHR systems), that the director still reads no record about anyone, that the report names no one, that a
 * reader outside the Part 2 program (the test servers run in Part 2 mode) gets figures without Part 2 records, and bad
 * periods.
 */
class ProgramReportIT {

    static final String BASE = "http://alongside.health/fhir";
    static final String HCPCS = "http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets";
    static final String FIGURE = BASE + "/CodeSystem/program-report-figure";
    static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    static final IGenericClient EHR = FhirServer.client();
    static final YearMonth FEBRUARY = YearMonth.of(2025, 2);
    static final YearMonth MARCH = YearMonth.of(2025, 3);

    static String org;
    static String clinician;
    static String ana;
    static String ben;
    static String supervisor;
    static String rivera;
    static String okafor;
    static String ng;

    @BeforeAll
    static void februaryAndMarch() {
        org = create(new Organization().setName("Harbor Peer Program " + RUN));
        clinician = create(new Practitioner().addName(new HumanName().setText("Dr. Chen " + RUN)));
        ana = role(create(new Practitioner().addName(new HumanName().setText("Ana " + RUN))), true);
        ben = role(create(new Practitioner().addName(new HumanName().setText("Ben " + RUN))), true);
        supervisor = role(create(new Practitioner().addName(new HumanName().setText("Sam " + RUN))), false);

        rivera = mentee("Rivera", ana, "2025-02-10");
        okafor = mentee("Okafor", ana, "2025-03-05");
        ng = mentee("Ng", ben, "2025-03-01");

        // Ana: February 1 session (4 units); March 3 sessions (4 + 2 + 2 units) and one encouragement
        session(rivera, ana, "2025-02-24T10:00:00Z", 60);
        session(rivera, ana, "2025-03-03T10:00:00Z", 60); // 7 days after the last contact
        session(rivera, ana, "2025-03-13T10:00:00Z", 23); // 9.97 days after
        session(okafor, ana, "2025-03-10T10:00:00Z", 30);
        encouragement(okafor, ana, "2025-03-14T10:30:00Z"); // 4 days after
        // Ben: one session in March (3 units): a single contact gives no gap
        session(ng, ben, "2025-03-04T10:00:00Z", 45);

        goal(rivera, "achieved", "2025-03-20");
        goal(okafor, "in-progress", "2025-03-20");
        goal(ng, "achieved", "2025-02-15"); // before Ben mentored Ng

        score(rivera, ana, "2025-02-12T10:00:00Z", 3); // 30
        score(rivera, ana, "2025-03-18T10:00:00Z", 4); // 40: +10
        score(okafor, ana, "2025-03-06T10:00:00Z", 2); // scored once only

        escalation(rivera, ana, "2025-03-21T10:00:00Z");
        escalation(ng, ben, "2025-04-02T10:00:00Z"); // April

        supervision(ana, "2025-03-05T09:00:00Z", 60);
        supervision(ana, "2025-03-19T09:00:00Z", 45);
        supervision(ben, "2025-03-12T09:00:00Z", 30);
    }

    // ================================================================== the figures

    @Test
    void theProgramsMarchFiguresAreExactlyWhatItsPeersDid() {
        Bundle bundle = report(director(), org, "2025-02", "2025-03");
        MeasureReport march = program(bundle, MARCH);

        assertThat(march.getStatus()).isEqualTo(MeasureReport.MeasureReportStatus.COMPLETE);
        assertThat(march.getType()).isEqualTo(MeasureReport.MeasureReportType.SUMMARY);
        assertThat(march.getMeasure()).isEqualTo(BASE + "/Measure/program-report");
        assertThat(figure(march, "active-mentees")).isEqualByComparingTo("3");
        assertThat(figure(march, "contacts")).isEqualByComparingTo("5");
        assertThat(figure(march, "median-days-between-contacts")).isEqualByComparingTo("7.0");
        assertThat(figure(march, "sessions")).isEqualByComparingTo("4");
        assertThat(figure(march, "units")).isEqualByComparingTo("11");
        assertThat(figure(march, "goals-achieved")).isEqualByComparingTo("1");
        assertThat(figure(march, "recovery-score-change")).isEqualByComparingTo("10.0");
        assertThat(population(march, "recovery-score-change")).isEqualTo(1);
        assertThat(figure(march, "escalations")).isEqualByComparingTo("1");
        assertThat(figure(march, "supervision-hours")).isEqualByComparingTo("2.3");
    }

    @Test
    void eachPeerHasTheirOwnFiguresAndAnEmptyMonthHasZerosAndNoMedian() {
        Bundle bundle = report(director(), org, "2025-02", "2025-03");
        MeasureReport anaMarch = peer(bundle, ana, MARCH);
        MeasureReport benMarch = peer(bundle, ben, MARCH);
        MeasureReport anaFebruary = peer(bundle, ana, FEBRUARY);
        MeasureReport benFebruary = peer(bundle, ben, FEBRUARY);

        assertThat(bundle.getEntry()).as("a program and two peers, two months").hasSize(6);
        assertThat(anaMarch.getReporter().getReference()).isEqualTo("Organization/" + org);
        assertThat(figure(anaMarch, "active-mentees")).isEqualByComparingTo("2");
        assertThat(figure(anaMarch, "contacts")).isEqualByComparingTo("4");
        assertThat(figure(anaMarch, "median-days-between-contacts")).isEqualByComparingTo("7.0");
        assertThat(figure(anaMarch, "sessions")).isEqualByComparingTo("3");
        assertThat(figure(anaMarch, "units")).isEqualByComparingTo("8");
        assertThat(figure(anaMarch, "goals-achieved")).isEqualByComparingTo("1");
        assertThat(figure(anaMarch, "escalations")).isEqualByComparingTo("1");
        assertThat(figure(anaMarch, "supervision-hours")).isEqualByComparingTo("1.8");

        assertThat(figure(benMarch, "active-mentees")).isEqualByComparingTo("1");
        assertThat(figure(benMarch, "contacts")).isEqualByComparingTo("1");
        assertThat(figure(benMarch, "median-days-between-contacts")).as("one contact: no gap").isNull();
        assertThat(figure(benMarch, "units")).isEqualByComparingTo("3");
        assertThat(figure(benMarch, "goals-achieved")).as("achieved before Ben mentored Ng").isEqualByComparingTo("0");
        assertThat(figure(benMarch, "recovery-score-change")).isNull();
        assertThat(population(benMarch, "recovery-score-change")).isZero();
        assertThat(figure(benMarch, "supervision-hours")).isEqualByComparingTo("0.5");

        assertThat(figure(anaFebruary, "active-mentees")).isEqualByComparingTo("1");
        assertThat(figure(anaFebruary, "sessions")).isEqualByComparingTo("1");
        assertThat(figure(anaFebruary, "units")).isEqualByComparingTo("4");
        assertThat(figure(anaFebruary, "median-days-between-contacts")).isNull();
        assertThat(figure(anaFebruary, "recovery-score-change")).as("scored once by February's end").isNull();
        for (String code : List.of("active-mentees", "contacts", "sessions", "units", "goals-achieved", "escalations",
                "supervision-hours")) {
            assertThat(figure(benFebruary, code)).as(code).isEqualByComparingTo("0");
        }
    }

    @Test
    void theReportNamesNoOneInCare() {
        HttpResponse<String> answer = FhirServer.get("/Organization/" + org + "/$program-report?periodStart=2025-02"
                + "&periodEnd=2025-03", "Authorization", "Bearer " + directorToken());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.body()).doesNotContain("Patient/").doesNotContain(rivera).doesNotContain(okafor)
                .doesNotContain(ng).doesNotContain("Rivera").doesNotContain("Okafor");
    }

    @Test
    void atTheTypeLevelEveryProgramWithPeersIsReportedOursAmongThem() {
        Bundle bundle = report(EHR, null, "2025-03", "2025-03");
        assertThat(figure(program(bundle, MARCH), "sessions")).isEqualByComparingTo("4");
    }

    @Test
    void aReaderOutsideThePart2ProgramGetsFiguresWithoutPart2Records() {
        String outside = FhirServer.fetchToken("role=ehr-system&scope=system/*.rs&clientId=county-funder-" + RUN);
        MeasureReport march = program(report(FhirServer.clientWith(outside), org, "2025-03", "2025-03"), MARCH);

        // sessions, encouragement and scores are labelled Part 2; assignments, goals, escalations and supervision not
        assertThat(figure(march, "sessions")).isEqualByComparingTo("0");
        assertThat(figure(march, "contacts")).isEqualByComparingTo("0");
        assertThat(figure(march, "recovery-score-change")).isNull();
        assertThat(figure(march, "active-mentees")).isEqualByComparingTo("3");
        assertThat(figure(march, "goals-achieved")).isEqualByComparingTo("1");
        assertThat(figure(march, "escalations")).isEqualByComparingTo("1");
        assertThat(figure(march, "supervision-hours")).isEqualByComparingTo("2.3");
    }

    // ================================================================== who may run it

    @Test
    void theDirectorRunsTheReportButReadsNoRecordAboutAnyone() {
        String auth = "Bearer " + directorToken();
        assertThat(FhirServer.get("/Organization/" + org + "/$program-report?periodStart=2025-03&periodEnd=2025-03",
                "Authorization", auth).statusCode()).isEqualTo(200);
        for (String path : List.of("/Patient/" + rivera, "/Patient?_id=" + rivera, "/Encounter?subject=Patient/" + rivera,
                "/Goal?subject=Patient/" + rivera, "/Observation?subject=Patient/" + rivera, "/Task",
                "/ServiceRequest", "/Patient/" + rivera + "/$everything", "/Patient/$everything", "/AuditEvent",
                "/Encounter?type=" + BASE + "/CodeSystem/supervision|supervision-session",
                "/Patient/" + rivera + "/_history")) {
            HttpResponse<String> answer = FhirServer.get(path, "Authorization", auth);
            assertThat(answer.statusCode()).as(path + ": " + answer.body()).isEqualTo(403);
            assertThat(answer.body()).doesNotContain("Rivera");
        }
        HttpResponse<String> batch = FhirServer.send("POST", "", "application/fhir+json", "{\"resourceType\":\"Bundle\","
                + "\"type\":\"batch\",\"entry\":[{\"request\":{\"method\":\"GET\",\"url\":\"Patient/" + rivera + "\"}},"
                + "{\"request\":{\"method\":\"GET\",\"url\":\"Encounter?subject=Patient/" + rivera + "\"}}]}",
                "Authorization", auth);
        assertThat(batch.body()).doesNotContain("Rivera").doesNotContain("\"resourceType\":\"Encounter\"");
        if (batch.statusCode() == 200) {
            Bundle answers = FhirServer.FHIR.newJsonParser().parseResource(Bundle.class, batch.body());
            assertThat(answers.getEntry()).allSatisfy(e -> assertThat(e.getResponse().getStatus()).startsWith("403"));
        } else {
            assertThat(batch.statusCode()).isEqualTo(403);
        }
        // who works where and the published definition are not about anyone
        assertThat(FhirServer.get("/PractitionerRole/" + ana, "Authorization", auth).statusCode()).isEqualTo(200);
        assertThat(FhirServer.get("/Measure/program-report", "Authorization", auth).statusCode()).isEqualTo(200);
    }

    @Test
    void theReportIsAuditedAsTheDirectorsOperationNamingNoOne() {
        String requestId = UUID.randomUUID().toString();
        assertThat(FhirServer.get("/Organization/" + org + "/$program-report?periodStart=2025-03&periodEnd=2025-03",
                "Authorization", "Bearer " + directorToken(), "X-Request-ID", requestId).statusCode()).isEqualTo(200);
        Bundle events = FhirServer.FHIR.newJsonParser().parseResource(Bundle.class,
                FhirServer.get("/AuditEvent?request-id=" + requestId).body());
        List<AuditEvent> recorded = events.getEntry().stream().map(e -> (AuditEvent) e.getResource()).toList();
        assertThat(recorded).as("the request is recorded").isNotEmpty();
        assertThat(recorded).allSatisfy(event -> {
            assertThat(event.getAgent()).anySatisfy(agent -> assertThat(agent.getRole())
                    .anySatisfy(role -> assertThat(role.hasCoding(BASE + "/CodeSystem/role", "program-director")).isTrue()));
            assertThat(event.getEntity()).noneSatisfy(entity -> assertThat(entity.getWhat().getReference())
                    .startsWith("Patient/"));
            assertThat(event.getSubtype()).extracting(Coding::getCode).doesNotContain("disclosure");
        });
    }

    @Test
    void peerSpecialistsSupervisorsCliniciansAndAdministratorsMayNotRunTheReport() {
        for (String role : List.of("peer-specialist", "supervisor", "clinician", "admin")) {
            String token = FhirServer.token(role, "Practitioner/" + clinician, "user/*.cruds", null);
            assertOutcome(FhirServer.get("/Organization/" + org + "/$program-report?periodStart=2025-03"
                    + "&periodEnd=2025-03", "Authorization", "Bearer " + token), 403, null);
        }
    }

    @Test
    void theDirectorNeedsScopesToReadMeasureReportsAndOrganizations() {
        String path = "/Organization/" + org + "/$program-report?periodStart=2025-03&periodEnd=2025-03";
        String organizationsOnly = FhirServer.token("program-director", null, "user/Organization.rs", null);
        String reportsOnly = FhirServer.token("program-director", null, "user/MeasureReport.rs", null);
        String launch = FhirServer.token("program-director", null, "launch/patient patient/*.rs", rivera);
        assertOutcome(FhirServer.get(path, "Authorization", "Bearer " + organizationsOnly), 403, "MeasureReport");
        assertOutcome(FhirServer.get(path, "Authorization", "Bearer " + reportsOnly), 403, "Organization");
        assertOutcome(FhirServer.get(path, "Authorization", "Bearer " + launch), 403, null);
        String both = FhirServer.token("program-director", null, "user/MeasureReport.rs user/Organization.rs", null);
        assertThat(FhirServer.get(path, "Authorization", "Bearer " + both).statusCode()).isEqualTo(200);
    }

    // ================================================================== bad input

    @Test
    void badPeriodsAreA400OperationOutcomeAndAnUnknownProgramA404() {
        String base = "/Organization/" + org + "/$program-report";
        assertOutcome(FhirServer.get(base + "?periodStart=2025-03&periodEnd=2025-02"), 400, "before");
        assertOutcome(FhirServer.get(base + "?periodStart=2025-03"), 400, "periodEnd");
        assertOutcome(FhirServer.get(base + "?periodStart=2025&periodEnd=2025-03"), 400, "periodStart");
        assertOutcome(FhirServer.get(base + "?periodStart=2025-03&periodEnd=2025-13"), 400, "periodEnd");
        assertOutcome(FhirServer.get(base + "?periodStart=2022-01&periodEnd=2025-03"), 400, "months");
        assertOutcome(FhirServer.get(base + "?periodStart=soon&periodEnd=2025-03"), 400, "periodStart");
        assertOutcome(FhirServer.get("/Organization/no-such-" + RUN + "/$program-report?periodStart=2025-03"
                + "&periodEnd=2025-03"), 404, null);
    }

    @Test
    void theCapabilityStatementDeclaresTheOperationOnOrganization() {
        CapabilityStatement capability = EHR.capabilities().ofType(CapabilityStatement.class).execute();
        assertThat(capability.getRestFirstRep().getResource()).filteredOn(r -> r.getType().equals("Organization"))
                .singleElement().satisfies(r -> assertThat(r.getOperation()).extracting(o -> o.getName())
                        .contains("program-report"));
    }

    @Test
    void theEhrIntegrationGuidesSectionRunsAsWritten() throws Exception {
        String output = GuideScript.run(GuideScript.blocks(GuideScript.read("docs/ehr-integration.md",
                "Program reports")), "program-" + RUN);
        assertThat(output).contains("active-mentees 1", "contacts 1", "sessions 1", "units 2",
                "director reads the Patient: 403").doesNotContain("Lopez");
    }

    // ================================================================== the scene

    static String create(Resource resource) {
        return EHR.create().resource(resource).execute().getId().getIdPart();
    }

    static String role(String practitioner, boolean peer) {
        PractitionerRole role = new PractitionerRole().setActive(true)
                .setPractitioner(new Reference("Practitioner/" + practitioner))
                .setOrganization(new Reference("Organization/" + org));
        if (peer) {
            role.addCode().addCoding(new Coding("http://nucc.org/provider-taxonomy", "175T00000X", "Peer Specialist"));
        }
        return create(role);
    }

    /** A person with a plan whose peer is assigned from the given day. */
    static String mentee(String family, String peer, String start) {
        String id = create(new Patient().addName(new HumanName().setFamily(family + " " + RUN)));
        String plan = create(new CarePlan().setStatus(CarePlan.CarePlanStatus.ACTIVE)
                .setIntent(CarePlan.CarePlanIntent.PLAN).setSubject(new Reference("Patient/" + id)));
        EHR.operation().onInstance(new IdType("CarePlan", plan)).named("$assign-peer-mentor")
                .withParameters(new Parameters()
                        .addParameter("peer", new Reference("PractitionerRole/" + peer))
                        .addParameter("assigner", new Reference("Practitioner/" + clinician))
                        .addParameter("start", new DateType(start)))
                .returnResourceType(Bundle.class).execute();
        return id;
    }

    static void session(String patient, String peer, String start, int minutes) {
        Instant from = Instant.parse(start);
        Parameters params = new Parameters();
        params.addParameter().setName("patient").setValue(new Reference("Patient/" + patient));
        params.addParameter().setName("peer").setValue(new Reference("PractitionerRole/" + peer));
        params.addParameter().setName("start").setValue(new DateTimeType(from.toString()));
        params.addParameter().setName("end").setValue(new DateTimeType(from.plusSeconds(minutes * 60L).toString()));
        params.addParameter().setName("modality").setValue(new StringType("in-person"));
        params.addParameter().setName("whatWasDone").setValue(new StringType("Talked through the week"));
        params.addParameter().setName("focus").setValue(new Coding(BASE + "/CodeSystem/focus-area", "goal-setting", null));
        params.addParameter().setName("response").setValue(new StringType("Said the plan feels doable"));
        params.addParameter().setName("nextSteps").setValue(new StringType("Check in next week"));
        EHR.operation().onType(Encounter.class).named("$record-peer-session").withParameters(params)
                .returnResourceType(Bundle.class).execute();
    }

    static void encouragement(String patient, String peer, String sent) {
        Communication message = new Communication().setStatus(Communication.CommunicationStatus.COMPLETED)
                .setSubject(new Reference("Patient/" + patient)).addRecipient(new Reference("Patient/" + patient))
                .setSender(new Reference("PractitionerRole/" + peer)).setSentElement(new DateTimeType(sent));
        message.addCategory().addCoding(new Coding(BASE + "/CodeSystem/message-category", "encouragement", null));
        message.addPayload().setContent(new StringType("Thinking of you today."));
        create(message);
    }

    static void goal(String patient, String achievement, String statusDate) {
        Goal goal = new Goal().setLifecycleStatus(Goal.GoalLifecycleStatus.ACTIVE)
                .setSubject(new Reference("Patient/" + patient)).setExpressedBy(new Reference("Patient/" + patient))
                .setStart(new DateType("2025-02-01")).setStatusDateElement(new DateType(statusDate));
        goal.addCategory().addCoding(new Coding(BASE + "/CodeSystem/goal-category", "recovery", null));
        goal.getDescription().setText("A goal of this run");
        goal.setAchievementStatus(new CodeableConcept(new Coding(
                "http://terminology.hl7.org/CodeSystem/goal-achievement", achievement, null)));
        create(goal);
    }

    /** A BARC-10 whose ten answers are all the same, so the score is ten times the answer. */
    static void score(String patient, String peer, String authored, int answer) {
        QuestionnaireResponse response = new QuestionnaireResponse().setQuestionnaire(BASE + "/Questionnaire/barc-10")
                .setStatus(QuestionnaireResponse.QuestionnaireResponseStatus.COMPLETED)
                .setSubject(new Reference("Patient/" + patient)).setAuthored(Date.from(Instant.parse(authored)))
                .setAuthor(new Reference("PractitionerRole/" + peer));
        for (int i = 1; i <= 10; i++) {
            response.addItem().setLinkId(String.valueOf(i)).addAnswer()
                    .setValue(new Coding(BASE + "/CodeSystem/agreement-scale", String.valueOf(answer), null));
        }
        EHR.operation().onType(QuestionnaireResponse.class).named("$record-recovery-capital")
                .withParameter(Parameters.class, "response", response).returnResourceType(Bundle.class).execute();
    }

    static void escalation(String patient, String peer, String authored) {
        Task task = new Task().setStatus(Task.TaskStatus.REQUESTED).setIntent(Task.TaskIntent.ORDER)
                .setPriority(Task.TaskPriority.URGENT)
                .setCode(new CodeableConcept(new Coding(BASE + "/CodeSystem/crisis-support", "peer-worried", null)))
                .setDescription("Worried after the call").setFor(new Reference("Patient/" + patient))
                .setAuthoredOn(Date.from(Instant.parse(authored)))
                .setRequester(new Reference("PractitionerRole/" + peer));
        create(task);
    }

    static void supervision(String peer, String start, int minutes) {
        Encounter e = new Encounter().setStatus(Encounter.EncounterStatus.FINISHED)
                .setClass_(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "AMB", "ambulatory"));
        e.addType(new CodeableConcept(new Coding(BASE + "/CodeSystem/supervision", "supervision-session", null)));
        e.addParticipant().addType(new CodeableConcept(new Coding(BASE + "/CodeSystem/supervision-role", "supervisor",
                null))).setIndividual(new Reference("PractitionerRole/" + supervisor));
        e.addParticipant().addType(new CodeableConcept(new Coding(BASE + "/CodeSystem/supervision-role", "supervisee",
                null))).setIndividual(new Reference("PractitionerRole/" + peer));
        e.getPeriod().setStartElement(new DateTimeType(start));
        e.setLength((Duration) new Duration().setValue(minutes).setUnit("min").setSystem("http://unitsofmeasure.org")
                .setCode("min"));
        e.addReasonCode(new CodeableConcept(new Coding(BASE + "/CodeSystem/supervision-topic", "caseload-review", null)));
        create(e);
    }

    // ================================================================== reading answers

    static String directorToken() {
        return FhirServer.token("program-director", null, "user/*.rs", null);
    }

    static IGenericClient director() {
        return FhirServer.clientWith(directorToken());
    }

    static Bundle report(IGenericClient client, String organization, String start, String end) {
        Parameters params = new Parameters().addParameter("periodStart", new DateType(start))
                .addParameter("periodEnd", new DateType(end));
        var operation = organization == null ? client.operation().onType(Organization.class)
                : client.operation().onInstance(new IdType("Organization", organization));
        return operation.named("$program-report").withParameters(params).useHttpGet().returnResourceType(Bundle.class)
                .execute();
    }

    static MeasureReport program(Bundle bundle, YearMonth month) {
        return only(bundle, null, month);
    }

    static MeasureReport peer(Bundle bundle, String role, YearMonth month) {
        return only(bundle, "PractitionerRole/" + role, month);
    }

    private static MeasureReport only(Bundle bundle, String subject, YearMonth month) {
        return bundle.getEntry().stream().map(e -> (MeasureReport) e.getResource())
                .filter(r -> r.getReporter().getReference().equals("Organization/" + org))
                .filter(r -> subject == null ? !r.hasSubject() : subject.equals(r.getSubject().getReference()))
                .filter(r -> YearMonth.from(r.getPeriod().getStart().toInstant().atZone(ZoneOffset.UTC)).equals(month))
                .reduce((a, b) -> {
                    throw new AssertionError("two MeasureReports for " + subject + " in " + month);
                }).orElseThrow(() -> new AssertionError("no MeasureReport for " + subject + " in " + month));
    }

    static MeasureReport.MeasureReportGroupComponent group(MeasureReport report, String code) {
        return report.getGroup().stream().filter(g -> g.getCode().hasCoding(FIGURE, code)).findFirst()
                .orElseThrow(() -> new AssertionError("no group " + code));
    }

    static BigDecimal figure(MeasureReport report, String code) {
        var group = group(report, code);
        return group.hasMeasureScore() ? group.getMeasureScore().getValue() : null;
    }

    static int population(MeasureReport report, String code) {
        return group(report, code).getPopulationFirstRep().getCount();
    }

    static void assertOutcome(HttpResponse<String> response, int status, String mentions) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.body()).contains("OperationOutcome");
        if (mentions != null) {
            assertThat(response.body()).contains(mentions);
        }
    }
}
