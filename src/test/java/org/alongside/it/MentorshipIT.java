package org.alongside.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.CareTeam.CareTeamParticipantComponent;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Goal;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Signature;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Task;
import org.hl7.fhir.r4.model.Type;
import org.junit.jupiter.api.Test;

/**
 * The mentorship workflow over HTTP, as an EHR integrator drives it with HAPI's generic client: assigning,
 * transferring and ending a peer mentor, recording sessions (single, group, retried), co-signing, encouragement
 * messages, recovery goals and the clinician's side-by-side view. Every test writes its own people, roles and
 * plans, so tests never see each other's data and can run against a shared server.
 */
class MentorshipIT {

    private static final IGenericClient CLIENT = FhirServer.client();

    private static final String NUCC = "http://nucc.org/provider-taxonomy";
    private static final String PEER_SPECIALIST = "175T00000X";
    private static final String SNOMED = "http://snomed.info/sct";
    private static final String REFERRAL_TO_PEER_SUPPORT = "461481000124109";
    private static final String HCPCS = "http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets";
    private static final String BASE = "http://alongside.health/fhir";
    private static final String END_REASON = BASE + "/CodeSystem/end-reason";
    private static final String FOCUS_AREA = BASE + "/CodeSystem/focus-area";
    private static final String MESSAGE_CATEGORY = BASE + "/CodeSystem/message-category";
    private static final String CARE_TEAM_CATEGORY = BASE + "/CodeSystem/care-team-category";
    private static final String GOAL_CATEGORY = BASE + "/CodeSystem/goal-category";
    private static final String SESSION_MODALITY = BASE + "/CodeSystem/session-modality";
    private static final String EXT_BILLING_UNITS = BASE + "/StructureDefinition/billing-units";
    private static final String EXT_GROUP_SESSION = BASE + "/StructureDefinition/group-session";
    private static final String EXT_SESSION_MODALITY = BASE + "/StructureDefinition/session-modality";
    private static final String EXT_SUPERVISED_BY = BASE + "/StructureDefinition/supervised-by";
    private static final String SESSION_KEY = BASE + "/session-key";
    private static final String V3_ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
    private static final String PROVENANCE_PARTICIPANT = "http://terminology.hl7.org/CodeSystem/provenance-participant-type";

    // ================================================================== data builders

    private static String create(Resource resource) {
        IdType id = (IdType) CLIENT.create().resource(resource).execute().getId();
        return id.getResourceType() + "/" + id.getIdPart();
    }

    private static String patient() {
        return create(new Patient().addName(new org.hl7.fhir.r4.model.HumanName().setFamily("Mentee-"
                + UUID.randomUUID().toString().substring(0, 8))));
    }

    private static String practitioner(String name) {
        return create(new Practitioner().addName(new org.hl7.fhir.r4.model.HumanName().setText(name)));
    }

    private static String organization() {
        return create(new Organization().setName("Harbor Recovery " + UUID.randomUUID().toString().substring(0, 8)));
    }

    /** A PractitionerRole with its own Practitioner and Organization. */
    private static String role(boolean active, String code, String supervisor) {
        PractitionerRole role = new PractitionerRole()
                .setActive(active)
                .setPractitioner(new Reference(practitioner("Peer " + UUID.randomUUID())))
                .setOrganization(new Reference(organization()));
        role.addCode().addCoding(new Coding(NUCC, code, null)).setText("Certified peer recovery specialist");
        if (supervisor != null) {
            role.addExtension(EXT_SUPERVISED_BY, new Reference(supervisor));
        }
        return create(role);
    }

    /** An active peer specialist role (NUCC 175T00000X). */
    private static String peer() {
        return role(true, PEER_SPECIALIST, null);
    }

    private static String plan(String patient) {
        CarePlan plan = new CarePlan().setStatus(CarePlan.CarePlanStatus.ACTIVE).setIntent(CarePlan.CarePlanIntent.PLAN)
                .setSubject(new Reference(patient)).setTitle("Recovery plan");
        plan.addActivity().getDetail().setStatus(CarePlan.CarePlanActivityStatus.INPROGRESS)
                .setDescription("Weekly CBT");
        return create(plan);
    }

    /** A patient, their care plan, a peer and a clinician who assigns. */
    private record Scene(String patient, String plan, String peer, String assigner) {
        static Scene fresh() {
            String patient = MentorshipIT.patient();
            return new Scene(patient, MentorshipIT.plan(patient), MentorshipIT.peer(), practitioner("Dr. Chen"));
        }
    }

    private static LocalDate today() {
        return LocalDate.now(ZoneOffset.UTC);
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }

    // ================================================================== operations

    private static Bundle operation(String planRef, String name, Parameters params) {
        return CLIENT.operation().onInstance(new IdType(planRef)).named(name).withParameters(params)
                .returnResourceType(Bundle.class).execute();
    }

    private static Bundle assign(String plan, String peer, String assigner, LocalDate start) {
        Parameters params = new Parameters();
        params.addParameter().setName("peer").setValue(new Reference(peer));
        params.addParameter().setName("assigner").setValue(new Reference(assigner));
        if (start != null) {
            params.addParameter().setName("start").setValue(new DateType(start.toString()));
        }
        params.addParameter().setName("note").setValue(new StringType("Asked for someone who has been there"));
        return operation(plan, "$assign-peer-mentor", params);
    }

    private static Bundle assign(Scene scene, LocalDate start) {
        return assign(scene.plan(), scene.peer(), scene.assigner(), start);
    }

    private static Bundle transfer(String plan, String from, String to, String assigner, LocalDate date) {
        Parameters params = new Parameters();
        params.addParameter().setName("from").setValue(new Reference(from));
        params.addParameter().setName("to").setValue(new Reference(to));
        params.addParameter().setName("assigner").setValue(new Reference(assigner));
        params.addParameter().setName("date").setValue(new DateType(date.toString()));
        return operation(plan, "$transfer-peer-mentor", params);
    }

    private static Bundle end(String plan, String peer, Coding reason, String assigner, LocalDate date) {
        Parameters params = new Parameters();
        params.addParameter().setName("peer").setValue(new Reference(peer));
        if (reason != null) {
            params.addParameter().setName("reason").setValue(reason);
        }
        params.addParameter().setName("assigner").setValue(new Reference(assigner));
        if (date != null) {
            params.addParameter().setName("date").setValue(new DateType(date.toString()));
        }
        return operation(plan, "$end-peer-mentorship", params);
    }

    private static Coding endReason(String code) {
        return new Coding(END_REASON, code, null);
    }

    /** Parameters of $record-peer-session, with every part of the note filled in. */
    private static Parameters session(List<String> patients, String peer, Instant start, Instant end) {
        Parameters params = new Parameters();
        patients.forEach(p -> params.addParameter().setName("patient").setValue(new Reference(p)));
        params.addParameter().setName("peer").setValue(new Reference(peer));
        params.addParameter().setName("start").setValue(new DateTimeType(Date.from(start), ca.uhn.fhir.model.api
                .TemporalPrecisionEnum.SECOND, java.util.TimeZone.getTimeZone("UTC")));
        params.addParameter().setName("end").setValue(new DateTimeType(Date.from(end), ca.uhn.fhir.model.api
                .TemporalPrecisionEnum.SECOND, java.util.TimeZone.getTimeZone("UTC")));
        params.addParameter().setName("modality").setValue(new StringType("video"));
        params.addParameter().setName("focus").setValue(new Coding(FOCUS_AREA, "cravings", null));
        params.addParameter().setName("focus").setValue(new Coding(FOCUS_AREA, "belonging", null));
        params.addParameter().setName("whatWasDone").setValue(new StringType("Talked through weekend cravings"));
        params.addParameter().setName("response").setValue(new StringType("Said it helped to hear it gets easier"));
        params.addParameter().setName("nextSteps").setValue(new StringType("Check in Friday after the meeting"));
        return params;
    }

