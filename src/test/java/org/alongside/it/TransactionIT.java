package org.alongside.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.api.SummaryEnum;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import java.net.http.HttpResponse;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.Goal;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

/** Transaction and batch Bundles posted to the base, as an EHR pushes a set of related records. */
class TransactionIT {

    private final IGenericClient client = FhirServer.client();

    private int count(String type, String system) {
        return client.search().byUrl(type + "?identifier=" + system + "|&_summary=count").summaryMode(SummaryEnum.COUNT)
                .returnBundle(Bundle.class).execute().getTotal();
    }

    private static Patient patient(String system) {
        Patient patient = new Patient();
        patient.addIdentifier().setSystem(system).setValue("p");
        patient.addName().setFamily("Transaction");
        return patient;
    }

    private static Communication message(String system, String subject) {
        Communication message = new Communication().setStatus(Communication.CommunicationStatus.COMPLETED)
                .setSubject(new Reference(subject));
        message.addIdentifier().setSystem(system).setValue("m");
        return message;
    }

    @Test
    void resolvesPlaceholderAndConditionalReferencesAndConditionalCreates() {
        String system = FhirServer.uniqueSystem();
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        bundle.addEntry().setFullUrl("urn:uuid:0b4b5a0e-1f55-4c3e-9d4a-2f3f6e1f0a01").setResource(patient(system))
                .getRequest().setMethod(HTTPVerb.POST).setUrl("Patient").setIfNoneExist("identifier=" + system + "|p");
        bundle.addEntry().setResource(message(system, "urn:uuid:0b4b5a0e-1f55-4c3e-9d4a-2f3f6e1f0a01"))
                .getRequest().setMethod(HTTPVerb.POST).setUrl("Communication");
        Goal goal = new Goal().setLifecycleStatus(Goal.GoalLifecycleStatus.ACTIVE)
                .setSubject(new Reference("Patient?identifier=" + system + "|p"));
        goal.getDescription().setText("Walk every day");
        goal.addIdentifier().setSystem(system).setValue("g");
        bundle.addEntry().setResource(goal).getRequest().setMethod(HTTPVerb.POST).setUrl("Goal");
        bundle.addEntry().getRequest().setMethod(HTTPVerb.GET).setUrl("Communication?identifier=" + system + "|m");

        Bundle response = client.transaction().withBundle(bundle).execute();

        assertThat(response.getType()).isEqualTo(Bundle.BundleType.TRANSACTIONRESPONSE);
        assertThat(response.getEntry()).hasSize(4);
        String patientRef = response.getEntry().get(0).getResponse().getLocation().replaceAll("/_history/.*", "");
        assertThat(response.getEntry().get(0).getResponse().getStatus()).startsWith("201");
        Communication stored = (Communication) response.getEntry().get(1).getResource();
        assertThat(stored.getSubject().getReference()).isEqualTo(patientRef);
        assertThat(((Goal) response.getEntry().get(2).getResource()).getSubject().getReference()).isEqualTo(patientRef);
        // GET entries run after the writes of the same transaction
        Bundle searched = (Bundle) response.getEntry().get(3).getResource();
        assertThat(searched.getEntry()).hasSize(1);

        // sent again: the conditional create finds the patient instead of creating a second one
        Bundle again = client.transaction().withBundle(bundle).execute();
        assertThat(again.getEntry().get(0).getResponse().getStatus()).startsWith("200");
        assertThat(again.getEntry().get(0).getResponse().getLocation()).startsWith(patientRef + "/");
        assertThat(count("Patient", system)).isEqualTo(1);
        assertThat(count("Communication", system)).isEqualTo(2);
    }

    @Test
    void conditionalUpdatesAndDeletesInsideATransaction() {
        String system = FhirServer.uniqueSystem();
        client.create().resource(message(system, "Patient/x")).execute();
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        bundle.addEntry().setFullUrl("urn:uuid:3f2d7c1a-9a8b-4c6d-8e7f-1a2b3c4d5e6f").setResource(patient(system))
                .getRequest().setMethod(HTTPVerb.PUT).setUrl("Patient?identifier=" + system + "|p");
        bundle.addEntry().setResource(message(system + "-new", "urn:uuid:3f2d7c1a-9a8b-4c6d-8e7f-1a2b3c4d5e6f"))
                .getRequest().setMethod(HTTPVerb.POST).setUrl("Communication");
        bundle.addEntry().getRequest().setMethod(HTTPVerb.DELETE).setUrl("Communication?identifier=" + system + "|m");

        Bundle first = client.transaction().withBundle(bundle).execute();
        String patientRef = first.getEntry().get(0).getResponse().getLocation().replaceAll("/_history/.*", "");
        assertThat(first.getEntry().get(0).getResponse().getStatus()).startsWith("201");
        assertThat(((Communication) first.getEntry().get(1).getResource()).getSubject().getReference())
                .isEqualTo(patientRef);
        assertThat(first.getEntry().get(2).getResponse().getStatus()).startsWith("204");
        assertThat(count("Communication", system)).isZero();

        // the same conditional PUT again updates the patient it created
        Bundle update = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        update.addEntry().setResource(patient(system)).getRequest().setMethod(HTTPVerb.PUT)
                .setUrl("Patient?identifier=" + system + "|p");
        Bundle second = client.transaction().withBundle(update).execute();
        assertThat(second.getEntry().get(0).getResponse().getLocation()).startsWith(patientRef + "/_history/");
        assertThat(count("Patient", system)).isEqualTo(1);
    }

