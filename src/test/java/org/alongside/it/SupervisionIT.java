package org.alongside.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Duration;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Supervision sessions over HTTP (docs/mentorship.md, "Supervision sessions"; docs/security.md): a supervisor
 * records one with a peer they supervise and reads it, the peer reads their own, and nobody else reaches it: not
 * another supervisor, not another peer, not a clinician who shares a care team with both, not an administrator, not
 * a patient launch. The record sits in no person's record, and the rules a profile cannot say are refused with 422.
 */
class SupervisionIT {

    static final String BASE = "http://alongside.health/fhir";
    static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    static final String MARK = "urn:alongside:supervision-it:" + RUN;
    static final IGenericClient EHR = FhirServer.client();

    static String sam;
    static String samRole;
    static String pat;
    static String patRole;
    static String jordan;
    static String jordanRole;
    static String alex;
    static String alexRole;
    static String chen;
    static String patient;
    static String recorded;

    @BeforeAll
    static void scene() {
        String org = create(new Organization().setName("Riverside " + RUN));
        sam = create(new Practitioner().addName(new HumanName().setText("Sam")));
        pat = create(new Practitioner().addName(new HumanName().setText("Pat")));
        jordan = create(new Practitioner().addName(new HumanName().setText("Jordan")));
        alex = create(new Practitioner().addName(new HumanName().setText("Alex")));
        chen = create(new Practitioner().addName(new HumanName().setText("Dr. Chen")));
        samRole = create(role(sam, org, null));
        patRole = create(role(pat, org, null));
        jordanRole = create(role(jordan, org, samRole));
        alexRole = create(role(alex, org, patRole));
        // a person whose care team Jordan, Sam and Dr. Chen all serve on: sharing a care team grants no supervision
        patient = create(new Patient().addName(new HumanName().setFamily("Lopez")));
        CareTeam clinical = new CareTeam().setStatus(CareTeam.CareTeamStatus.ACTIVE)
                .setSubject(new Reference("Patient/" + patient));
        clinical.addParticipant().setMember(new Reference("Practitioner/" + chen));
        create(clinical);
        String plan = create(new CarePlan().setStatus(CarePlan.CarePlanStatus.ACTIVE)
                .setIntent(CarePlan.CarePlanIntent.PLAN).setSubject(new Reference("Patient/" + patient)));
        EHR.operation().onInstance(new IdType("CarePlan", plan)).named("$assign-peer-mentor")
                .withParameters(new Parameters()
                        .addParameter("peer", new Reference("PractitionerRole/" + jordanRole))
                        .addParameter("assigner", new Reference("Practitioner/" + chen)))
                .returnResourceType(Bundle.class).execute();
        recorded = as("supervisor", sam).create().resource(session(samRole, jordanRole, 60, "recorded"))
                .execute().getId().getIdPart();
    }

    @Test
    void aSupervisorRecordsASupervisionSessionWithAPeerTheySuperviseAndReadsIt() {
        Encounter read = as("supervisor", sam).read().resource(Encounter.class).withId(recorded).execute();
        assertThat(read.getLength().getValue().intValue()).isEqualTo(60);
        assertThat(read.getReasonCode()).anyMatch(c -> c.hasCoding(BASE + "/CodeSystem/supervision-topic", "peer-wellbeing"));
        assertThat(read.getExtensionByUrl(BASE + "/StructureDefinition/supervision-note").getValue().primitiveValue())
                .isEqualTo("A hard week; plans a day off");
        assertThat(searchSupervision(as("supervisor", sam))).contains(recorded);
    }

    @Test
    void aSupervisorCorrectsTheirOwnRecord() {
        String id = as("supervisor", sam).create().resource(session(samRole, jordanRole, 30, "to-correct"))
                .execute().getId().getIdPart();
        Encounter current = EHR.read().resource(Encounter.class).withId(id).execute();
        current.getLength().setValue(45);
        as("supervisor", sam).update().resource(current).execute();
        assertThat(EHR.read().resource(Encounter.class).withId(id).execute().getLength().getValue().intValue())
                .isEqualTo(45);
    }

