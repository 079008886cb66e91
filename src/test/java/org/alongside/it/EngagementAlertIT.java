package org.alongside.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.TimeZone;
import java.util.UUID;
import java.util.function.Predicate;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.PositiveIntType;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Subscription;
import org.hl7.fhir.r4.model.Task;
import org.hl7.fhir.r4.model.UnsignedIntType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Engagement alerts over HTTP, with the alert job running on the test servers every 2 s (pom.xml); in the PostgreSQL
 * run the second instance runs it on the same schema too. Contacts are backdated through their clinical dates.
 * One Task per gap for the care team's clinician, closed when contact resumes, a new one for a new gap; the
 * Organization's own threshold or the default of 14 days; a run that stopped half-way is finished without a second
 * Task; pushed through a Subscription; read under the rules of the rest of the API.
 */
class EngagementAlertIT {

    static final String BASE = "http://alongside.health/fhir";
    static final String ALERT = BASE + "/CodeSystem/engagement-alert";
    static final String KEY = BASE + "/engagement-alert-key";
    static final String DAYS = BASE + "/StructureDefinition/engagement-alert-days";
    static final Duration WAIT = Duration.ofSeconds(40);
    static final IGenericClient EHR = FhirServer.client();
    static final HookReceiver RECEIVER = new HookReceiver();
    static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    static final String RUN = UUID.randomUUID().toString().substring(0, 8);

    static String clinician;
    static String weekly;
    static String patient;
    static String mentorship;
    static String quiet;
    static String quietMentorship;
    static String recent;
    static String recentMentorship;
    static String subscription;

    @BeforeAll
    static void scene() {
        clinician = create(new Practitioner().addName(new HumanName().setText("Dr. Chen " + RUN)));
        weekly = organization(7);
        String defaultOrg = organization(null);
        String weeklyPeer = peerRole(weekly);
        String defaultPeer = peerRole(defaultOrg);

        patient = mentee("Lopez");
        Subscription hook = new Subscription().setStatus(Subscription.SubscriptionStatus.REQUESTED)
                .setReason("engagement alerts to the EHR")
                .setCriteria("Task?code=" + ALERT + "|no-peer-contact&patient=Patient/" + patient);
        hook.getChannel().setType(Subscription.SubscriptionChannelType.RESTHOOK).setEndpoint(RECEIVER.url("/hook"))
                .setPayload("application/fhir+json");
        subscription = create(hook);
        mentorship = assign(patient, weeklyPeer, LocalDate.now(ZoneOffset.UTC).minusDays(10));

        // the default threshold (14 days): 10 days without contact is no gap yet, 16 days is
        recent = mentee("Diaz");
        recentMentorship = assign(recent, defaultPeer, LocalDate.now(ZoneOffset.UTC).minusDays(10));
        quiet = mentee("Park");
        quietMentorship = assign(quiet, defaultPeer, LocalDate.now(ZoneOffset.UTC).minusDays(16));
    }

    @AfterAll
    static void stopListening() {
        EHR.delete().resourceById(new IdType("Subscription", subscription)).execute();
        RECEIVER.close();
    }

