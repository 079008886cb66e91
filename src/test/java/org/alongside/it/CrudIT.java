package org.alongside.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.api.PreferReturnEnum;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

/** Create, read, vread, update, update-as-create, delete and instance history, through HAPI's client. */
class CrudIT {

    private final IGenericClient client = FhirServer.client();

    private Patient newPatient(String family) {
        Patient patient = new Patient();
        patient.addIdentifier().setSystem(FhirServer.uniqueSystem()).setValue("mrn-1");
        patient.addName().setFamily(family).addGiven("Sam");
        return patient;
    }

    @Test
    void createAssignsIdVersionAndLastUpdated() {
        Patient patient = newPatient("Rivera");
        patient.setId("client-chosen-ignored");
        patient.getMeta().setVersionId("99");
        MethodOutcome outcome = client.create().resource(patient).execute();

        assertThat(outcome.getCreated()).isTrue();
        IdType id = (IdType) outcome.getId();
        assertThat(id.getIdPart()).isNotEqualTo("client-chosen-ignored");
        assertThat(id.getVersionIdPart()).isEqualTo("1");
        Patient read = client.read().resource(Patient.class).withId(id.getIdPart()).execute();
        assertThat(read.getMeta().getVersionId()).isEqualTo("1");
        assertThat(read.getMeta().getLastUpdated()).isNotNull();
        assertThat(read.getNameFirstRep().getFamily()).isEqualTo("Rivera");
    }

    @Test
    void updateMakesNewVersionAndVreadKeepsTheOldOne() {
        IdType id = (IdType) client.create().resource(newPatient("Lee")).execute().getId();
        Patient changed = client.read().resource(Patient.class).withId(id.getIdPart()).execute();
        changed.getNameFirstRep().setFamily("Lee-Park");
        MethodOutcome updated = client.update().resource(changed).execute();

        assertThat(updated.getId().getVersionIdPart()).isEqualTo("2");
        Patient v1 = client.read().resource(Patient.class).withIdAndVersion(id.getIdPart(), "1").execute();
        Patient v2 = client.read().resource(Patient.class).withIdAndVersion(id.getIdPart(), "2").execute();
        assertThat(v1.getNameFirstRep().getFamily()).isEqualTo("Lee");
        assertThat(v2.getNameFirstRep().getFamily()).isEqualTo("Lee-Park");
        assertThat(v2.getMeta().getLastUpdated()).isAfterOrEqualTo(v1.getMeta().getLastUpdated());
    }

    @Test
    void updateWithUnchangedContentWritesNoNewVersion() {
        IdType id = (IdType) client.create().resource(newPatient("Same")).execute().getId();
        Patient current = client.read().resource(Patient.class).withId(id.getIdPart()).execute();
        MethodOutcome again = client.update().resource(current).execute();
        assertThat(again.getId().getVersionIdPart()).isEqualTo("1");
    }

    @Test
    void updateAsCreateUsesTheClientChosenId() {
        String id = "ehr-" + UUID.randomUUID();
        Patient patient = newPatient("Okafor");
        patient.setId(id);
        MethodOutcome outcome = client.update().resource(patient).execute();

        assertThat(outcome.getCreated()).isTrue();
        assertThat(outcome.getId().getIdPart()).isEqualTo(id);
        assertThat(client.read().resource(Patient.class).withId(id).execute().getNameFirstRep().getFamily())
                .isEqualTo("Okafor");
    }