    @Test
    void thePeerReadsTheirOwnSupervisionButCannotRecordOrChangeIt() {
        IGenericClient peer = as("peer-specialist", jordan);
        assertThat(peer.read().resource(Encounter.class).withId(recorded).execute().getIdElement().getIdPart())
                .isEqualTo(recorded);
        assertThat(searchSupervision(peer)).contains(recorded);
        String marker = UUID.randomUUID().toString();
        assertThatThrownBy(() -> peer.create().resource(session(samRole, jordanRole, 60, marker)).execute())
                .isInstanceOf(ForbiddenOperationException.class);
        assertThat(stored(marker)).isZero();
        Encounter current = EHR.read().resource(Encounter.class).withId(recorded).execute();
        current.getLength().setValue(600);
        assertThatThrownBy(() -> peer.update().resource(current).execute()).isInstanceOf(ForbiddenOperationException.class);
        assertThat(EHR.read().resource(Encounter.class).withId(recorded).execute().getLength().getValue().intValue())
                .isEqualTo(60);
    }

    @Test
    void aSupervisorCannotRecordSupervisionOfAPeerTheyDoNotSupervise() {
        String marker = UUID.randomUUID().toString();
        assertThatThrownBy(() -> as("supervisor", sam).create().resource(session(samRole, alexRole, 60, marker)).execute())
                .isInstanceOf(ForbiddenOperationException.class)
                .hasMessageContaining("only with a peer specialist they supervise");
        assertThat(stored(marker)).isZero();
    }

    @Test
    void aSupervisorCannotRecordInAnotherSupervisorsName() {
        String marker = UUID.randomUUID().toString();
        assertThatThrownBy(() -> as("supervisor", sam).create().resource(session(patRole, jordanRole, 60, marker)).execute())
                .isInstanceOf(ForbiddenOperationException.class);
        assertThatThrownBy(() -> as("supervisor", pat).create().resource(session(patRole, jordanRole, 60, marker)).execute())
                .isInstanceOf(ForbiddenOperationException.class);
        assertThat(stored(marker)).isZero();
    }

    @Test
    void nobodyElseReachesIt() {
        for (IGenericClient other : List.of(as("supervisor", pat), as("peer-specialist", alex), as("clinician", chen),
                FhirServer.clientWith(FhirServer.token("admin", "Practitioner/" + chen, "user/*.cruds", null)),
                FhirServer.clientWith(FhirServer.token("peer-specialist", "Practitioner/" + jordan,
                        "launch/patient patient/*.rs", patient)))) {
            assertThatThrownBy(() -> other.read().resource(Encounter.class).withId(recorded).execute())
                    .isInstanceOf(ForbiddenOperationException.class);
        }
        for (IGenericClient other : List.of(as("supervisor", pat), as("peer-specialist", alex), as("clinician", chen))) {
            assertThat(searchSupervision(other)).doesNotContain(recorded);
        }
        // nor through the history of Encounters
        Bundle history = as("clinician", chen).history().onType(Encounter.class).returnBundle(Bundle.class)
                .count(1000).execute();
        assertThat(history.getEntry()).noneMatch(e -> e.getResource() != null
                && recorded.equals(e.getResource().getIdElement().getIdPart()));
    }

    @Test
    void itIsInNoPersonsRecord() {
        Encounter stored = EHR.read().resource(Encounter.class).withId(recorded).execute();
        assertThat(stored.hasSubject()).isFalse();
        assertThat(stored.getMeta().getSecurity()).as("no Part 2 label on a staff record").isEmpty();
        // a peer's search of their sessions with people does not bring supervision along
        Bundle peers = as("peer-specialist", jordan).search().byUrl("Encounter?participant=PractitionerRole/" + jordanRole)
                .returnBundle(Bundle.class).execute();
        assertThat(peers.getEntry()).noneMatch(e -> recorded.equals(e.getResource().getIdElement().getIdPart()));
        Bundle everything = EHR.operation().onInstance(new IdType("Patient", patient)).named("$everything")
                .withNoParameters(Parameters.class).returnResourceType(Bundle.class).execute();
        assertThat(everything.getEntry()).noneMatch(e -> recorded.equals(e.getResource().getIdElement().getIdPart()));
    }