    private static Parameters session(String patient, String peer, Instant start, Instant end) {
        return session(List.of(patient), peer, start, end);
    }

    private static Bundle record(Parameters params) {
        return CLIENT.operation().onType(Encounter.class).named("$record-peer-session").withParameters(params)
                .returnResourceType(Bundle.class).execute();
    }

    private static Bundle sideBySide(String plan) {
        return CLIENT.operation().onInstance(new IdType(plan)).named("$side-by-side")
                .withNoParameters(Parameters.class).useHttpGet().returnResourceType(Bundle.class).execute();
    }

    // ================================================================== reading answers

    private static Bundle search(String query) {
        return CLIENT.search().byUrl(query).returnBundle(Bundle.class).execute();
    }

    private static <T extends Resource> List<T> found(String query, Class<T> type) {
        return search(query).getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                .filter(type::isInstance).map(type::cast).collect(Collectors.toList());
    }

    private static int count(String query) {
        return search(query + (query.contains("?") ? "&" : "?") + "_count=200").getEntry().size();
    }

    private static <T extends Resource> List<T> ofType(Bundle bundle, Class<T> type) {
        return bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                .filter(type::isInstance).map(type::cast).collect(Collectors.toList());
    }

    private static <T extends Resource> T single(Bundle bundle, Class<T> type) {
        List<T> all = ofType(bundle, type);
        assertThat(all).as("%s entries of the answer", type.getSimpleName()).hasSize(1);
        return all.get(0);
    }

    /** "Type/id" of a resource from an answer (no version). */
    private static String ref(Resource resource) {
        return resource.fhirType() + "/" + resource.getIdElement().getIdPart();
    }

    private static <T extends Resource> T read(Class<T> type, String ref) {
        return CLIENT.read().resource(type).withId(new IdType(ref).getIdPart()).execute();
    }

    private static String version(Resource resource) {
        return resource.getMeta().getVersionId();
    }

    private static Integer billingUnits(Encounter encounter) {
        Extension units = encounter.getExtensionByUrl(EXT_BILLING_UNITS);
        assertThat(units).as("billing-units extension of %s", ref(encounter)).isNotNull();
        return ((IntegerType) units.getValue()).getValue();
    }

    private static boolean hasCoding(CodeableConcept concept, String system, String code) {
        return concept.getCoding().stream().anyMatch(c -> system.equals(c.getSystem()) && code.equals(c.getCode()));
    }

    private static List<CareTeamParticipantComponent> participants(CareTeam team, String member) {
        return team.getParticipant().stream().filter(p -> member.equals(p.getMember().getReference()))
                .collect(Collectors.toList());
    }

    /** The failure the call must end in (a FHIR error answer). */
    private static BaseServerResponseException failure(ThrowingCallable call) {
        try {
            call.call();
        } catch (BaseServerResponseException e) {
            return e;
        } catch (Throwable other) {
            throw new AssertionError("Expected a FHIR error answer, got " + other, other);
        }
        return fail("Expected the server to refuse the request, but it succeeded");
    }

    /** Everything the error answer says: message, OperationOutcome diagnostics and the raw body. */
    private static String said(BaseServerResponseException e) {
        StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
        if (e.getOperationOutcome() != null) {
            text.append(' ').append(FhirServer.FHIR.newJsonParser().encodeResourceToString(e.getOperationOutcome()));
        }
        if (e.getResponseBody() != null) {
            text.append(' ').append(e.getResponseBody());
        }
        return text.toString();
    }

    private static void assertStatus(BaseServerResponseException e, int status) {
        assertThat(e.getStatusCode()).as("status of: %s", said(e)).isEqualTo(status);
    }

    /** What a peer assignment left in the store for a plan. */
    private static List<ServiceRequest> referrals(String plan) {
        return found("ServiceRequest?based-on=" + plan + "&_count=200", ServiceRequest.class);
    }

    // ================================================================== assign

    @Test
    void assignWritesReferralTaskTeamAndPlanInOneAnswer() {
        String supervisor = peer();
        String patient = patient();
        String plan = plan(patient);
        String peer = role(true, PEER_SPECIALIST, supervisor);
        String assigner = practitioner("Dr. Chen");
        LocalDate start = today().minusDays(3);

        Bundle written = assign(plan, peer, assigner, start);

        assertThat(ofType(written, Resource.class)).extracting(Resource::fhirType)
                .containsExactlyInAnyOrder("ServiceRequest", "Task", "CareTeam", "CarePlan");

        ServiceRequest referral = single(written, ServiceRequest.class);
        assertThat(referral.getStatus()).isEqualTo(ServiceRequest.ServiceRequestStatus.ACTIVE);
        assertThat(referral.getPerformer()).extracting(Reference::getReference).containsExactly(peer);
        assertThat(referral.getRequester().getReference()).isEqualTo(assigner);
        assertThat(referral.getBasedOn()).extracting(Reference::getReference).containsExactly(plan);
        assertThat(referral.getSubject().getReference()).isEqualTo(patient);
        assertThat(hasCoding(referral.getCode(), SNOMED, REFERRAL_TO_PEER_SUPPORT)).isTrue();
        assertThat(referral.getOccurrencePeriod().getStartElement().getValueAsString()).startsWith(start.toString());

        Task task = single(written, Task.class);
        assertThat(task.getOwner().getReference()).isEqualTo(peer);
        assertThat(task.getFocus().getReference()).isEqualTo(ref(referral));
        assertThat(task.getStatus()).isEqualTo(Task.TaskStatus.INPROGRESS);
        assertThat(task.getFor().getReference()).isEqualTo(patient);

        CareTeam team = single(written, CareTeam.class);
        assertThat(team.getCategory()).anyMatch(c -> hasCoding(c, CARE_TEAM_CATEGORY, "peer-support"));
        assertThat(team.getSubject().getReference()).isEqualTo(patient);
        List<CareTeamParticipantComponent> peerParticipant = participants(team, peer);
        assertThat(peerParticipant).hasSize(1);
        assertThat(peerParticipant.get(0).getPeriod().hasStart()).isTrue();
        assertThat(peerParticipant.get(0).getPeriod().hasEnd()).isFalse();
        assertThat(peerParticipant.get(0).getRole()).anyMatch(r -> hasCoding(r, NUCC, PEER_SPECIALIST));
        assertThat(participants(team, supervisor)).as("the peer's supervisor joins the team").hasSize(1);

        CarePlan updated = single(written, CarePlan.class);
        assertThat(updated.getCareTeam()).extracting(Reference::getReference).contains(ref(team));
        assertThat(updated.getActivity()).extracting(a -> a.getReference().getReference()).contains(ref(referral));
        assertThat(version(updated)).isEqualTo("2");

        // the store holds what the answer says
        CarePlan stored = read(CarePlan.class, plan);
        assertThat(version(stored)).isEqualTo("2");
        assertThat(stored.getActivity()).extracting(a -> a.getReference().getReference()).contains(ref(referral));
        assertThat(stored.getActivity()).as("the therapy activity is kept")
                .anyMatch(a -> "Weekly CBT".equals(a.getDetail().getDescription()));
        Bundle history = CLIENT.history().onInstance(new IdType(plan)).returnBundle(Bundle.class).execute();
        assertThat(history.getEntry()).hasSize(2);
        assertThat(referrals(plan)).extracting(ServiceRequest::getIdElement).extracting(IdType::getIdPart)
                .containsExactly(referral.getIdElement().getIdPart());
        assertThat(found("Task?focus=" + ref(referral), Task.class)).hasSize(1);
        assertThat(found("CareTeam?subject=" + patient, CareTeam.class)).hasSize(1);
    }

