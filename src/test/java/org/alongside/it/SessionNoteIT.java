package org.alongside.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.util.Date;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Session notes in the clinic's format over HTTP (docs/mentorship.md, "Session note formats"): a DAP note is stored
 * with its headed sections and its format, one without its plan is refused with nothing written, and a note the
 * supervisor returned is edited by its peer as a new version over the version they read (If-Match), which must
 * still have every section.
 */
class SessionNoteIT {

    static final String BASE = "http://alongside.health/fhir";
    static final String FORMAT = BASE + "/StructureDefinition/note-format";
    static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    static final IGenericClient EHR = FhirServer.client();

    static String jordan;
    static String jordanRole;
    static String sam;
    static String samRole;
    static String patient;

    @BeforeAll
    static void scene() {
        Organization clinic = new Organization().setName("DAP clinic " + RUN);
        clinic.addExtension(FORMAT, new CodeType("dap"));
        String org = SupervisionIT.create(clinic);
        sam = SupervisionIT.create(new Practitioner().addName(new HumanName().setText("Sam")));
        jordan = SupervisionIT.create(new Practitioner().addName(new HumanName().setText("Jordan")));
        samRole = SupervisionIT.create(SupervisionIT.role(sam, org, null));
        jordanRole = SupervisionIT.create(SupervisionIT.role(jordan, org, samRole));
        patient = SupervisionIT.create(new Patient().addName(new HumanName().setFamily("Reyes")));
        String plan = SupervisionIT.create(new CarePlan().setStatus(CarePlan.CarePlanStatus.ACTIVE)
                .setIntent(CarePlan.CarePlanIntent.PLAN).setSubject(new Reference("Patient/" + patient)));
        EHR.operation().onInstance(new IdType("CarePlan", plan)).named("$assign-peer-mentor")
                .withParameters(new Parameters()
                        .addParameter("peer", new Reference("PractitionerRole/" + jordanRole))
                        .addParameter("assigner", new Reference("Practitioner/" + sam))
                        .addParameter("start", new org.hl7.fhir.r4.model.DateType(new Date(System.currentTimeMillis() - 86400000L))))
                .returnResourceType(Bundle.class).execute();
    }

    @Test
    void aDapSessionIsStoredWithItsSectionsUnderTheirHeadingsAndItsFormat() {
        Procedure note = noteOf(record(dap("Talked about the weekend", "More hopeful", "Call Friday")));
        assertThat(note.getNoteFirstRep().getText())
                .isEqualTo("Data: Talked about the weekend\n\nAssessment: More hopeful\n\nPlan: Call Friday");
        assertThat(note.getExtensionByUrl(FORMAT).getValue().primitiveValue()).isEqualTo("dap");
        assertThat(note.getOutcome().getText()).isEqualTo("More hopeful");
        assertThat(note.getFollowUpFirstRep().getText()).isEqualTo("Call Friday");
    }

    @Test
    void aDapSessionWithoutItsPlanIsRefusedWithItsReasonAndNothingIsWritten() {
        Parameters missingPlan = dap("Talked", "Calmer", null);
        String key = clientKeyOf(missingPlan);
        assertThatThrownBy(() -> record(missingPlan)).isInstanceOf(UnprocessableEntityException.class)
                .hasMessageContaining("Plan");
        assertThat(EHR.search().byUrl("Encounter?identifier=" + BASE + "/session-key|" + key).returnBundle(Bundle.class)
                .execute().getEntry()).isEmpty();
    }

