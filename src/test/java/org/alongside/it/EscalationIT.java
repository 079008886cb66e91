package org.alongside.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Subscription;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * "I'm worried" end to end over HTTP: a peer's Patient/$escalate writes an urgent Task for the care team's clinician
 * and a Flag on the person, a Subscription hears of the Task, the clinician acknowledges (Task accepted, Flag closed,
 * one transaction) and the peer reads that it was; an EHR escalates through the same operation; all of it audited.
 */
class EscalationIT {

    static final String CRISIS = "http://alongside.health/fhir/CodeSystem/crisis-support";
    static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    static final IGenericClient EHR = FhirServer.client();
    static final HookReceiver RECEIVER = new HookReceiver();

    static String patient;
    static String stranger;
    static String noTeam;
    static String peerRole;
    static String clinician;
    static String subscription;

    @BeforeAll
    static void scene() {
        String org = create(new Organization().setName("Riverside " + RUN));
        String peer = create(new Practitioner().addName(new org.hl7.fhir.r4.model.HumanName().setText("Jordan")));
        clinician = create(new Practitioner().addName(new org.hl7.fhir.r4.model.HumanName().setText("Dr. Chen")));
        PractitionerRole role = new PractitionerRole().setActive(true).setPractitioner(new Reference("Practitioner/" + peer))
                .setOrganization(new Reference("Organization/" + org));
        role.addCode().addCoding(new Coding("http://nucc.org/provider-taxonomy", "175T00000X", "Peer Specialist"));
        peerRole = create(role);
        patient = create(new Patient().addName(new org.hl7.fhir.r4.model.HumanName().setFamily("Lopez")));
        stranger = create(new Patient().addName(new org.hl7.fhir.r4.model.HumanName().setFamily("Park")));
        noTeam = create(new Patient().addName(new org.hl7.fhir.r4.model.HumanName().setFamily("Diaz")));
        CareTeam clinical = new CareTeam().setStatus(CareTeam.CareTeamStatus.ACTIVE)
                .setSubject(new Reference("Patient/" + patient));
        clinical.addParticipant().setMember(new Reference("Practitioner/" + clinician));
        create(clinical);
        String plan = create(new CarePlan().setStatus(CarePlan.CarePlanStatus.ACTIVE)
                .setIntent(CarePlan.CarePlanIntent.PLAN).setSubject(new Reference("Patient/" + patient)));
        EHR.operation().onInstance(new IdType("CarePlan", plan)).named("$assign-peer-mentor")
                .withParameters(new Parameters()
                        .addParameter("peer", new Reference("PractitionerRole/" + peerRole))
                        .addParameter("assigner", new Reference("Practitioner/" + clinician)))
                .returnResourceType(Bundle.class).execute();
        Subscription hook = new Subscription().setStatus(Subscription.SubscriptionStatus.REQUESTED)
                .setReason("escalations to the EHR").setCriteria("Task?code=" + CRISIS + "|peer-worried&patient=Patient/" + patient);
        hook.getChannel().setType(Subscription.SubscriptionChannelType.RESTHOOK).setEndpoint(RECEIVER.url("/hook"))
                .setPayload("application/fhir+json");
        subscription = create(hook);
    }

    @AfterAll
    static void stopListening() {
        EHR.delete().resourceById(new IdType("Subscription", subscription)).execute();
        RECEIVER.close();
    }

    static String create(Resource resource) {
        return EHR.create().resource(resource).execute().getId().getIdPart();
    }

    static IGenericClient peer() {
        return FhirServer.clientWith(FhirServer.token("peer-specialist", "Practitioner/" + peerPractitioner(),
                "user/*.cruds", null));
    }

    static String peerPractitioner() {
        return EHR.read().resource(PractitionerRole.class).withId(peerRole).execute().getPractitioner().getReferenceElement()
                .getIdPart();
    }

    static IGenericClient clinician() {
        return FhirServer.clientWith(FhirServer.token("clinician", "Practitioner/" + clinician, "user/*.cruds", null));
    }

    static Bundle escalate(IGenericClient as, String about, String urgency, String requester, String key) {
        Parameters params = new Parameters()
                .addParameter("what", new StringType("Said goodbye to everyone on the group chat"))
                .addParameter("urgency", new CodeType(urgency))
                .addParameter("requester", new Reference(requester));
        if (key != null) {
            params.addParameter("clientKey", new StringType(key));
        }
        return as.operation().onInstance(new IdType("Patient", about)).named("$escalate").withParameters(params)
                .returnResourceType(Bundle.class).execute();
    }