    @Test
    void aFailingLastEntryRollsBackTheWholeTransaction() {
        String system = FhirServer.uniqueSystem();
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        bundle.addEntry().setFullUrl("urn:uuid:7d1c1b9e-52a4-4b61-9c47-3f0d8f7e2b11").setResource(patient(system))
                .getRequest().setMethod(HTTPVerb.POST).setUrl("Patient");
        bundle.addEntry().setResource(message(system, "urn:uuid:7d1c1b9e-52a4-4b61-9c47-3f0d8f7e2b11"))
                .getRequest().setMethod(HTTPVerb.POST).setUrl("Communication");
        Patient stale = patient(system);
        stale.setId("does-not-exist-" + system.substring(9, 17));
        bundle.addEntry().setResource(stale).getRequest().setMethod(HTTPVerb.PUT)
                .setUrl("Patient/" + stale.getIdElement().getIdPart()).setIfMatch("W/\"3\"");

        assertThatThrownBy(() -> client.transaction().withBundle(bundle).execute())
                .isInstanceOfSatisfying(BaseServerResponseException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(412);
                    assertThat(e.getMessage()).contains("entry 2");
                });
        assertThat(count("Patient", system)).isZero();
        assertThat(count("Communication", system)).isZero();
    }

    @Test
    void anUnresolvablePlaceholderIsRefusedAndNothingIsWritten() {
        String system = FhirServer.uniqueSystem();
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        bundle.addEntry().setResource(patient(system)).getRequest().setMethod(HTTPVerb.POST).setUrl("Patient");
        bundle.addEntry().setResource(message(system, "urn:uuid:00000000-0000-0000-0000-000000000000"))
                .getRequest().setMethod(HTTPVerb.POST).setUrl("Communication");
        assertThatThrownBy(() -> client.transaction().withBundle(bundle).execute())
                .isInstanceOfSatisfying(BaseServerResponseException.class,
                        e -> assertThat(e.getStatusCode()).isEqualTo(400));
        assertThat(count("Patient", system)).isZero();
    }

    @Test
    void batchEntriesSucceedOrFailOneByOne() {
        String system = FhirServer.uniqueSystem();
        Bundle bundle = new Bundle().setType(Bundle.BundleType.BATCH);
        bundle.addEntry().setResource(patient(system)).getRequest().setMethod(HTTPVerb.POST).setUrl("Patient");
        bundle.addEntry().getRequest().setMethod(HTTPVerb.GET).setUrl("Patient/no-such-patient-" + system.substring(9, 17));
        bundle.addEntry().setResource(message(system, "Patient/x")).getRequest().setMethod(HTTPVerb.POST)
                .setUrl("Communication");

        Bundle response = client.transaction().withBundle(bundle).execute();

        assertThat(response.getType()).isEqualTo(Bundle.BundleType.BATCHRESPONSE);
        assertThat(response.getEntry().get(0).getResponse().getStatus()).startsWith("201");
        assertThat(response.getEntry().get(1).getResponse().getStatus()).startsWith("404");
        assertThat(response.getEntry().get(1).getResponse().getOutcome()).isNotNull();
        assertThat(response.getEntry().get(2).getResponse().getStatus()).startsWith("201");
        assertThat(count("Patient", system)).isEqualTo(1);
        assertThat(count("Communication", system)).isEqualTo(1);
    }

    @Test
    void bundlesOverTheEntryLimitAreRefused() {
        StringBuilder entries = new StringBuilder();
        for (int i = 0; i < 1001; i++) {
            entries.append(i == 0 ? "" : ",").append("{\"request\":{\"method\":\"GET\",\"url\":\"Patient?_count=1\"}}");
        }
        HttpResponse<String> response = FhirServer.send("POST", "", "application/fhir+json",
                "{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":[" + entries + "]}");
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("OperationOutcome", "1000");
    }

    @Test
    void onlyTransactionAndBatchBundlesArePosted() {
        HttpResponse<String> response = FhirServer.send("POST", "", "application/fhir+json",
                "{\"resourceType\":\"Bundle\",\"type\":\"collection\"}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("transaction or batch");
    }
}
