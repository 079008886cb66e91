package org.alongside.index;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.alongside.search.DateRange;
import org.alongside.search.SearchParamRegistry;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The extractor evaluates the R4 SearchParameter FHIRPath expressions with HAPI's engine, including
 * {@code resolve() is Patient}; these tests run that engine for real.
 */
class SearchIndexExtractorTest {

    private static final FhirContext CONTEXT = FhirContext.forR4Cached();
    private static SearchIndexExtractor shared;

    private SearchIndexExtractor extractor;

    /** Built once; built in each test's setup so that a construction failure is reported by every test. */
    @BeforeEach
    void setUp() {
        if (shared == null) {
            SearchParamRegistry registry = SearchParamRegistry.fromDefinitions(CONTEXT,
                    List.of("Patient", "Communication", "Encounter", "CarePlan"));
            shared = new SearchIndexExtractor(CONTEXT, registry);
        }
        extractor = shared;
    }

    private static Set<IndexedValues.Token> tokens(IndexedValues values, String param) {
        return values.tokens().stream().filter(t -> t.param().equals(param)).collect(Collectors.toSet());
    }

    private static Set<IndexedValues.Text> strings(IndexedValues values, String param) {
        return values.strings().stream().filter(t -> t.param().equals(param)).collect(Collectors.toSet());
    }

    private static Set<IndexedValues.Date> dates(IndexedValues values, String param) {
        return values.dates().stream().filter(t -> t.param().equals(param)).collect(Collectors.toSet());
    }

    private static Set<IndexedValues.Ref> refs(IndexedValues values, String param) {
        return values.references().stream().filter(t -> t.param().equals(param)).collect(Collectors.toSet());
    }

    private static Communication communication() {
        Communication communication = new Communication();
        communication.setStatus(Communication.CommunicationStatus.COMPLETED);
        communication.addIdentifier().setSystem("urn:alongside:msg").setValue("m-1");
        communication.addIdentifier().setValue("no-system");
        communication.addCategory(new CodeableConcept()
                .addCoding(new Coding("http://terminology.hl7.org/CodeSystem/communication-category",
                        "notification", null))
                .addCoding(new Coding("urn:alongside:category", "peer-checkin", null)));
        communication.addCategory(new CodeableConcept().setText("text only, no coding"));
        communication.setSubject(new Reference("Patient/p1"));
        communication.setSentElement(new DateTimeType("2024-03-10T10:15:30+02:00"));
        communication.setEncounter(new Reference("Encounter/e1"));
        communication.addRecipient(new Reference("Group/g1"));
        communication.addRecipient(new Reference("http://other.example.org/fhir/Practitioner/x"));
        communication.addRecipient(new Reference("#contained"));
        return communication;
    }

    @Test
    void communicationIdentifiersAreTokens() {
        assertThat(tokens(extractor.extract(communication()), "identifier")).containsExactlyInAnyOrder(
                new IndexedValues.Token("identifier", "urn:alongside:msg", "m-1"),
                new IndexedValues.Token("identifier", null, "no-system"));
    }

    @Test
    void communicationStatusCarriesItsCodeSystem() {
        assertThat(tokens(extractor.extract(communication()), "status")).containsExactly(
                new IndexedValues.Token("status", "http://hl7.org/fhir/event-status", "completed"));
    }

    @Test
    void communicationCategoryCodingsAreTokens() {
        assertThat(tokens(extractor.extract(communication()), "category")).containsExactlyInAnyOrder(
                new IndexedValues.Token("category", "http://terminology.hl7.org/CodeSystem/communication-category",
                        "notification"),
                new IndexedValues.Token("category", "urn:alongside:category", "peer-checkin"));
    }

    @Test
    void communicationSentIsASecondPrecisionSpanInUtc() {
        assertThat(dates(extractor.extract(communication()), "sent")).containsExactly(new IndexedValues.Date("sent",
                Instant.parse("2024-03-10T08:15:30Z"), Instant.parse("2024-03-10T08:15:31Z")));
    }

    @Test
    void patientSubjectIsIndexedUnderSubjectAndPatient() {
        IndexedValues values = extractor.extract(communication());
        assertThat(refs(values, "subject")).containsExactly(new IndexedValues.Ref("subject", "Patient", "p1", null));
        assertThat(refs(values, "patient")).containsExactly(new IndexedValues.Ref("patient", "Patient", "p1", null));
    }