    @Test
    void aMenteeWithoutContactGetsOneTaskForTheClinicianClosedWhenContactResumesAndANewOneForTheNextGap() {
        Task first = awaitAlerts(mentorship, alerts -> alerts.size() == 1).get(0);
        assertThat(first.getStatus()).isEqualTo(Task.TaskStatus.REQUESTED);
        assertThat(first.getOwner().getReference()).isEqualTo("Practitioner/" + clinician);
        assertThat(first.getFor().getReference()).isEqualTo("Patient/" + patient);
        assertThat(first.getRequester().getReference()).isEqualTo("Organization/" + weekly);
        assertThat(first.getIdentifierFirstRep().getSystem()).isEqualTo(KEY);
        assertThat(first.getIdentifierFirstRep().getValue()).startsWith(mentorship + "/");
        assertThat(input(first, "threshold-days")).isEqualTo("7");
        // labelled like the other records of the person's peer support (the test servers run in Part 2 mode)
        assertThat(first.getMeta().getSecurity()).anyMatch(c -> "SUD".equals(c.getCode()));
        // audited as the server's write
        assertThat(EHR.search().byUrl("AuditEvent?entity=Task/" + first.getIdElement().getIdPart() + "/_history/1")
                .returnBundle(Bundle.class).execute().getEntry())
                .extracting(e -> ((AuditEvent) e.getResource()).getOutcome()).contains(AuditEvent.AuditEventOutcome._0);
        // pushed to the EHR's Subscription
        assertThat(RECEIVER.awaitAccepted(1, WAIT).get(0).path())
                .isEqualTo("/hook/Task/" + first.getIdElement().getIdPart());

        // later runs, on every instance, find the same gap and write nothing more
        sleepRuns();
        assertThat(alerts(mentorship)).singleElement()
                .satisfies(t -> assertThat(t.getIdElement().getVersionIdPart()).isEqualTo("1"));

        // a session eight days ago, logged late: contact resumed then, but eight days is again past the threshold
        Instant eightDaysAgo = NOW.minus(Duration.ofDays(8));
        recordSession(patient, eightDaysAgo);
        List<Task> two = awaitAlerts(mentorship, alerts -> alerts.size() == 2
                && alerts.stream().anyMatch(t -> t.getStatus() == Task.TaskStatus.COMPLETED));
        Task closed = byId(two, first.getIdElement().getIdPart());
        assertThat(closed.getStatusReason().getCodingFirstRep().getCode()).isEqualTo("contact-resumed");
        assertThat(closed.getExecutionPeriod().hasEnd()).isTrue();
        Task second = two.stream().filter(t -> t != closed).findFirst().orElseThrow();
        assertThat(second.getStatus()).isEqualTo(Task.TaskStatus.REQUESTED);
        assertThat(second.getIdentifierFirstRep().getValue()).isEqualTo(mentorship + "/" + eightDaysAgo);

        // a session today closes it, and no gap is left
        recordSession(patient, NOW.minus(Duration.ofHours(1)));
        awaitAlerts(mentorship, alerts -> alerts.stream().allMatch(t -> t.getStatus() == Task.TaskStatus.COMPLETED));
        sleepRuns();
        assertThat(alerts(mentorship)).hasSize(2);
    }

    @Test
    void withoutItsOwnThresholdAnOrganizationsMenteesGetAnAlertAfterFourteenDays() {
        Task alert = awaitAlerts(quietMentorship, alerts -> alerts.size() == 1).get(0);
        assertThat(input(alert, "threshold-days")).isEqualTo("14");
        // the run that wrote it saw the other mentorship too (assigned first)
        assertThat(alerts(recentMentorship)).as("ten days without contact is not yet a gap").isEmpty();
    }

    @Test
    void aRunThatStoppedHalfWayIsFinishedWithoutASecondTaskForTheGapItHadWritten() {
        // an Organization whose threshold is not reached yet: nothing is due while the half-finished run is set up
        String org = organization(1000);
        String peer = peerRole(org);
        String done = mentee("Kim");
        String doneMentorship = assign(done, peer, LocalDate.now(ZoneOffset.UTC).minusDays(20));
        Instant lastContact = NOW.minus(Duration.ofDays(9));
        recordSession(done, lastContact);
        String notYet = mentee("Ortiz");
        String notYetMentorship = assign(notYet, peer, LocalDate.now(ZoneOffset.UTC).minusDays(20));

        // what a run cut short wrote, as the threshold dropped to a week: the first mentee's Task, whole (each Task
        // is its own transaction), the second's not yet. One transaction, so no run sees one without the other.
        Task written = new Task().setStatus(Task.TaskStatus.REQUESTED).setIntent(Task.TaskIntent.ORDER)
                .setCode(new CodeableConcept(new Coding(ALERT, "no-peer-contact", null)))
                .setFor(new Reference("Patient/" + done)).setFocus(new Reference(doneMentorship))
                .setAuthoredOn(new Date()).setOwner(new Reference("Practitioner/" + clinician));
        written.addIdentifier().setSystem(KEY).setValue(doneMentorship + "/" + lastContact);
        written.addInput().setType(new CodeableConcept(new Coding(ALERT, "gap-start", null)))
                .setValue(new DateTimeType(Date.from(lastContact), TemporalPrecisionEnum.SECOND,
                        TimeZone.getTimeZone("UTC")));
        written.addInput().setType(new CodeableConcept(new Coding(ALERT, "threshold-days", null)))
                .setValue(new UnsignedIntType(7));
        Organization organization = EHR.read().resource(Organization.class).withId(org).execute();
        organization.getExtensionByUrl(DAYS).setValue(new PositiveIntType(7));
        Bundle halfRun = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        halfRun.addEntry().setResource(organization).getRequest().setMethod(Bundle.HTTPVerb.PUT)
                .setUrl("Organization/" + org);
        halfRun.addEntry().setFullUrl("urn:uuid:" + UUID.randomUUID()).setResource(written).getRequest()
                .setMethod(Bundle.HTTPVerb.POST).setUrl("Task");
        Bundle answer = EHR.transaction().withBundle(halfRun).execute();
        String writtenId = new IdType(answer.getEntry().get(1).getResponse().getLocation()).getIdPart();

        // the next run finishes the work: the second mentee's Task, and none besides the first mentee's
        awaitAlerts(notYetMentorship, alerts -> alerts.size() == 1);
        assertThat(alerts(doneMentorship)).singleElement()
                .satisfies(t -> assertThat(t.getIdElement().getIdPart()).isEqualTo(writtenId));
        sleepRuns();
        assertThat(alerts(doneMentorship)).hasSize(1);
        assertThat(alerts(notYetMentorship)).hasSize(1);
    }