    @Test
    void thePeerEditsAReturnedNoteAsANewVersionOverTheVersionTheyRead() {
        Bundle written = record(dap("Talked", "Tired", "Call soon"));
        Procedure note = noteOf(written);
        Encounter session = (Encounter) written.getEntry().stream().map(e -> e.getResource())
                .filter(r -> r instanceof Encounter).findFirst().orElseThrow();
        Provenance giveBack = new Provenance().setRecorded(new Date());
        giveBack.addTarget(new Reference("Encounter/" + session.getIdElement().getIdPart() + "/_history/1"));
        giveBack.addTarget(new Reference("Procedure/" + note.getIdElement().getIdPart() + "/_history/1"));
        giveBack.setActivity(new CodeableConcept(new Coding(BASE + "/CodeSystem/review-outcome", "returned", null)));
        giveBack.addReason().setText("Say what 'soon' means");
        giveBack.addAgent().setType(new CodeableConcept(new Coding(
                "http://terminology.hl7.org/CodeSystem/provenance-participant-type", "author", null)))
                .setWho(new Reference("PractitionerRole/" + jordanRole));
        giveBack.addAgent().setType(new CodeableConcept(new Coding(
                "http://terminology.hl7.org/CodeSystem/provenance-participant-type", "performer", null)))
                .setWho(new Reference("PractitionerRole/" + samRole));
        SupervisionIT.as("supervisor", sam).create().resource(giveBack).execute();

        IGenericClient peer = SupervisionIT.as("peer-specialist", jordan);
        Procedure read = peer.read().resource(Procedure.class).withId(note.getIdElement().getIdPart()).execute();
        read.getNoteFirstRep().setText("Data: Talked\n\nAssessment: Tired\n\nPlan: Call Thursday at 10");
        read.getFollowUpFirstRep().setText("Call Thursday at 10");
        read.setId(new IdType("Procedure", read.getIdElement().getIdPart(), "1"));
        Procedure edited = (Procedure) peer.update().resource(read).execute().getResource();
        assertThat(edited.getMeta().getVersionId()).isEqualTo("2");
        assertThat(peer.read().resource(Procedure.class).withId(read.getIdElement().getIdPart()).execute()
                .getFollowUpFirstRep().getText()).isEqualTo("Call Thursday at 10");

        // a second edit over the version already replaced is a conflict, and one without its plan is refused
        read.getFollowUpFirstRep().setText("Call Friday");
        assertThatThrownBy(() -> peer.update().resource(read).execute()).isInstanceOf(PreconditionFailedException.class);
        Procedure noPlan = peer.read().resource(Procedure.class).withId(read.getIdElement().getIdPart()).execute();
        noPlan.getNoteFirstRep().setText("Data: Talked\n\nAssessment: Tired");
        assertThatThrownBy(() -> peer.update().resource(noPlan).execute()).isInstanceOf(UnprocessableEntityException.class)
                .hasMessageContaining("Plan");
        assertThat(EHR.read().resource(Procedure.class).withId(read.getIdElement().getIdPart()).execute()
                .getMeta().getVersionId()).isEqualTo("2");
    }

    @Test
    void anOrganizationWithAnUnknownNoteFormatIsRefused() {
        Organization soap = new Organization().setName("SOAP clinic " + RUN);
        soap.addExtension(FORMAT, new CodeType("soap"));
        assertThatThrownBy(() -> EHR.create().resource(soap).execute()).isInstanceOf(UnprocessableEntityException.class);
    }

    private static Parameters dap(String data, String assessment, String plan) {
        Date end = new Date(System.currentTimeMillis() - 3600_000L);
        Parameters p = new Parameters()
                .addParameter("patient", new Reference("Patient/" + patient))
                .addParameter("peer", new Reference("PractitionerRole/" + jordanRole))
                .addParameter("start", new DateTimeType(new Date(end.getTime() - 30 * 60_000L)))
                .addParameter("end", new DateTimeType(end))
                .addParameter("modality", new StringType("phone"))
                .addParameter("focus", new Coding(BASE + "/CodeSystem/focus-area", "cravings", null))
                .addParameter("format", new CodeType("dap"))
                .addParameter("clientKey", new StringType(UUID.randomUUID().toString()));
        if (data != null) {
            p.addParameter("whatWasDone", new StringType(data));
        }
        if (assessment != null) {
            p.addParameter("response", new StringType(assessment));
        }
        if (plan != null) {
            p.addParameter("nextSteps", new StringType(plan));
        }
        return p;
    }

    private static String clientKeyOf(Parameters p) {
        return p.getParameter().stream().filter(x -> x.getName().equals("clientKey")).findFirst().orElseThrow()
                .getValue().primitiveValue();
    }

    private static Bundle record(Parameters p) {
        return SupervisionIT.as("peer-specialist", jordan).operation().onType(Encounter.class).named("$record-peer-session")
                .withParameters(p).returnResourceType(Bundle.class).execute();
    }

    private static Procedure noteOf(Bundle written) {
        return (Procedure) written.getEntry().stream().map(e -> e.getResource()).filter(r -> r instanceof Procedure)
                .findFirst().orElseThrow();
    }
}