    static <T extends Resource> T only(Bundle bundle, Class<T> type) {
        List<T> found = bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                .filter(type::isInstance).map(type::cast).toList();
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    @Test
    void aPeersWorryBecomesAnUrgentTaskForTheClinicianAndAFlagOnThePersonUntilTheClinicianAcknowledgesIt() {
        String key = UUID.randomUUID().toString();
        Bundle written = escalate(peer(), patient, "asap", "PractitionerRole/" + peerRole, key);
        Task task = only(written, Task.class);
        Flag flag = only(written, Flag.class);
        assertThat(task.getStatus()).isEqualTo(Task.TaskStatus.REQUESTED);
        assertThat(task.getPriority()).isEqualTo(Task.TaskPriority.ASAP);
        assertThat(task.getOwner().getReference()).isEqualTo("Practitioner/" + clinician);
        assertThat(task.getFor().getReference()).isEqualTo("Patient/" + patient);
        assertThat(task.getDescription()).isEqualTo("Said goodbye to everyone on the group chat");
        assertThat(task.getFocus().getReference()).isEqualTo("Flag/" + flag.getIdElement().getIdPart());
        assertThat(flag.getStatus()).isEqualTo(Flag.FlagStatus.ACTIVE);
        assertThat(flag.getSubject().getReference()).isEqualTo("Patient/" + patient);

        // a retry with the same key (an answer lost on a weak signal) writes nothing new
        Task again = only(escalate(peer(), patient, "asap", "PractitionerRole/" + peerRole, key), Task.class);
        assertThat(again.getIdElement().getIdPart()).isEqualTo(task.getIdElement().getIdPart());
        assertThat(EHR.search().byUrl("Flag?patient=Patient/" + patient).returnBundle(Bundle.class).execute()
                .getEntry()).hasSize(1);

        // pushed through the Subscription the EHR registered
        HookReceiver.Request pushed = RECEIVER.awaitAccepted(1, Duration.ofSeconds(30)).get(0);
        assertThat(pushed.path()).isEqualTo("/hook/Task/" + task.getIdElement().getIdPart());

        // the peer cannot acknowledge their own worry (only the care team moves it on), in whatever way they write
        Task selfAcknowledged = peer().read().resource(Task.class).withId(task.getIdElement().getIdPart()).execute();
        selfAcknowledged.setStatus(Task.TaskStatus.ACCEPTED);
        assertThatThrownBy(() -> peer().update().resource(selfAcknowledged).execute())
                .isInstanceOf(ForbiddenOperationException.class);
        Flag selfClosed = peer().read().resource(Flag.class).withId(flag.getIdElement().getIdPart()).execute();
        selfClosed.setStatus(Flag.FlagStatus.INACTIVE);
        Bundle selfAcknowledging = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        selfAcknowledging.addEntry().setResource(selfClosed).getRequest().setMethod(Bundle.HTTPVerb.PUT)
                .setUrl("Flag/" + selfClosed.getIdElement().getIdPart());
        assertThatThrownBy(() -> peer().transaction().withBundle(selfAcknowledging).execute())
                .isInstanceOf(ForbiddenOperationException.class);

        // the clinician finds it open and acknowledges it: Task accepted and Flag closed, all or nothing
        Bundle open = clinician().search().byUrl("Task?patient=Patient/" + patient + "&status=requested&code="
                + CRISIS + "|peer-worried").returnBundle(Bundle.class).execute();
        Task toAcknowledge = only(open, Task.class);
        Flag toClose = clinician().read().resource(Flag.class).withId(flag.getIdElement().getIdPart()).execute();
        toAcknowledge.setStatus(Task.TaskStatus.ACCEPTED).setLastModified(new Date());
        toClose.setStatus(Flag.FlagStatus.INACTIVE).getPeriod().setEnd(new Date());
        Bundle acknowledge = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        acknowledge.addEntry().setResource(toAcknowledge).getRequest().setMethod(Bundle.HTTPVerb.PUT)
                .setUrl("Task/" + toAcknowledge.getIdElement().getIdPart()).setIfMatch("W/\"1\"");
        acknowledge.addEntry().setResource(toClose).getRequest().setMethod(Bundle.HTTPVerb.PUT)
                .setUrl("Flag/" + toClose.getIdElement().getIdPart());
        clinician().transaction().withBundle(acknowledge).execute();

        // the peer sees that it was acknowledged
        Task seen = peer().read().resource(Task.class).withId(task.getIdElement().getIdPart()).execute();
        assertThat(seen.getStatus()).isEqualTo(Task.TaskStatus.ACCEPTED);
        assertThat(peer().read().resource(Flag.class).withId(flag.getIdElement().getIdPart()).execute().getStatus())
                .isEqualTo(Flag.FlagStatus.INACTIVE);

        // audited: the version the peer's escalation wrote and the one the clinician's acknowledgement wrote
        for (String version : List.of("1", "2")) {
            Bundle audit = EHR.search().byUrl("AuditEvent?entity=Task/" + task.getIdElement().getIdPart() + "/_history/"
                    + version).returnBundle(Bundle.class).execute();
            assertThat(audit.getEntry()).as("audit events of Task version " + version).isNotEmpty();
            assertThat(((AuditEvent) audit.getEntryFirstRep().getResource()).getOutcome())
                    .isEqualTo(AuditEvent.AuditEventOutcome._0);
        }
    }

    @Test
    void anEhrEscalatesThroughTheSameOperationAlsoForAPersonWithoutAClinicianYet() {
        Bundle written = escalate(EHR, noTeam, "stat", "Practitioner/" + clinician, null);
        assertThat(only(written, Task.class).getPriority()).isEqualTo(Task.TaskPriority.STAT);
        assertThat(only(written, Task.class).hasOwner()).as("no clinical care team: nobody owns it yet").isFalse();
        assertThat(only(written, Flag.class).getAuthor().getReference()).isEqualTo("Practitioner/" + clinician);
    }

    @Test
    void aPeerEscalatesOnlyForTheirPeopleInTheirOwnNameAndWithAKnownUrgency() {
        assertThatThrownBy(() -> escalate(peer(), stranger, "asap", "PractitionerRole/" + peerRole, null))
                .isInstanceOf(ForbiddenOperationException.class);
        assertThatThrownBy(() -> escalate(peer(), patient, "asap", "Practitioner/" + clinician, null))
                .isInstanceOf(ForbiddenOperationException.class);
        assertThatThrownBy(() -> escalate(peer(), patient, "whenever", "PractitionerRole/" + peerRole, null))
                .isInstanceOf(InvalidRequestException.class);
        assertThat(EHR.search().byUrl("Task?patient=Patient/" + stranger).returnBundle(Bundle.class).execute()
                .getEntry()).isEmpty();
    }
}