    @Test
    void theCareTeamsClinicianReadsTheAlertAndAClinicianOutsideTheTeamDoesNot() {
        Task alert = awaitAlerts(quietMentorship, alerts -> !alerts.isEmpty()).get(0);
        IGenericClient own = FhirServer.clientWith(FhirServer.token("clinician", "Practitioner/" + clinician,
                "user/*.cruds", null));
        Bundle open = own.search().byUrl("Task?owner=Practitioner/" + clinician + "&code=" + ALERT
                + "|no-peer-contact&status=requested&patient=Patient/" + quiet).returnBundle(Bundle.class).execute();
        assertThat(open.getEntry()).extracting(e -> e.getResource().getIdElement().getIdPart())
                .containsExactly(alert.getIdElement().getIdPart());

        String outsider = create(new Practitioner().addName(new HumanName().setText("Dr. Other " + RUN)));
        IGenericClient other = FhirServer.clientWith(FhirServer.token("clinician", "Practitioner/" + outsider,
                "user/*.cruds", null));
        assertThatThrownBy(() -> other.read().resource(Task.class).withId(alert.getIdElement().getIdPart()).execute())
                .isInstanceOfSatisfying(BaseServerResponseException.class,
                        e -> assertThat(e.getStatusCode()).isIn(403, 404));
        try {
            assertThat(other.search().byUrl("Task?code=" + ALERT + "|no-peer-contact&patient=Patient/" + quiet)
                    .returnBundle(Bundle.class).execute().getEntry()).isEmpty();
        } catch (BaseServerResponseException refused) {
            assertThat(refused.getStatusCode()).isEqualTo(403);
        }
    }

    @Test
    void theEhrIntegrationGuidesSectionRunsAsWritten() throws Exception {
        String run = "alerts-" + RUN;
        String output = GuideScript.run(GuideScript.blocks(GuideScript.read("docs/ehr-integration.md",
                "Engagement alerts")), run);
        assertThat(output).contains("Practitioner/osei-" + run + " | ServiceRequest/ | No peer contact for 7 days or more, since "
                + LocalDate.now(ZoneOffset.UTC).minusDays(10)).contains("completed contact-resumed");
    }

    // ================================================================== scene

    static String create(Resource resource) {
        return EHR.create().resource(resource).execute().getId().getIdPart();
    }

    static String organization(Integer days) {
        Organization org = new Organization().setName("Peer program " + RUN);
        if (days != null) {
            org.addExtension(DAYS, new PositiveIntType(days));
        }
        return create(org);
    }

    static String peerRole(String organization) {
        String peer = create(new Practitioner().addName(new HumanName().setText("Jordan " + RUN)));
        PractitionerRole role = new PractitionerRole().setActive(true).setPractitioner(new Reference("Practitioner/" + peer))
                .setOrganization(new Reference("Organization/" + organization));
        role.addCode().addCoding(new Coding("http://nucc.org/provider-taxonomy", "175T00000X", "Peer Specialist"));
        return create(role);
    }