    @Test
    void aSessionAboutAPersonOrWithUnknownTopicsOrNoMinutesIsRefusedWith422() {
        String marker = UUID.randomUUID().toString();
        Encounter aboutSomeone = session(samRole, jordanRole, 60, marker).setSubject(new Reference("Patient/" + patient));
        assertThatThrownBy(() -> as("supervisor", sam).create().resource(aboutSomeone).execute())
                .isInstanceOf(UnprocessableEntityException.class).hasMessageContaining("no subject");
        Encounter unknownTopic = session(samRole, jordanRole, 60, marker);
        unknownTopic.getReasonCodeFirstRep().getCodingFirstRep().setCode("gossip");
        assertThatThrownBy(() -> as("supervisor", sam).create().resource(unknownTopic).execute())
                .isInstanceOf(UnprocessableEntityException.class).hasMessageContaining("gossip");
        Encounter tooLong = session(samRole, jordanRole, 601, marker);
        assertThatThrownBy(() -> as("supervisor", sam).create().resource(tooLong).execute())
                .isInstanceOf(UnprocessableEntityException.class).hasMessageContaining("minutes");
        assertThat(stored(marker)).isZero();
    }

    @Test
    void readingItIsAudited() {
        as("peer-specialist", jordan).read().resource(Encounter.class).withId(recorded).execute();
        Bundle audit = EHR.search().byUrl("AuditEvent?entity=Encounter/" + recorded + "/_history/1").returnBundle(Bundle.class).execute();
        assertThat(audit.getEntry()).isNotEmpty();
        assertThat(audit.getEntry()).allMatch(e -> e.getResource() instanceof AuditEvent);
    }

    static Encounter session(String supervisorRole, String peerRole, int minutes, String marker) {
        Encounter e = new Encounter();
        e.addIdentifier(new Identifier().setSystem(MARK).setValue(marker));
        e.setStatus(Encounter.EncounterStatus.FINISHED);
        e.setClass_(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "AMB", "ambulatory"));
        e.addType(new CodeableConcept(new Coding(BASE + "/CodeSystem/supervision", "supervision-session", "Supervision session")));
        e.addParticipant().addType(new CodeableConcept(new Coding(BASE + "/CodeSystem/supervision-role", "supervisor", null)))
                .setIndividual(new Reference("PractitionerRole/" + supervisorRole));
        e.addParticipant().addType(new CodeableConcept(new Coding(BASE + "/CodeSystem/supervision-role", "supervisee", null)))
                .setIndividual(new Reference("PractitionerRole/" + peerRole));
        e.getPeriod().setStart(new Date());
        e.setLength((Duration) new Duration().setValue(minutes).setUnit("min").setSystem("http://unitsofmeasure.org").setCode("min"));
        e.addReasonCode(new CodeableConcept(new Coding(BASE + "/CodeSystem/supervision-topic", "caseload-review", null)));
        e.addReasonCode(new CodeableConcept(new Coding(BASE + "/CodeSystem/supervision-topic", "peer-wellbeing", null)));
        e.addExtension(BASE + "/StructureDefinition/supervision-note", new StringType("A hard week; plans a day off"));
        return e;
    }

    static List<String> searchSupervision(IGenericClient client) {
        Bundle found = client.search().byUrl("Encounter?type=" + BASE + "/CodeSystem/supervision|supervision-session&_count=100")
                .returnBundle(Bundle.class).execute();
        return found.getEntry().stream().map(e -> e.getResource().getIdElement().getIdPart()).toList();
    }

    static int stored(String marker) {
        return EHR.search().byUrl("Encounter?identifier=" + MARK + "|" + marker).returnBundle(Bundle.class).execute()
                .getEntry().size();
    }

    static IGenericClient as(String role, String practitioner) {
        return FhirServer.clientWith(FhirServer.token(role, "Practitioner/" + practitioner, "user/*.cruds", null));
    }

    static PractitionerRole role(String practitioner, String org, String supervisorRole) {
        PractitionerRole role = new PractitionerRole().setActive(true)
                .setPractitioner(new Reference("Practitioner/" + practitioner)).setOrganization(new Reference("Organization/" + org));
        role.addCode().addCoding(new Coding("http://nucc.org/provider-taxonomy", "175T00000X", "Peer Specialist"));
        if (supervisorRole != null) {
            role.addExtension(BASE + "/StructureDefinition/supervised-by", new Reference("PractitionerRole/" + supervisorRole));
        }
        return role;
    }

    static String create(Resource resource) {
        return EHR.create().resource(resource).execute().getId().getIdPart();
    }
}
