package org.alongside.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code _elements} and {@code _summary=true|text|data|count} on reads, searches and Bundle GET entries: only the
 * asked-for elements (and the mandatory ones, id and meta) come back, and every subsetted resource carries the
 * SUBSETTED tag, so a client never mistakes it for the whole record (and never writes it back as one).
 */
class SubsettingIT {

    private static final String SUBSETTED_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ObservationValue";
    private static String system;
    private static String id;

    @BeforeAll
    static void aPatientWithSummaryAndNonSummaryElements() {
        system = FhirServer.uniqueSystem();
        HttpResponse<String> created = FhirServer.send("POST", "/Patient", "application/fhir+json",
                "{\"resourceType\":\"Patient\",\"text\":{\"status\":\"generated\",\"div\":"
                        + "\"<div xmlns=\\\"http://www.w3.org/1999/xhtml\\\">Sam Rivera</div>\"},"
                        + "\"identifier\":[{\"system\":\"" + system + "\",\"value\":\"1\"}],"
                        + "\"name\":[{\"family\":\"Rivera\"}],\"birthDate\":\"1990-04-12\","
                        + "\"maritalStatus\":{\"text\":\"single\"}}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        id = created.headers().firstValue("Location").orElseThrow().replaceAll(".*/Patient/([^/]+)/_history/.*", "$1");
    }

    private static Patient read(String query) {
        HttpResponse<String> r = FhirServer.get("/Patient/" + id + "?" + query);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return (Patient) AttackSupport.resource(r.body());
    }

    private static boolean subsetted(Resource resource) {
        return resource.getMeta().getTag().stream().anyMatch(t -> SUBSETTED_SYSTEM.equals(t.getSystem())
                && "SUBSETTED".equals(t.getCode()));
    }

    @Test
    void aReadWithElementsReturnsThoseElementsTheIdAndMetaAndTheSubsettedTag() {
        Patient patient = read("_elements=name");

        assertThat(patient.getIdElement().getIdPart()).isEqualTo(id);
        assertThat(patient.getNameFirstRep().getFamily()).isEqualTo("Rivera");
        assertThat(patient.hasBirthDate()).isFalse();
        assertThat(patient.hasMaritalStatus()).isFalse();
        assertThat(patient.hasIdentifier()).isFalse();
        assertThat(subsetted(patient)).isTrue();
    }

    @Test
    void aReadWithEachSummaryModeReturnsWhatTheModeDefines() {
        Patient summary = read("_summary=true");
        assertThat(summary.hasName() && summary.hasBirthDate() && summary.hasIdentifier()).isTrue();
        assertThat(summary.hasMaritalStatus()).as("maritalStatus is not a summary element").isFalse();
        assertThat(subsetted(summary)).isTrue();

        Patient text = read("_summary=text");
        assertThat(text.getText().getDivAsString()).contains("Sam Rivera");
        assertThat(text.hasName() || text.hasBirthDate() || text.hasMaritalStatus()).isFalse();
        assertThat(subsetted(text)).isTrue();

        Patient data = read("_summary=data");
        assertThat(data.hasText()).isFalse();
        assertThat(data.hasMaritalStatus() && data.hasName()).isTrue();
        assertThat(subsetted(data)).isTrue();

        Patient whole = read("_summary=false");
        assertThat(whole.hasText() && whole.hasMaritalStatus()).isTrue();
        assertThat(subsetted(whole)).isFalse();
    }

    @Test
    void aSearchSubsetsEveryEntryAndSummaryCountReturnsOnlyTheTotal() {
        Bundle elements = AttackSupport.bundle(FhirServer.get("/Patient?identifier=" + system + "|1&_elements=birthDate")
                .body());
        assertThat(elements.getEntry()).hasSize(1);
        Patient entry = (Patient) elements.getEntryFirstRep().getResource();
        assertThat(entry.hasBirthDate()).isTrue();
        assertThat(entry.hasName()).isFalse();
        assertThat(subsetted(entry)).isTrue();

        Bundle summary = AttackSupport.bundle(FhirServer.get("/Patient?identifier=" + system + "|1&_summary=true").body());
        assertThat(((Patient) summary.getEntryFirstRep().getResource()).hasMaritalStatus()).isFalse();
        assertThat(subsetted(summary.getEntryFirstRep().getResource())).isTrue();

        Bundle count = AttackSupport.bundle(FhirServer.get("/Patient?identifier=" + system + "|1&_summary=count").body());
        assertThat(count.getTotal()).isEqualTo(1);
        assertThat(count.getEntry()).isEmpty();
    }

    @Test
    void bundleGetEntriesAreSubsettedAsTheSameRequestsAlone() {
        HttpResponse<String> r = FhirServer.send("POST", "", "application/fhir+json", AttackSupport.requestBundle("batch",
                List.of(AttackSupport.entry("GET", "Patient/" + id + "?_elements=name"),
                        AttackSupport.entry("GET", "Patient?identifier=" + system + "|1&_summary=true"),
                        AttackSupport.entry("GET", "Patient/" + id))));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<Bundle.BundleEntryComponent> entries = AttackSupport.bundle(r.body()).getEntry();

        Patient read = (Patient) entries.get(0).getResource();
        assertThat(read.hasName() && !read.hasBirthDate() && subsetted(read)).as("read with _elements").isTrue();
        Patient found = (Patient) ((Bundle) entries.get(1).getResource()).getEntryFirstRep().getResource();
        assertThat(!found.hasMaritalStatus() && found.hasName() && subsetted(found)).as("search with _summary").isTrue();
        Patient whole = (Patient) entries.get(2).getResource();
        assertThat(whole.hasMaritalStatus() && !subsetted(whole)).as("plain read").isTrue();
    }
}