    /** A person with a clinical care team (the clinician) and a care plan. */
    static String mentee(String family) {
        String id = create(new Patient().addName(new HumanName().setFamily(family + " " + RUN)));
        CareTeam team = new CareTeam().setStatus(CareTeam.CareTeamStatus.ACTIVE).setSubject(new Reference("Patient/" + id));
        team.addParticipant().setMember(new Reference("Practitioner/" + clinician));
        create(team);
        return id;
    }

    /** Assigns the peer in a new care plan of the person, from {@code start}; the assignment's reference. */
    static String assign(String patient, String peerRole, LocalDate start) {
        String plan = create(new CarePlan().setStatus(CarePlan.CarePlanStatus.ACTIVE)
                .setIntent(CarePlan.CarePlanIntent.PLAN).setSubject(new Reference("Patient/" + patient)));
        Bundle written = EHR.operation().onInstance(new IdType("CarePlan", plan)).named("$assign-peer-mentor")
                .withParameters(new Parameters()
                        .addParameter("peer", new Reference("PractitionerRole/" + peerRole))
                        .addParameter("assigner", new Reference("Practitioner/" + clinician))
                        .addParameter("start", new DateType(start.toString())))
                .returnResourceType(Bundle.class).execute();
        return written.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                .filter(ServiceRequest.class::isInstance).findFirst().orElseThrow()
                .getIdElement().toUnqualifiedVersionless().getValue();
    }

    /** A 30-minute session with the person's peer that ended at {@code end}. */
    static void recordSession(String patient, Instant end) {
        String peer = EHR.search().byUrl("ServiceRequest?subject=Patient/" + patient + "&status=active")
                .returnBundle(Bundle.class).execute().getEntryFirstRep().getResource() instanceof ServiceRequest sr
                ? sr.getPerformerFirstRep().getReference() : null;
        Parameters params = new Parameters();
        params.addParameter().setName("patient").setValue(new Reference("Patient/" + patient));
        params.addParameter().setName("peer").setValue(new Reference(peer));
        params.addParameter().setName("start").setValue(utc(end.minus(Duration.ofMinutes(30))));
        params.addParameter().setName("end").setValue(utc(end));
        params.addParameter().setName("modality").setValue(new StringType("phone"));
        params.addParameter().setName("focus").setValue(new Coding(BASE + "/CodeSystem/focus-area", "belonging", null));
        params.addParameter().setName("whatWasDone").setValue(new StringType("Caught up by phone"));
        params.addParameter().setName("response").setValue(new StringType("Glad to hear from someone"));
        params.addParameter().setName("nextSteps").setValue(new StringType("Call again next week"));
        EHR.operation().onType(Encounter.class).named("$record-peer-session").withParameters(params)
                .returnResourceType(Bundle.class).execute();
    }

    static DateTimeType utc(Instant instant) {
        return new DateTimeType(Date.from(instant), TemporalPrecisionEnum.SECOND, TimeZone.getTimeZone("UTC"));
    }

    // ================================================================== reading answers

    static List<Task> alerts(String mentorship) {
        return EHR.search().byUrl("Task?focus=" + mentorship + "&code=" + ALERT + "|no-peer-contact&_count=50")
                .returnBundle(Bundle.class).execute().getEntry().stream().map(e -> (Task) e.getResource()).toList();
    }

    /** The mentorship's alerts once they satisfy {@code condition}; fails after {@link #WAIT}. */
    static List<Task> awaitAlerts(String mentorship, Predicate<List<Task>> condition) {
        Instant deadline = Instant.now().plus(WAIT);
        List<Task> alerts = alerts(mentorship);
        while (!condition.test(alerts)) {
            assertThat(Instant.now()).as("alerts of " + mentorship + " in time, last seen: " + alerts.stream()
                    .map(t -> t.getStatus() + " " + t.getIdentifierFirstRep().getValue()).toList()).isBefore(deadline);
            pause(Duration.ofMillis(500));
            alerts = alerts(mentorship);
        }
        return alerts;
    }

    /** Long enough for two more runs of the job (every 2 s) on each instance. */
    static void sleepRuns() {
        pause(Duration.ofSeconds(5));
    }

    static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Task byId(List<Task> tasks, String id) {
        return tasks.stream().filter(t -> t.getIdElement().getIdPart().equals(id)).findFirst().orElseThrow();
    }

    static String input(Task task, String type) {
        return task.getInput().stream().filter(i -> i.getType().hasCoding(ALERT, type))
                .map(i -> i.getValue().primitiveValue()).findFirst().orElse(null);
    }
}