    @Test
    void groupSubjectIsNotAPatient() {
        Communication communication = new Communication();
        communication.setSubject(new Reference("Group/g1"));
        IndexedValues values = extractor.extract(communication);
        assertThat(refs(values, "subject")).containsExactly(new IndexedValues.Ref("subject", "Group", "g1", null));
        assertThat(refs(values, "patient")).isEmpty();
    }

    @Test
    void otherReferences() {
        IndexedValues values = extractor.extract(communication());
        assertThat(refs(values, "encounter")).containsExactly(
                new IndexedValues.Ref("encounter", "Encounter", "e1", null));
        // local by type and id, foreign by URL, contained references not at all
        assertThat(refs(values, "recipient")).containsExactlyInAnyOrder(
                new IndexedValues.Ref("recipient", "Group", "g1", null),
                new IndexedValues.Ref("recipient", null, null, "http://other.example.org/fhir/Practitioner/x"));
    }

    @Test
    void versionedReferenceIsIndexedWithoutItsVersion() {
        Communication communication = new Communication();
        communication.setSubject(new Reference("Patient/p1/_history/4"));
        IndexedValues values = extractor.extract(communication);
        assertThat(refs(values, "subject")).containsExactly(new IndexedValues.Ref("subject", "Patient", "p1", null));
        assertThat(refs(values, "patient")).containsExactly(new IndexedValues.Ref("patient", "Patient", "p1", null));
    }

    @Test
    void emptyCommunicationHasNoIndexEntries() {
        IndexedValues values = extractor.extract(new Communication());
        assertThat(values.tokens()).isEmpty();
        assertThat(values.strings()).isEmpty();
        assertThat(values.dates()).isEmpty();
        assertThat(values.references()).isEmpty();
    }

    private static Patient patient() {
        Patient patient = new Patient();
        patient.addName().setFamily("José").addGiven("Ann-Marie").addPrefix("Dr.");
        patient.setGender(AdministrativeGender.FEMALE);
        patient.setBirthDateElement(new DateType("1980-05"));
        patient.addIdentifier().setSystem("urn:alongside:mrn").setValue("12345");
        return patient;
    }

    @Test
    void patientNamesAreFoldedAndKeptExact() {
        IndexedValues values = extractor.extract(patient());
        assertThat(strings(values, "family")).containsExactly(new IndexedValues.Text("family", "jose", "José"));
        assertThat(strings(values, "given")).containsExactly(new IndexedValues.Text("given", "ann-marie", "Ann-Marie"));
        assertThat(strings(values, "name")).containsExactlyInAnyOrder(
                new IndexedValues.Text("name", "jose", "José"),
                new IndexedValues.Text("name", "ann-marie", "Ann-Marie"),
                new IndexedValues.Text("name", "dr.", "Dr."));
    }

    @Test
    void patientTokensAndBirthDate() {
        IndexedValues values = extractor.extract(patient());
        assertThat(tokens(values, "gender")).containsExactly(
                new IndexedValues.Token("gender", "http://hl7.org/fhir/administrative-gender", "female"));
        assertThat(tokens(values, "identifier")).containsExactly(
                new IndexedValues.Token("identifier", "urn:alongside:mrn", "12345"));
        assertThat(dates(values, "birthdate")).containsExactly(new IndexedValues.Date("birthdate",
                Instant.parse("1980-05-01T00:00:00Z"), Instant.parse("1980-06-01T00:00:00Z")));
    }

    @Test
    void patientDeathDateIsIndexed() {
        // death-date is "(Patient.deceased as dateTime)"
        Patient patient = patient();
        patient.setDeceased(new DateTimeType("2023-11-02"));
        assertThat(dates(extractor.extract(patient), "death-date")).containsExactly(new IndexedValues.Date(
                "death-date", Instant.parse("2023-11-02T00:00:00Z"), Instant.parse("2023-11-03T00:00:00Z")));
    }