    @Test
    void assignDefaultsTheStartToToday() {
        Scene scene = Scene.fresh();
        ServiceRequest referral = single(assign(scene, null), ServiceRequest.class);
        // the server decides "today" in its own time zone; the test's UTC date may differ by one around midnight
        String started = referral.getOccurrencePeriod().getStartElement().getValueAsString();
        assertThat(Set.of(today().toString(), today().minusDays(1).toString(), today().plusDays(1).toString()))
                .contains(started.substring(0, 10));
    }

    @Test
    void assigningARoleWithoutThePeerSpecialistCodeIsRefusedAndWritesNothing() {
        Scene scene = Scene.fresh();
        String counselor = role(true, "101YA0400X", null); // NUCC addiction counselor, not a peer specialist

        BaseServerResponseException refused = failure(() -> assign(scene.plan(), counselor, scene.assigner(),
                today()));

        assertStatus(refused, 422);
        assertThat(said(refused)).contains(counselor).contains(PEER_SPECIALIST);
        assertNothingAssigned(scene, counselor);
    }

    @Test
    void assigningAnInactivePeerSpecialistRoleIsRefusedAndWritesNothing() {
        Scene scene = Scene.fresh();
        String inactive = role(false, PEER_SPECIALIST, null);

        BaseServerResponseException refused = failure(() -> assign(scene.plan(), inactive, scene.assigner(),
                today()));

        assertStatus(refused, 422);
        assertThat(said(refused)).contains(inactive).contains("active");
        assertNothingAssigned(scene, inactive);
    }

    private static void assertNothingAssigned(Scene scene, String role) {
        assertThat(count("ServiceRequest?based-on=" + scene.plan())).isZero();
        assertThat(count("Task?owner=" + role)).isZero();
        assertThat(count("CareTeam?subject=" + scene.patient())).isZero();
        assertThat(version(read(CarePlan.class, scene.plan()))).isEqualTo("1");
    }

    @Test
    void assigningTheSamePeerTwiceInOnePlanIsAConflictAndWritesNothing() {
        Scene scene = Scene.fresh();
        assign(scene, today().minusDays(1));

        BaseServerResponseException conflict = failure(() -> assign(scene, today()));

        assertStatus(conflict, 409);
        assertThat(said(conflict)).contains(scene.peer()).contains(scene.plan());
        assertThat(referrals(scene.plan())).hasSize(1);
        assertThat(count("Task?owner=" + scene.peer())).isEqualTo(1);
        assertThat(version(read(CarePlan.class, scene.plan()))).isEqualTo("2");
        CareTeam team = found("CareTeam?subject=" + scene.patient(), CareTeam.class).get(0);
        assertThat(participants(team, scene.peer())).hasSize(1);
    }

    @Test
    void assigningWithinAnUnknownPlanOrAnUnknownRoleIsNotFound() {
        Scene scene = Scene.fresh();
        BaseServerResponseException noPlan = failure(() -> assign("CarePlan/no-such-plan-" + UUID.randomUUID(),
                scene.peer(), scene.assigner(), today()));
        assertStatus(noPlan, 404);
        BaseServerResponseException noRole = failure(() -> assign(scene.plan(),
                "PractitionerRole/no-such-role-" + UUID.randomUUID(), scene.assigner(), today()));
        assertStatus(noRole, 404);
        assertThat(count("ServiceRequest?based-on=" + scene.plan())).isZero();
    }

    @Test
    void thePeersCaseloadIsLimitedToFifteenByDefaultAndEndingAnAssignmentFreesAPlace() {
        String peer = peer();
        String assigner = practitioner("Dr. Chen");
        List<String> plans = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            plans.add(plan(patient()));
        }
        for (int i = 0; i < 15; i++) {
            assign(plans.get(i), peer, assigner, today().minusDays(1));
        }
        assertThat(count("ServiceRequest?performer=" + peer + "&status=active")).isEqualTo(15);

        String sixteenth = plans.get(15);
        BaseServerResponseException full = failure(() -> assign(sixteenth, peer, assigner, today()));
        assertStatus(full, 422);
        assertThat(said(full)).contains("caseload limit is 15");
        assertThat(count("ServiceRequest?based-on=" + sixteenth)).isZero();
        assertThat(version(read(CarePlan.class, sixteenth))).isEqualTo("1");

