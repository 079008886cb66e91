package org.alongside.it;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

/** Conditional create, update and delete, including the race the anchors' trackers are full of. */
class ConditionalIT {

    private final IGenericClient client = FhirServer.client();

    private static Patient patient(String system, String value, String family) {
        Patient patient = new Patient();
        patient.addIdentifier().setSystem(system).setValue(value);
        patient.addName().setFamily(family);
        return patient;
    }

    private int count(String system, String value) {
        Bundle bundle = client.search().forResource(Patient.class)
                .where(Patient.IDENTIFIER.exactly().systemAndCode(system, value))
                .summaryMode(ca.uhn.fhir.rest.api.SummaryEnum.COUNT).returnBundle(Bundle.class).execute();
        return bundle.getTotal();
    }

    @Test
    void conditionalCreateReturnsTheExistingMatch() {
        String system = FhirServer.uniqueSystem();
        MethodOutcome first = client.create().resource(patient(system, "1", "First"))
                .conditionalByUrl("Patient?identifier=" + system + "|1").execute();
        MethodOutcome second = client.create().resource(patient(system, "1", "Second"))
                .conditionalByUrl("Patient?identifier=" + system + "|1").execute();

        assertThat(first.getCreated()).isTrue();
        assertThat(second.getCreated()).isNotEqualTo(Boolean.TRUE);
        assertThat(second.getId().getIdPart()).isEqualTo(first.getId().getIdPart());
        assertThat(count(system, "1")).isEqualTo(1);
    }

    @Test
    void twentyParallelIdenticalConditionalCreatesStoreExactlyOne() throws Exception {
        String system = FhirServer.uniqueSystem();
        String body = FhirServer.FHIR.newJsonParser().encodeResourceToString(patient(system, "race", "Race"));
        int clients = 20;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<HttpResponse<String>>> futures = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            futures.add(pool.submit(() -> {
                start.await();
                return FhirServer.send("POST", "/Patient", "application/fhir+json", body,
                        "If-None-Exist", "identifier=" + system + "|race");
            }));
        }
        start.countDown();
        Set<String> locations = new HashSet<>();
        int created = 0;
        for (Future<HttpResponse<String>> future : futures) {
            HttpResponse<String> response = future.get();
            assertThat(response.statusCode()).as(response.body()).isIn(200, 201);
            if (response.statusCode() == 201) {
                created++;
            }
            locations.add(response.headers().firstValue("Location")
                    .or(() -> response.headers().firstValue("Content-Location")).orElse("")
                    .replaceAll("/_history/.*", ""));
        }
        pool.shutdown();

        assertThat(created).isEqualTo(1);
        assertThat(count(system, "race")).isEqualTo(1);
        assertThat(locations).hasSize(1);
    }

    @Test
    void conditionalUpdateCreatesThenUpdatesTheMatch() {
        String system = FhirServer.uniqueSystem();
        String url = "Patient?identifier=" + system + "|cu";
        MethodOutcome created = client.update().resource(patient(system, "cu", "Before")).conditionalByUrl(url)
                .execute();
        MethodOutcome updated = client.update().resource(patient(system, "cu", "After")).conditionalByUrl(url)
                .execute();

        assertThat(created.getCreated()).isTrue();
        assertThat(updated.getId().getIdPart()).isEqualTo(created.getId().getIdPart());
        assertThat(updated.getId().getVersionIdPart()).isEqualTo("2");
        Patient read = client.read().resource(Patient.class).withId(created.getId().getIdPart()).execute();
        assertThat(read.getNameFirstRep().getFamily()).isEqualTo("After");
    }

    @Test
    void conditionalWritesMatchingSeveralAnswer412AndWriteNothing() {
        String system = FhirServer.uniqueSystem();
        client.create().resource(patient(system, "dup", "One")).execute();
        client.create().resource(patient(system, "dup", "Two")).execute();
        String body = FhirServer.FHIR.newJsonParser().encodeResourceToString(patient(system, "dup", "Three"));

        HttpResponse<String> update = FhirServer.send("PUT", "/Patient?identifier=" + system + "|dup",
                "application/fhir+json", body);
        HttpResponse<String> create = FhirServer.send("POST", "/Patient", "application/fhir+json", body,
                "If-None-Exist", "identifier=" + system + "|dup");

        assertThat(update.statusCode()).isEqualTo(412);
        assertThat(create.statusCode()).isEqualTo(412);
        assertThat(update.body()).contains("OperationOutcome");
        assertThat(count(system, "dup")).isEqualTo(2);
    }

    @Test
    void conditionalDeleteRemovesTheSingleMatch() {
        String system = FhirServer.uniqueSystem();
        client.create().resource(patient(system, "del", "Delete")).execute();
        client.delete().resourceConditionalByUrl("Patient?identifier=" + system + "|del").execute();
        assertThat(count(system, "del")).isZero();
    }
}