    @Test
    void encounterPeriodWithOpenEndReachesMax() {
        Encounter encounter = new Encounter();
        encounter.setStatus(Encounter.EncounterStatus.INPROGRESS);
        encounter.getPeriod().setStartElement(new DateTimeType("2024-03-01T09:00:00Z"));
        encounter.setSubject(new Reference("Patient/p2"));
        IndexedValues values = extractor.extract(encounter);
        assertThat(dates(values, "date")).containsExactly(
                new IndexedValues.Date("date", Instant.parse("2024-03-01T09:00:00Z"), DateRange.MAX));
        assertThat(tokens(values, "status")).containsExactly(
                new IndexedValues.Token("status", "http://hl7.org/fhir/encounter-status", "in-progress"));
        assertThat(refs(values, "patient")).containsExactly(new IndexedValues.Ref("patient", "Patient", "p2", null));
    }

    @Test
    void encounterPeriodEndCoversItsPrecision() {
        Encounter encounter = new Encounter();
        encounter.getPeriod().setStartElement(new DateTimeType("2024-03-01T09:00:00Z"))
                .setEndElement(new DateTimeType("2024-03-02"));
        assertThat(dates(extractor.extract(encounter), "date")).containsExactly(new IndexedValues.Date("date",
                Instant.parse("2024-03-01T09:00:00Z"), Instant.parse("2024-03-03T00:00:00Z")));
    }

    @Test
    void encounterPeriodWithOnlyEndStartsAtMin() {
        Encounter encounter = new Encounter();
        encounter.getPeriod().setEndElement(new DateTimeType("2024-03-02T10:00:00Z"));
        assertThat(dates(extractor.extract(encounter), "date")).containsExactly(new IndexedValues.Date("date",
                DateRange.MIN, Instant.parse("2024-03-02T10:00:01Z")));
    }
    @Test
    void deceasedDateTimeMeansDeceased() {
        Patient patient = patient();
        patient.setDeceased(new DateTimeType("2023-11-02"));
        assertThat(tokens(extractor.extract(patient), "deceased")).containsExactly(
                new IndexedValues.Token("deceased", null, "true"));
    }

    @Test
    void addressAndTelecom() {
        Patient patient = new Patient();
        patient.addAddress().addLine("1 Main St").setCity("Zürich");
        patient.addTelecom().setSystem(ContactPoint.ContactPointSystem.EMAIL).setValue("ann@example.org");
        IndexedValues values = extractor.extract(patient);
        assertThat(strings(values, "address-city")).containsExactly(
                new IndexedValues.Text("address-city", "zurich", "Zürich"));
        assertThat(strings(values, "address")).containsExactlyInAnyOrder(
                new IndexedValues.Text("address", "1 main st", "1 Main St"),
                new IndexedValues.Text("address", "zurich", "Zürich"));
        assertThat(tokens(values, "email")).containsExactly(new IndexedValues.Token("email", null, "ann@example.org"));
        assertThat(tokens(values, "phone")).isEmpty();
    }

    /**
     * A valid period whose start is a date (read as UTC midnight) and whose end is a dateTime in a zone east of
     * UTC: both are "2 March" locally, and FHIR's per-1 comparison of different precisions is not a violation.
     * Its end instant (01:00+02:00 = 23:00Z on 1 March) lies before the UTC start of the start date.
     */
    @Test
    void periodWithDateStartAndZonedEndOnTheSameDayIsIndexed() {
        Encounter encounter = new Encounter();
        encounter.getPeriod().setStartElement(new DateTimeType("2024-03-02"))
                .setEndElement(new DateTimeType("2024-03-02T01:00:00+02:00"));
        IndexedValues values = extractor.extract(encounter);
        Set<IndexedValues.Date> date = dates(values, "date");
        assertThat(date).hasSize(1);
        IndexedValues.Date entry = date.iterator().next();
        assertThat(entry.low()).isBefore(Instant.parse("2024-03-02T00:00:01Z"));
        assertThat(entry.high()).isAfter(Instant.parse("2024-03-01T22:59:59Z"));
    }

    /** An inverted period (start after end) is the client's error: a 4xx answer, never an internal error. */
    @Test
    void invertedPeriodIsNotAnInternalError() {
        Encounter encounter = new Encounter();
        encounter.getPeriod().setStartElement(new DateTimeType("2024-03-05"))
                .setEndElement(new DateTimeType("2024-03-01"));
        try {
            extractor.extract(encounter);
        } catch (BaseServerResponseException e) {
            assertThat(e.getStatusCode()).isBetween(400, 499);
        }
    }
}