    @Test
    void staleIfMatchAnswers412AndChangesNothing() {
        IdType id = (IdType) client.create().resource(newPatient("Stale")).execute().getId();
        Patient v1 = client.read().resource(Patient.class).withId(id.getIdPart()).execute();
        v1.getNameFirstRep().setFamily("Second");
        client.update().resource(v1).withId(id.getIdPart()).execute();

        Patient stale = newPatient("Third");
        stale.setId(id.getIdPart());
        String body = FhirServer.FHIR.newJsonParser().encodeResourceToString(stale);
        HttpResponse<String> response = FhirServer.send("PUT", "/Patient/" + id.getIdPart(),
                "application/fhir+json", body, "If-Match", "W/\"1\"");

        assertThat(response.statusCode()).isEqualTo(412);
        assertThat(response.body()).contains("OperationOutcome");
        Patient current = client.read().resource(Patient.class).withId(id.getIdPart()).execute();
        assertThat(current.getMeta().getVersionId()).isEqualTo("2");
        assertThat(current.getNameFirstRep().getFamily()).isEqualTo("Second");
        // HAPI's client sends If-Match when the id it updates carries a version
        stale.setId(new IdType("Patient", id.getIdPart(), "1"));
        assertThatThrownBy(() -> client.update().resource(stale).execute())
                .isInstanceOf(PreconditionFailedException.class);
    }

    @Test
    void deleteIsVersionedAndReadAnswersGone() {
        IdType id = (IdType) client.create().resource(newPatient("Gone")).execute().getId();
        client.delete().resourceById("Patient", id.getIdPart()).execute();

        assertThatThrownBy(() -> client.read().resource(Patient.class).withId(id.getIdPart()).execute())
                .isInstanceOf(ResourceGoneException.class);
        assertThat(FhirServer.get("/Patient/" + id.getIdPart()).statusCode()).isEqualTo(410);
        // the version before the delete stays readable
        assertThat(client.read().resource(Patient.class).withIdAndVersion(id.getIdPart(), "1").execute()
                .getNameFirstRep().getFamily()).isEqualTo("Gone");
        Bundle history = client.history().onInstance(new IdType("Patient", id.getIdPart()))
                .returnBundle(Bundle.class).execute();
        assertThat(history.getEntry()).hasSize(2);
        assertThat(history.getEntry().get(0).getRequest().getMethod()).isEqualTo(Bundle.HTTPVerb.DELETE);
        assertThat(history.getEntry().get(0).hasResource()).isFalse();
        assertThat(history.getEntry().get(1).getResource()).isInstanceOf(Patient.class);
    }

    @Test
    void readOfUnknownIdIs404() {
        assertThatThrownBy(() -> client.read().resource(Patient.class).withId("does-not-exist-" + UUID.randomUUID())
                .execute()).isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void preferHeaderChoosesTheResponseBody() {
        Communication communication = new Communication().setStatus(Communication.CommunicationStatus.COMPLETED);
        MethodOutcome minimal = client.create().resource(communication).prefer(PreferReturnEnum.MINIMAL).execute();
        assertThat(minimal.getResource()).isNull();
        assertThat(minimal.getId().getIdPart()).isNotBlank();

        MethodOutcome representation = client.create().resource(communication)
                .prefer(PreferReturnEnum.REPRESENTATION).execute();
        assertThat(representation.getResource()).isInstanceOf(Communication.class);

        MethodOutcome outcome = client.create().resource(communication)
                .prefer(PreferReturnEnum.OPERATION_OUTCOME).execute();
        assertThat(outcome.getOperationOutcome()).isInstanceOf(OperationOutcome.class);
    }

    @Test
    void xmlAndJsonBothWork() {
        String xml = "<Patient xmlns=\"http://hl7.org/fhir\"><name><family value=\"Xml\"/></name></Patient>";
        HttpResponse<String> created = FhirServer.send("POST", "/Patient?_format=xml", "application/fhir+xml", xml);
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.body()).startsWith("<Patient");
        String location = created.headers().firstValue("Location").orElseThrow();
        String id = new IdType(location).getIdPart();

        HttpResponse<String> asXml = FhirServer.get("/Patient/" + id, "Accept", "application/fhir+xml");
        assertThat(asXml.body()).contains("<family value=\"Xml\"");
        HttpResponse<String> asJson = FhirServer.get("/Patient/" + id + "?_format=json");
        assertThat(asJson.headers().firstValue("Content-Type").orElseThrow()).contains("json");
        assertThat(asJson.body()).contains("\"family\":\"Xml\"");
    }
}