        end(plans.get(0), peer, endReason("goals-met"), assigner, today());
        Bundle written = assign(sixteenth, peer, assigner, today());
        assertThat(single(written, ServiceRequest.class).getStatus()).isEqualTo(ServiceRequest.ServiceRequestStatus.ACTIVE);
        assertThat(count("ServiceRequest?performer=" + peer + "&status=active")).isEqualTo(15);
    }

    // ================================================================== transfer

    @Test
    void transferEndsTheOldAssignmentAndStartsTheNewOneInOneAnswer() {
        Scene scene = Scene.fresh();
        String next = peer();
        ServiceRequest first = single(assign(scene, today().minusDays(10)), ServiceRequest.class);
        Task firstTask = found("Task?focus=" + ref(first), Task.class).get(0);
        LocalDate date = today();

        Bundle written = transfer(scene.plan(), scene.peer(), next, scene.assigner(), date);

        List<ServiceRequest> requests = ofType(written, ServiceRequest.class);
        assertThat(requests).hasSize(2);
        ServiceRequest old = requests.stream().filter(r -> ref(r).equals(ref(first))).findFirst().orElseThrow();
        ServiceRequest replacement = requests.stream().filter(r -> !ref(r).equals(ref(first))).findFirst().orElseThrow();
        assertThat(old.getStatus()).isEqualTo(ServiceRequest.ServiceRequestStatus.COMPLETED);
        assertThat(old.getOccurrencePeriod().hasEnd()).isTrue();
        assertThat(old.getOccurrencePeriod().getEndElement().getValueAsString()).startsWith(date.toString());
        assertThat(replacement.getStatus()).isEqualTo(ServiceRequest.ServiceRequestStatus.ACTIVE);
        assertThat(replacement.getPerformer()).extracting(Reference::getReference).containsExactly(next);
        assertThat(replacement.getReplaces()).extracting(Reference::getReference).containsExactly(ref(first));
        assertThat(replacement.getBasedOn()).extracting(Reference::getReference).containsExactly(scene.plan());

        List<Task> tasks = ofType(written, Task.class);
        Task oldTask = tasks.stream().filter(t -> ref(t).equals(ref(firstTask))).findFirst().orElseThrow();
        assertThat(oldTask.getStatus()).isEqualTo(Task.TaskStatus.COMPLETED);
        assertThat(hasCoding(oldTask.getStatusReason(), END_REASON, "transferred")).isTrue();
        Task newTask = tasks.stream().filter(t -> !ref(t).equals(ref(firstTask))).findFirst().orElseThrow();
        assertThat(newTask.getOwner().getReference()).isEqualTo(next);
        assertThat(newTask.getFocus().getReference()).isEqualTo(ref(replacement));
        assertThat(newTask.getStatus()).isEqualTo(Task.TaskStatus.INPROGRESS);

        CareTeam team = single(written, CareTeam.class);
        assertThat(participants(team, scene.peer())).hasSize(1)
                .allSatisfy(p -> assertThat(p.getPeriod().hasEnd()).as("old peer's period ended").isTrue());
        assertThat(participants(team, next)).hasSize(1)
                .allSatisfy(p -> {
                    assertThat(p.getPeriod().hasStart()).isTrue();
                    assertThat(p.getPeriod().hasEnd()).isFalse();
                });

        CarePlan plan = single(written, CarePlan.class);
        assertThat(plan.getActivity()).extracting(a -> a.getReference().getReference())
                .contains(ref(first), ref(replacement));

        // and the store agrees
        assertThat(read(ServiceRequest.class, ref(first)).getStatus())
                .isEqualTo(ServiceRequest.ServiceRequestStatus.COMPLETED);
        assertThat(found("ServiceRequest?based-on=" + scene.plan() + "&status=active", ServiceRequest.class))
                .extracting(r -> r.getPerformerFirstRep().getReference()).containsExactly(next);
        assertThat(read(Task.class, ref(firstTask)).getStatus()).isEqualTo(Task.TaskStatus.COMPLETED);
    }

    @Test
    void aTransferToAnInvalidPeerChangesNothing() {
        Scene scene = Scene.fresh();
        ServiceRequest first = single(assign(scene, today().minusDays(5)), ServiceRequest.class);
        String inactive = role(false, PEER_SPECIALIST, null);
        String planVersion = version(read(CarePlan.class, scene.plan()));

        BaseServerResponseException refused = failure(() -> transfer(scene.plan(), scene.peer(), inactive,
                scene.assigner(), today()));

        assertStatus(refused, 422);
        ServiceRequest stored = read(ServiceRequest.class, ref(first));
        assertThat(stored.getStatus()).as("the old assignment is still active")
                .isEqualTo(ServiceRequest.ServiceRequestStatus.ACTIVE);
        assertThat(stored.getOccurrencePeriod().hasEnd()).isFalse();
        assertThat(version(stored)).isEqualTo("1");
        assertThat(found("Task?focus=" + ref(first), Task.class)).singleElement()
                .satisfies(t -> assertThat(t.getStatus()).isEqualTo(Task.TaskStatus.INPROGRESS));
        CareTeam team = found("CareTeam?subject=" + scene.patient(), CareTeam.class).get(0);
        assertThat(participants(team, scene.peer())).singleElement()
                .satisfies(p -> assertThat(p.getPeriod().hasEnd()).isFalse());
        assertThat(participants(team, inactive)).isEmpty();
        assertThat(referrals(scene.plan())).hasSize(1);
        assertThat(version(read(CarePlan.class, scene.plan()))).isEqualTo(planVersion);
    }

    // ================================================================== end

    @Test
    void endingWithAReasonCompletesTheAssignment() {
        Scene scene = Scene.fresh();
        ServiceRequest referral = single(assign(scene, today().minusDays(20)), ServiceRequest.class);

        Bundle written = end(scene.plan(), scene.peer(), endReason("goals-met"), scene.assigner(), today());

        ServiceRequest ended = single(written, ServiceRequest.class);
        assertThat(ref(ended)).isEqualTo(ref(referral));
        assertThat(ended.getStatus()).isEqualTo(ServiceRequest.ServiceRequestStatus.COMPLETED);
        assertThat(ended.getOccurrencePeriod().getEndElement().getValueAsString()).startsWith(today().toString());
        Task task = single(written, Task.class);
        assertThat(task.getStatus()).isEqualTo(Task.TaskStatus.COMPLETED);
        assertThat(hasCoding(task.getStatusReason(), END_REASON, "goals-met")).isTrue();
        CareTeam team = single(written, CareTeam.class);
        assertThat(participants(team, scene.peer())).singleElement()
                .satisfies(p -> assertThat(p.getPeriod().hasEnd()).isTrue());
        assertThat(read(ServiceRequest.class, ref(referral)).getStatus())
                .isEqualTo(ServiceRequest.ServiceRequestStatus.COMPLETED);

        // nothing left to end
        BaseServerResponseException again = failure(() -> end(scene.plan(), scene.peer(), endReason("goals-met"),
                scene.assigner(), today()));
        assertStatus(again, 422);
        assertThat(said(again)).contains("no active peer mentor assignment");
    }

    @Test
    void endingAPeerWhoIsNotAssignedIsRefused() {
        Scene scene = Scene.fresh();
        BaseServerResponseException refused = failure(() -> end(scene.plan(), scene.peer(), endReason("goals-met"),
                scene.assigner(), today()));
        assertStatus(refused, 422);
        assertThat(count("ServiceRequest?based-on=" + scene.plan())).isZero();
    }

    @Test
    void endingNeedsAReasonFromTheEndReasonCodeSystem() {
        Scene scene = Scene.fresh();
        ServiceRequest referral = single(assign(scene, today().minusDays(2)), ServiceRequest.class);

        BaseServerResponseException otherSystem = failure(() -> end(scene.plan(), scene.peer(),
                new Coding("http://example.org/reasons", "goals-met", null), scene.assigner(), today()));
        assertStatus(otherSystem, 400);
        assertThat(said(otherSystem)).contains(END_REASON);

        BaseServerResponseException missing = failure(() -> end(scene.plan(), scene.peer(), null, scene.assigner(),
                today()));
        assertStatus(missing, 400);

        ServiceRequest stored = read(ServiceRequest.class, ref(referral));
        assertThat(stored.getStatus()).isEqualTo(ServiceRequest.ServiceRequestStatus.ACTIVE);
        assertThat(version(stored)).isEqualTo("1");
    }

    @Test
    void endingWithACodeThatTheEndReasonCodeSystemDoesNotDefineIsRefused() {
        Scene scene = Scene.fresh();
        ServiceRequest referral = single(assign(scene, today().minusDays(2)), ServiceRequest.class);

        BaseServerResponseException unknownCode = failure(() -> end(scene.plan(), scene.peer(),
                endReason("got-bored"), scene.assigner(), today()));

        assertStatus(unknownCode, 400);
        assertThat(read(ServiceRequest.class, ref(referral)).getStatus())
                .isEqualTo(ServiceRequest.ServiceRequestStatus.ACTIVE);
    }

    // ================================================================== sessions

    @Test
    void recordingASessionWritesTheEncounterWithUnitsAndTheNote() {
        Scene scene = Scene.fresh();
        ServiceRequest referral = single(assign(scene, today().minusDays(7)), ServiceRequest.class);
        String goal = create(recoveryGoal(scene.patient()));
        Instant start = now().minus(Duration.ofHours(3));
        Instant end = start.plus(Duration.ofMinutes(40));
        Parameters params = session(scene.patient(), scene.peer(), start, end);
        params.addParameter().setName("goal").setValue(new Reference(goal));
        params.addParameter().setName("location").setValue(new StringType("Video call"));

        Bundle written = record(params);

        Encounter encounter = single(written, Encounter.class);
        assertThat(billingUnits(encounter)).as("40 minutes = 2 full units + 10 minutes >= 8").isEqualTo(3);
        assertThat(encounter.getClass_().getSystem()).isEqualTo(V3_ACT_CODE);
        assertThat(encounter.getClass_().getCode()).isEqualTo("VR");
        assertThat(encounter.getStatus()).isEqualTo(Encounter.EncounterStatus.FINISHED);
        assertThat(encounter.getType()).anyMatch(t -> hasCoding(t, HCPCS, "H0038"));
        assertThat(encounter.getSubject().getReference()).isEqualTo(scene.patient());
        assertThat(encounter.getBasedOn()).extracting(Reference::getReference).containsExactly(ref(referral));
        assertThat(encounter.getParticipant()).extracting(p -> p.getIndividual().getReference())
                .contains(scene.peer());
        assertThat(encounter.getPeriod().getStart()).isEqualTo(Date.from(start));
        assertThat(encounter.getPeriod().getEnd()).isEqualTo(Date.from(end));
        Extension modality = encounter.getExtensionByUrl(EXT_SESSION_MODALITY);
        assertThat(modality).isNotNull();
        assertThat(((Coding) modality.getValue()).getCode()).isEqualTo("video");

        Procedure note = single(written, Procedure.class);
        assertThat(note.getEncounter().getReference()).isEqualTo(ref(encounter));
        assertThat(note.getSubject().getReference()).isEqualTo(scene.patient());
        assertThat(note.getReasonCode()).hasSize(2);
        assertThat(note.getReasonCode()).anyMatch(c -> hasCoding(c, FOCUS_AREA, "cravings"))
                .anyMatch(c -> hasCoding(c, FOCUS_AREA, "belonging"));
        assertThat(note.getOutcome().getText()).isEqualTo("Said it helped to hear it gets easier");
        assertThat(note.getFollowUp()).extracting(CodeableConcept::getText)
                .containsExactly("Check in Friday after the meeting");
        assertThat(note.getNote()).extracting(Annotation::getText).containsExactly("Talked through weekend cravings");
        assertThat(note.getPerformer()).extracting(p -> p.getActor().getReference()).contains(scene.peer());
        assertThat(note.getExtension()).anyMatch(e -> e.getValue() instanceof Reference r
                && goal.equals(r.getReference()));

        // stored as answered
        Encounter stored = read(Encounter.class, ref(encounter));
        assertThat(billingUnits(stored)).isEqualTo(3);
        assertThat(found("Procedure?encounter=" + ref(encounter), Procedure.class)).hasSize(1);
        assertThat(found("Encounter?based-on=" + ref(referral), Encounter.class)).hasSize(1);
    }

    @Test
    void billingUnitsFollowTheMidpointRule() {
        Scene scene = Scene.fresh();
        assign(scene, today().minusDays(7));
        Instant base = now().minus(Duration.ofHours(6));
        int[][] cases = {{7, 0}, {8, 1}, {22, 1}, {23, 2}, {60, 4}};
        for (int i = 0; i < cases.length; i++) {
            Instant start = base.plus(Duration.ofMinutes(70L * i));
            Encounter encounter = single(record(session(scene.patient(), scene.peer(), start,
                    start.plus(Duration.ofMinutes(cases[i][0])))), Encounter.class);
            assertThat(billingUnits(encounter)).as("units for %d minutes", cases[i][0]).isEqualTo(cases[i][1]);
        }
    }

    /** An Encounter typed H0038 sent as plain FHIR, as an EHR would send it. */
    private static Encounter plainSession(String patient, String peer, Instant start, Instant end) {
        Encounter session = new Encounter().setStatus(Encounter.EncounterStatus.FINISHED)
                .setClass_(new Coding(V3_ACT_CODE, "AMB", "ambulatory"))
                .setSubject(new Reference(patient))
                .setPeriod(new Period().setStart(Date.from(start)).setEnd(Date.from(end)));
        session.addType().addCoding(new Coding(HCPCS, "H0038", null));
        session.addParticipant().setIndividual(new Reference(peer));
        session.addExtension(EXT_SESSION_MODALITY, new Coding(SESSION_MODALITY, "in-person", null));
        return session;
    }

    @Test
    void aPlainEncounterTypedH0038GetsItsUnitsAndAssignmentFromTheServer() {
        Scene scene = Scene.fresh();
        ServiceRequest referral = single(assign(scene, today().minusDays(7)), ServiceRequest.class);
        Instant start = now().minus(Duration.ofHours(4));
        Encounter sent = plainSession(scene.patient(), scene.peer(), start, start.plus(Duration.ofMinutes(23)));
        sent.addExtension(EXT_BILLING_UNITS, new IntegerType(99)); // the client's figure does not count

        String id = create(sent);

        Encounter stored = read(Encounter.class, id);
        assertThat(billingUnits(stored)).isEqualTo(2);
        assertThat(stored.getExtension().stream().filter(e -> EXT_BILLING_UNITS.equals(e.getUrl()))).hasSize(1);
        assertThat(stored.getBasedOn()).extracting(Reference::getReference).containsExactly(ref(referral));
    }

    @Test
    void aSessionWithSomeoneThePeerIsNotAssignedToIsRefusedAndNothingIsStored() {
        Scene scene = Scene.fresh();
        assign(scene, today().minusDays(7));
        String otherPeer = peer(); // a valid peer specialist, but not this person's mentor
        String stranger = patient(); // nobody's mentee
        Instant start = now().minus(Duration.ofHours(2));
        Instant end = start.plus(Duration.ofMinutes(30));

        BaseServerResponseException notTheirPeer = failure(() -> record(session(scene.patient(), otherPeer, start,
                end)));
        assertStatus(notTheirPeer, 422);
        assertThat(said(notTheirPeer)).contains("assignment").contains(otherPeer).contains(scene.patient());

        BaseServerResponseException notAMentee = failure(() -> record(session(stranger, scene.peer(), start, end)));
        assertStatus(notAMentee, 422);
        assertThat(said(notAMentee)).contains("assignment");

        assertThat(count("Encounter?participant=" + otherPeer)).isZero();
        assertThat(count("Encounter?subject=" + stranger)).isZero();
        assertThat(count("Procedure?subject=" + stranger)).isZero();
        assertThat(count("Procedure?subject=" + scene.patient())).isZero();
    }

    @Test
    void aPlainEncounterTypedH0038ForAnUnassignedPairIsRefusedToo() {
        Scene scene = Scene.fresh(); // no assignment
        Instant start = now().minus(Duration.ofHours(2));
        Encounter session = plainSession(scene.patient(), scene.peer(), start, start.plus(Duration.ofMinutes(30)));

        BaseServerResponseException refused = failure(() -> create(session));
        assertStatus(refused, 422);
        assertThat(said(refused)).contains("assignment");

        // and the same by update-as-create with a client id
        String id = "unassigned-" + UUID.randomUUID();
        session.setId("Encounter/" + id);
        BaseServerResponseException byPut = failure(() -> CLIENT.update().resource(session).execute());
        assertStatus(byPut, 422);
        assertThat(failure(() -> CLIENT.read().resource(Encounter.class).withId(id).execute()).getStatusCode())
                .isEqualTo(404);
        assertThat(count("Encounter?subject=" + scene.patient())).isZero();
    }

    @Test
    void aSessionBeforeTheAssignmentStartedIsRefused() {
        Scene scene = Scene.fresh();
        assign(scene, today().minusDays(2));
        Instant start = now().minus(Duration.ofDays(10));

        BaseServerResponseException refused = failure(() -> record(session(scene.patient(), scene.peer(), start,
                start.plus(Duration.ofMinutes(30)))));

        assertStatus(refused, 422);
        assertThat(said(refused)).contains("assignment");
        assertThat(count("Encounter?subject=" + scene.patient())).isZero();
        assertThat(count("Procedure?subject=" + scene.patient())).isZero();
    }

    @Test
    void aGroupSessionWritesOneEncounterPerPersonBilledWithHq() {
        String peer = peer();
        String assigner = practitioner("Dr. Chen");
        String first = patient();
        String second = patient();
        String firstReferral = ref(single(assign(plan(first), peer, assigner, today().minusDays(7)),
                ServiceRequest.class));
        String secondReferral = ref(single(assign(plan(second), peer, assigner, today().minusDays(7)),
                ServiceRequest.class));
        Instant start = now().minus(Duration.ofHours(3));

        Bundle written = record(session(List.of(first, second), peer, start, start.plus(Duration.ofMinutes(90))));

        List<Encounter> encounters = ofType(written, Encounter.class);
        assertThat(encounters).extracting(e -> e.getSubject().getReference()).containsExactlyInAnyOrder(first, second);
        List<String> groupKeys = new ArrayList<>();
        for (Encounter encounter : encounters) {
            List<Coding> codings = encounter.getType().stream().flatMap(t -> t.getCoding().stream())
                    .collect(Collectors.toList());
            assertThat(codings).anyMatch(c -> HCPCS.equals(c.getSystem()) && "H0038".equals(c.getCode()))
                    .anyMatch(c -> HCPCS.equals(c.getSystem()) && "HQ".equals(c.getCode()));
            Extension group = encounter.getExtensionByUrl(EXT_GROUP_SESSION);
            assertThat(group).as("group-session extension of %s", ref(encounter)).isNotNull();
            Identifier key = (Identifier) group.getValue();
            groupKeys.add(key.getSystem() + "|" + key.getValue());
            assertThat(billingUnits(encounter)).isEqualTo(6);
            String expectedReferral = encounter.getSubject().getReference().equals(first) ? firstReferral
                    : secondReferral;
            assertThat(encounter.getBasedOn()).extracting(Reference::getReference).containsExactly(expectedReferral);
        }
        assertThat(groupKeys).hasSize(2);
        assertThat(groupKeys.get(0)).isEqualTo(groupKeys.get(1)).doesNotContain("null");
        List<Procedure> notes = ofType(written, Procedure.class);
        assertThat(notes).extracting(p -> p.getSubject().getReference()).containsExactlyInAnyOrder(first, second);
    }

    @Test
    void aGroupSessionWithOneUnassignedPersonStoresNothing() {
        String peer = peer();
        String assigner = practitioner("Dr. Chen");
        String assigned = patient();
        assign(plan(assigned), peer, assigner, today().minusDays(7));
        String unassigned = patient();
        Instant start = now().minus(Duration.ofHours(3));

        BaseServerResponseException refused = failure(() -> record(session(List.of(assigned, unassigned), peer,
                start, start.plus(Duration.ofMinutes(60)))));

        assertStatus(refused, 422);
        assertThat(count("Encounter?subject=" + assigned)).as("the whole group session is one transaction").isZero();
        assertThat(count("Procedure?subject=" + assigned)).isZero();
    }

    @Test
    void theSameSessionSentTwiceWithOneClientKeyIsStoredOnce() {
        Scene scene = Scene.fresh();
        assign(scene, today().minusDays(7));
        String key = "retry-" + UUID.randomUUID();
        Instant start = now().minus(Duration.ofHours(2));
        Parameters params = session(scene.patient(), scene.peer(), start, start.plus(Duration.ofMinutes(40)));
        params.addParameter().setName("clientKey").setValue(new StringType(key));

        Encounter firstTime = single(record(params), Encounter.class);
        Encounter secondTime = single(record(params), Encounter.class);

        assertThat(ref(secondTime)).isEqualTo(ref(firstTime));
        List<Encounter> stored = found("Encounter?identifier=" + SESSION_KEY + "|" + key, Encounter.class);
        assertThat(stored).hasSize(1);
        assertThat(ref(stored.get(0))).isEqualTo(ref(firstTime));
        assertThat(count("Encounter?subject=" + scene.patient())).isEqualTo(1);
        assertThat(count("Procedure?encounter=" + ref(firstTime))).isEqualTo(1);
    }

    // ================================================================== co-signature

    private static Provenance cosignature(String encounterVersion, String peer, String supervisor) {
        Provenance provenance = new Provenance().setRecorded(new Date());
        provenance.addTarget(new Reference(encounterVersion));
        provenance.addAgent().setType(new CodeableConcept(new Coding(PROVENANCE_PARTICIPANT, "author", "Author")))
                .setWho(new Reference(peer));
        provenance.addAgent().setType(new CodeableConcept(new Coding(PROVENANCE_PARTICIPANT, "verifier", "Verifier")))
                .setWho(new Reference(supervisor));
        Signature signature = provenance.addSignature();
        signature.addType(new Coding("urn:iso-astm:E1762-95:2013", "1.2.840.10065.1.12.1.5", "Verification Signature"));
        signature.setWhen(new Date()).setWho(new Reference(supervisor)).setSigFormat("text/plain");
        signature.setDataElement(new org.hl7.fhir.r4.model.Base64BinaryType("U2FtIE9rYWZvciwgQ1BSUw=="));
        return provenance;
    }

    @Test
    void aSupervisorCoSignsAndTheSignedVersionStaysReadable() {
        String supervisor = peer();
        String patient = patient();
        String plan = plan(patient);
        String peer = role(true, PEER_SPECIALIST, supervisor);
        assign(plan, peer, practitioner("Dr. Chen"), today().minusDays(7));
        Instant start = now().minus(Duration.ofHours(3));
        Encounter session = single(record(session(patient, peer, start, start.plus(Duration.ofMinutes(40)))),
                Encounter.class);
        assertThat(version(session)).isEqualTo("1");
        String signedVersion = ref(session) + "/_history/1";

        // HAPI's parser drops versions from references unless told not to; the co-signature must name version 1
        HttpResponse<String> signed = FhirServer.send("POST", "/Provenance", "application/fhir+json",
                FhirServer.FHIR.newJsonParser().setStripVersionsFromReferences(false)
                        .encodeResourceToString(cosignature(signedVersion, peer, supervisor)));
        assertThat(signed.statusCode()).as(signed.body()).isEqualTo(201);
        Provenance stored = FhirServer.FHIR.newJsonParser().parseResource(Provenance.class, signed.body());
        assertThat(stored.getTargetFirstRep().getReference()).isEqualTo(signedVersion);
        assertThat(found("Provenance?target=" + ref(session), Provenance.class)).hasSize(1);

        Provenance unsigned = cosignature(signedVersion, peer, supervisor);
        unsigned.getSignature().clear();
        BaseServerResponseException refused = failure(() -> create(unsigned));
        assertStatus(refused, 422);
        assertThat(said(refused)).contains("Provenance.signature");

        Provenance noVerifier = cosignature(signedVersion, peer, supervisor);
        noVerifier.getAgent().get(1).getType().getCodingFirstRep().setCode("performer");
        noVerifier.getAgent().get(1).getType().getCodingFirstRep().setDisplay("Performer");
        noVerifier.addTarget(new Reference(ref(session)));
        // without a verifier the profile's applies-when no longer fires; declare it, as a co-signature would
        noVerifier.getMeta().addProfile(BASE + "/StructureDefinition/session-cosignature");
        BaseServerResponseException noVerifierRefused = failure(() -> create(noVerifier));
        assertStatus(noVerifierRefused, 422);
        assertThat(said(noVerifierRefused)).contains("verifier");
        assertThat(found("Provenance?target=" + ref(session), Provenance.class)).hasSize(1);

        // editing the session after signing makes version 2; version 1, the one signed, is unchanged
        Encounter current = read(Encounter.class, ref(session));
        current.addLocation().setLocation(new Reference().setDisplay("Harbor drop-in center"));
        current.setStatus(Encounter.EncounterStatus.FINISHED);
        IdType updated = (IdType) CLIENT.update().resource(current).execute().getId();
        assertThat(updated.getVersionIdPart()).isEqualTo("2");

        Encounter latest = read(Encounter.class, ref(session));
        assertThat(version(latest)).isEqualTo("2");
        assertThat(latest.getLocation()).extracting(l -> l.getLocation().getDisplay())
                .contains("Harbor drop-in center");
        Encounter original = CLIENT.read().resource(Encounter.class)
                .withIdAndVersion(session.getIdElement().getIdPart(), "1").execute();
        assertThat(version(original)).isEqualTo("1");
        assertThat(original.getLocation()).isEmpty();
        assertThat(billingUnits(original)).isEqualTo(3);
        assertThat(original.getPeriod().getStart()).isEqualTo(Date.from(start));
    }

    // ================================================================== encouragement

    private static Communication encouragement(String patient, String peer, String goal, String referral,
                                               Instant sent) {
        Communication message = new Communication().setStatus(Communication.CommunicationStatus.COMPLETED)
                .setSubject(new Reference(patient))
                .addRecipient(new Reference(patient))
                .setSender(new Reference(peer))
                .setSentElement(new DateTimeType(sent.toString()));
        message.addCategory().addCoding(new Coding(MESSAGE_CATEGORY, "encouragement", "Encouragement"));
        message.addMedium().addCoding(new Coding("http://terminology.hl7.org/CodeSystem/v3-ParticipationMode",
                "ONLINEWRIT", "online written"));
        message.addAbout(new Reference(goal));
        message.addReasonCode().addCoding(new Coding(FOCUS_AREA, "cravings", null));
        message.addPayload().setContent(new StringType("Thinking of you tonight. You've got this."));
        if (referral != null) {
            message.addBasedOn(new Reference(referral));
        }
        return message;
    }

    @Test
    void encouragementIsStoredAndFoundByEverySearchTheJourneysUse() {
        Scene scene = Scene.fresh();
        String referral = ref(single(assign(scene, today().minusDays(7)), ServiceRequest.class));
        String goal = create(recoveryGoal(scene.patient()));
        // noon UTC yesterday: the same calendar day in any server time zone within UTC-11..UTC+11
        LocalDate day = today().minusDays(1);
        Instant sent = day.atTime(12, 0).toInstant(ZoneOffset.UTC);
        String id = create(encouragement(scene.patient(), scene.peer(), goal, referral, sent));

        String scope = "Communication?patient=" + scene.patient();
        assertThat(ids(scope)).containsExactly(id);
        assertThat(ids("Communication?sender=" + scene.peer())).containsExactly(id);
        assertThat(ids(scope + "&category=" + MESSAGE_CATEGORY + "|encouragement")).containsExactly(id);
        assertThat(ids(scope + "&category=" + MESSAGE_CATEGORY + "|advice")).isEmpty();
        assertThat(ids(scope + "&sent=" + day)).containsExactly(id);
        assertThat(ids(scope + "&sent=" + day.minusDays(1))).isEmpty();
        assertThat(ids("Communication?about=" + goal)).containsExactly(id);
        assertThat(ids(scope + "&focus-area=cravings")).containsExactly(id);
        assertThat(ids(scope + "&focus-area=" + FOCUS_AREA + "|cravings")).containsExactly(id);
        assertThat(ids(scope + "&focus-area=belonging")).isEmpty();
        assertThat(ids("Communication?based-on=" + referral)).containsExactly(id);
    }

    private static List<String> ids(String query) {
        return search(query).getEntry().stream().map(e -> ref(e.getResource())).collect(Collectors.toList());
    }

    @Test
    void encouragementWithoutASenderIsRefused() {
        Scene scene = Scene.fresh();
        String goal = create(recoveryGoal(scene.patient()));
        Communication anonymous = encouragement(scene.patient(), scene.peer(), goal, null, now());
        anonymous.setSender(null);

        BaseServerResponseException refused = failure(() -> create(anonymous));

        assertStatus(refused, 422);
        assertThat(said(refused)).contains("Communication.sender");
        assertThat(count("Communication?patient=" + scene.patient())).isZero();
    }

    // ================================================================== goals

    private static Goal recoveryGoal(String patient) {
        Goal goal = new Goal().setLifecycleStatus(Goal.GoalLifecycleStatus.ACTIVE)
                .setDescription(new CodeableConcept().setText("Get back to part-time work by summer"))
                .setSubject(new Reference(patient))
                .setExpressedBy(new Reference(patient))
                .setStart(new DateType(today().toString()));
        goal.addCategory().addCoding(new Coding(GOAL_CATEGORY, "recovery", "Recovery goal"));
        return goal;
    }

    @Test
    void aRecoveryGoalJoinsThePlanAndKeepsItsHistory() {
        Scene scene = Scene.fresh();
        String goal = create(recoveryGoal(scene.patient()));

        CarePlan plan = read(CarePlan.class, scene.plan());
        plan.addGoal(new Reference(goal));
        CLIENT.update().resource(plan).execute();
        assertThat(read(CarePlan.class, scene.plan()).getGoal()).extracting(Reference::getReference)
                .containsExactly(goal);

        Goal progress = read(Goal.class, goal);
        progress.setAchievementStatus(new CodeableConcept(new Coding(
                "http://terminology.hl7.org/CodeSystem/goal-achievement", "improving", "Improving")));
        progress.addNote().setTimeElement(new DateTimeType(now().toString())).setText("Booked a job-centre visit");
        IdType updated = (IdType) CLIENT.update().resource(progress).execute().getId();
        assertThat(updated.getVersionIdPart()).isEqualTo("2");

        Bundle history = CLIENT.history().onInstance(new IdType(goal)).returnBundle(Bundle.class).execute();
        List<Goal> versions = ofType(history, Goal.class);
        assertThat(versions).extracting(MentorshipIT::version).containsExactlyInAnyOrder("1", "2");
        Goal first = versions.stream().filter(g -> "1".equals(version(g))).findFirst().orElseThrow();
        Goal second = versions.stream().filter(g -> "2".equals(version(g))).findFirst().orElseThrow();
        assertThat(first.hasAchievementStatus()).isFalse();
        assertThat(first.getNote()).isEmpty();
        assertThat(hasCoding(second.getAchievementStatus(), "http://terminology.hl7.org/CodeSystem/goal-achievement",
                "improving")).isTrue();
        assertThat(second.getNote()).singleElement().satisfies(n -> {
            assertThat(n.hasTime()).isTrue();
            assertThat(n.getText()).isEqualTo("Booked a job-centre visit");
        });
    }

    @Test
    void aRecoveryGoalMustBeExpressedByThePerson() {
        String patient = patient();
        Goal goal = recoveryGoal(patient).setExpressedBy(null);
        BaseServerResponseException refused = failure(() -> create(goal));
        assertStatus(refused, 422);
        assertThat(said(refused)).contains("Goal.expressedBy");
        assertThat(count("Goal?subject=" + patient)).isZero();
    }

    // ================================================================== side by side

    @Test
    void sideBySideSummarisesThePlanAndListsTherapyAndPeerSupportInTimeOrder() {
        Scene scene = Scene.fresh();
        String goal = create(recoveryGoal(scene.patient()));
        CarePlan withGoal = read(CarePlan.class, scene.plan());
        withGoal.addGoal(new Reference(goal));
        CLIENT.update().resource(withGoal).execute();

        Instant now = now();
        YearMonth month = YearMonth.from(now.atZone(ZoneOffset.UTC));
        Instant anchor = now.minus(Duration.ofHours(5));
        if (!YearMonth.from(anchor.atZone(ZoneOffset.UTC)).equals(month)) {
            anchor = month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC).plus(Duration.ofMinutes(1));
        }
        LocalDate assignmentStart = LocalDate.ofInstant(anchor, ZoneOffset.UTC).minusDays(1);
        Bundle assigned = assign(scene, assignmentStart);
        ServiceRequest referral = single(assigned, ServiceRequest.class);
        Task task = single(assigned, Task.class);

        Instant firstStart = anchor;
        Instant firstEnd = firstStart.plus(Duration.ofMinutes(40)); // 3 units
        Instant messageSent = anchor.plus(Duration.ofMinutes(50));
        Instant secondStart = anchor.plus(Duration.ofMinutes(60));
        Instant secondEnd = secondStart.plus(Duration.ofMinutes(25)); // 2 units
        Bundle first = record(session(scene.patient(), scene.peer(), firstStart, firstEnd));
        String message = create(encouragement(scene.patient(), scene.peer(), goal, ref(referral), messageSent));
        Bundle second = record(session(scene.patient(), scene.peer(), secondStart, secondEnd));

        Bundle view = sideBySide(scene.plan());

        // the summary first
        assertThat(view.getEntry().get(0).getResource()).isInstanceOf(Parameters.class);
        Parameters summary = (Parameters) view.getEntry().get(0).getResource();
        // computed, not stored: identified by a urn:uuid fullUrl (which HAPI's client also makes its id)
        assertThat(view.getEntry().get(0).getFullUrl()).startsWith("urn:uuid:")
                .endsWith(summary.getIdElement().getIdPart().replace("urn:uuid:", ""));
        assertThat(integer(summary, "sessionsThisMonth")).isEqualTo(2);
        assertThat(integer(summary, "unitsThisMonth")).isEqualTo(5);
        Optional<Instant> expectedLastContact = List.of(firstEnd, messageSent, secondEnd).stream()
                .filter(t -> !t.isAfter(Instant.now())).max(Instant::compareTo);
        if (expectedLastContact.isPresent()) {
            Type lastContact = value(summary, "lastContact");
            assertThat(lastContact).isInstanceOf(DateTimeType.class);
            assertThat(((DateTimeType) lastContact).getValue().toInstant()).isEqualTo(expectedLastContact.get());
            assertThat(integer(summary, "daysSinceLastContact")).isZero();
        } else {
            // in a month's first hour and a half the contacts all lie ahead (this month, not yet): none is the last yet
            assertThat(summary.getParameter()).extracting(p -> p.getName())
                    .doesNotContain("lastContact", "daysSinceLastContact");
        }
        Type mentor = value(summary, "activePeerMentor");
        assertThat(mentor).isInstanceOf(Reference.class);
        assertThat(((Reference) mentor).getReference()).isEqualTo(scene.peer());

        // then the plan and its goal
        Resource planEntry = view.getEntry().get(1).getResource();
        assertThat(planEntry).isInstanceOf(CarePlan.class);
        assertThat(ref(planEntry)).isEqualTo(scene.plan());
        List<String> refs = view.getEntry().stream().map(e -> ref(e.getResource())).collect(Collectors.toList());
        assertThat(refs).contains(goal);

        // then the timeline: every record of the plan's peer support
        List<String> expected = new ArrayList<>(List.of(ref(referral), ref(task), message));
        for (Bundle written : List.of(first, second)) {
            expected.add(ref(single(written, Encounter.class)));
            expected.add(ref(single(written, Procedure.class)));
        }
        assertThat(refs).containsAll(expected);
        assertThat(refs).doesNotHaveDuplicates();

        List<Instant> times = new ArrayList<>();
        boolean timeline = false;
        for (Bundle.BundleEntryComponent entry : view.getEntry()) {
            Resource resource = entry.getResource();
            if (resource instanceof CarePlan) {
                timeline = true;
                continue;
            }
            Instant when = when(resource);
            if (timeline && when != null) {
                times.add(when);
            }
        }
        assertThat(times).as("timeline times").hasSizeGreaterThanOrEqualTo(7);
        assertThat(times).isSorted();
    }

    /** The moment an Encounter, Procedure, Communication, ServiceRequest or Task belongs to on a timeline. */
    private static Instant when(Resource resource) {
        Date date = null;
        if (resource instanceof Encounter e) {
            date = e.getPeriod().getStart();
        } else if (resource instanceof Procedure p) {
            date = p.hasPerformedPeriod() ? p.getPerformedPeriod().getStart() : null;
        } else if (resource instanceof Communication c) {
            date = c.getSent();
        } else if (resource instanceof ServiceRequest s) {
            date = s.getAuthoredOn();
        } else if (resource instanceof Task t) {
            date = t.getAuthoredOn();
        }
        return date == null ? null : date.toInstant();
    }

    private static Type value(Parameters parameters, String name) {
        List<Type> values = parameters.getParameter().stream().filter(p -> name.equals(p.getName()))
                .map(ParametersParameterComponent::getValue).filter(Objects::nonNull).collect(Collectors.toList());
        assertThat(values).as("summary parameter %s", name).hasSize(1);
        return values.get(0);
    }

    private static int integer(Parameters parameters, String name) {
        Type value = value(parameters, name);
        assertThat(value).as(name).isInstanceOf(IntegerType.class);
        return ((IntegerType) value).getValue();
    }
}
