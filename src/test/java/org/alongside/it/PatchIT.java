package org.alongside.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import ca.uhn.fhir.util.FhirPatchBuilder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Test;

/**
 * PATCH (issue 15): JSON Patch and FHIRPath Patch on instance and conditional URLs and inside Bundles, versioned like an
 * update, If-Match honoured, the result validated; a patch that is malformed (400) or does not fit (422) writes
 * nothing. Who may patch what is the attack suite's ({@link AttackSuiteIT}).
 */
class PatchIT {

    private static final String JSON_PATCH = "application/json-patch+json";

    private final IGenericClient client = FhirServer.client();

    private Patient stored(String system, String family) {
        Patient patient = new Patient();
        patient.addIdentifier().setSystem(system).setValue("1");
        patient.addName().setFamily(family).addGiven("Sam");
        patient.setBirthDateElement(new org.hl7.fhir.r4.model.DateType("1990-04-12"));
        MethodOutcome created = client.create().resource(patient).execute();
        return (Patient) client.read().resource(Patient.class).withId(created.getId().getIdPart()).execute();
    }

    private Patient current(String id) {
        return client.read().resource(Patient.class).withId(id).execute();
    }

    /** FHIRPath Patches are built with HAPI's builder, as a client would. */
    private static FhirPatchBuilder fhirPatch() {
        return new FhirPatchBuilder(FhirServer.FHIR);
    }

    private static Parameters replace(String path, String value) {
        return (Parameters) fhirPatch().replace().path(path).value(new StringType(value)).andThen().build();
    }

    @Test
    void aJsonPatchChangesOneFieldAndWritesTheNextVersion() {
        Patient sam = stored(FhirServer.uniqueSystem(), "Rivera");

        MethodOutcome outcome = client.patch().withBody("[{\"op\":\"replace\",\"path\":\"/name/0/family\","
                + "\"value\":\"Rivera-Lopez\"}]").withId(sam.getIdElement().toUnqualifiedVersionless()).execute();

        assertThat(outcome.getId().getVersionIdPart()).isEqualTo("2");
        Patient now = current(sam.getIdElement().getIdPart());
        assertThat(now.getNameFirstRep().getFamily()).isEqualTo("Rivera-Lopez");
        assertThat(now.getNameFirstRep().getGivenAsSingleString()).isEqualTo("Sam");
        assertThat(now.getBirthDateElement().getValueAsString()).isEqualTo("1990-04-12");
        assertThat(now.getMeta().getVersionId()).isEqualTo("2");
        Patient first = client.read().resource(Patient.class).withIdAndVersion(sam.getIdElement().getIdPart(), "1").execute();
        assertThat(first.getNameFirstRep().getFamily()).isEqualTo("Rivera");
    }

    @Test
    void aFhirPathPatchOnAConditionalUrlPatchesTheOneMatch() {
        String system = FhirServer.uniqueSystem();
        Patient sam = stored(system, "Rivera");

        client.patch().withFhirPatch((Parameters) fhirPatch().add().path("Patient.name[0]").name("given")
                        .value(new StringType("Alex")).andThen().delete().path("Patient.birthDate").andThen().build())
                .conditionalByUrl("Patient?identifier=" + system + "|1").execute();

        Patient now = current(sam.getIdElement().getIdPart());
        assertThat(now.getNameFirstRep().getGiven()).extracting(StringType::getValue).containsExactly("Sam", "Alex");
        assertThat(now.hasBirthDate()).isFalse();
        assertThat(now.getMeta().getVersionId()).isEqualTo("2");
    }

    @Test
    void aConditionalPatchThatMatchesNothingIs404AndOneThatMatchesSeveralIs412() {
        String system = FhirServer.uniqueSystem();
        Parameters patch = replace("Patient.name[0].family", "X");
        assertThatThrownBy(() -> client.patch().withFhirPatch(patch).conditionalByUrl("Patient?identifier=" + system + "|1")
                .execute()).isInstanceOf(ResourceNotFoundException.class);

        Patient one = stored(system, "One");
        Patient two = stored(system, "Two");
        assertThatThrownBy(() -> client.patch().withFhirPatch(patch).conditionalByUrl("Patient?identifier=" + system + "|1")
                .execute()).isInstanceOf(PreconditionFailedException.class);
        assertThat(current(one.getIdElement().getIdPart()).getMeta().getVersionId()).isEqualTo("1");
        assertThat(current(two.getIdElement().getIdPart()).getMeta().getVersionId()).isEqualTo("1");
    }

    @Test
    void ifMatchWithAnOlderVersionIs412AndWithTheCurrentOneThePatchIsApplied() {
        Patient sam = stored(FhirServer.uniqueSystem(), "Rivera");
        String path = "/Patient/" + sam.getIdElement().getIdPart();
        FhirServer.send("PUT", path, "application/fhir+json", FhirServer.FHIR.newJsonParser()
                .encodeResourceToString(sam.setActive(true)));
        String patch = "[{\"op\":\"add\",\"path\":\"/gender\",\"value\":\"female\"}]";

        HttpResponse<String> stale = FhirServer.send("PATCH", path, JSON_PATCH, patch, "If-Match", "W/\"1\"");
        assertThat(stale.statusCode()).as(stale.body()).isEqualTo(412);
        assertThat(stale.body()).contains("OperationOutcome");
        assertThat(current(sam.getIdElement().getIdPart()).hasGender()).isFalse();

        HttpResponse<String> fresh = FhirServer.send("PATCH", path, JSON_PATCH, patch, "If-Match", "W/\"2\"");
        assertThat(fresh.statusCode()).as(fresh.body()).isEqualTo(200);
        assertThat(fresh.headers().firstValue("ETag").orElseThrow()).isEqualTo("W/\"3\"");
        assertThat(current(sam.getIdElement().getIdPart()).getGender().toCode()).isEqualTo("female");
    }

    @Test
    void aPatchThatDoesNotFitIs422AndAMalformedOneIs400AndNeitherWritesAnything() {
        Patient sam = stored(FhirServer.uniqueSystem(), "Rivera");
        String path = "/Patient/" + sam.getIdElement().getIdPart();
        // the first operation fits, the second does not: nothing of the patch is written
        HttpResponse<String> halfFitting = FhirServer.send("PATCH", path, JSON_PATCH,
                "[{\"op\":\"replace\",\"path\":\"/name/0/family\",\"value\":\"Half\"},"
                        + "{\"op\":\"test\",\"path\":\"/gender\",\"value\":\"male\"}]");
        HttpResponse<String> invalidResult = FhirServer.send("PATCH", path, JSON_PATCH,
                "[{\"op\":\"add\",\"path\":\"/birthDate\",\"value\":\"12/04/1990\"}]");
        HttpResponse<String> malformed = FhirServer.send("PATCH", path, JSON_PATCH, "{\"op\":\"remove\"}");
        HttpResponse<String> malformedFhirPath = FhirServer.send("PATCH", path, "application/fhir+json",
                "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"operation\",\"part\":["
                        + "{\"name\":\"type\",\"valueCode\":\"upsert\"},{\"name\":\"path\",\"valueString\":\"Patient\"}]}]}");

        assertThat(halfFitting.statusCode()).as(halfFitting.body()).isEqualTo(422);
        assertThat(invalidResult.statusCode()).as(invalidResult.body()).isEqualTo(422);
        assertThat(malformed.statusCode()).as(malformed.body()).isEqualTo(400);
        assertThat(malformedFhirPath.statusCode()).as(malformedFhirPath.body()).isEqualTo(400);
        for (HttpResponse<String> refused : java.util.List.of(halfFitting, invalidResult, malformed, malformedFhirPath)) {
            assertThat(refused.body()).contains("\"resourceType\":\"OperationOutcome\"").doesNotContain("at org.");
        }
        Patient now = current(sam.getIdElement().getIdPart());
        assertThat(now.getMeta().getVersionId()).isEqualTo("1");
        assertThat(now.getNameFirstRep().getFamily()).isEqualTo("Rivera");
    }

    @Test
    void aPatchedRecordIsValidatedAgainstItsProfileLikeAnUpdate() {
        String id = "patch-role-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> role = FhirServer.send("PUT", "/PractitionerRole/" + id, "application/fhir+json",
                "{\"resourceType\":\"PractitionerRole\",\"id\":\"" + id + "\",\"active\":true,"
                        + "\"practitioner\":{\"display\":\"Jordan\"},\"organization\":{\"display\":\"Clinic\"},"
                        + "\"code\":[{\"coding\":[{\"system\":\"http://nucc.org/provider-taxonomy\",\"code\":\"175T00000X\"}]}]}");
        assertThat(role.statusCode()).as(role.body()).isEqualTo(201);

        HttpResponse<String> patched = FhirServer.send("PATCH", "/PractitionerRole/" + id, JSON_PATCH,
                "[{\"op\":\"remove\",\"path\":\"/practitioner\"}]");

        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(422);
        assertThat(patched.body()).contains("PractitionerRole.practitioner");
        assertThat(FhirServer.get("/PractitionerRole/" + id).body()).contains("Jordan");
    }

    @Test
    void aRecordThatIsGoneOrWasNeverThereCannotBePatched() {
        Patient sam = stored(FhirServer.uniqueSystem(), "Rivera");
        client.delete().resourceById(sam.getIdElement().toUnqualifiedVersionless()).execute();
        String patch = "[{\"op\":\"add\",\"path\":\"/gender\",\"value\":\"female\"}]";

        assertThatThrownBy(() -> client.patch().withBody(patch).withId(sam.getIdElement().toUnqualifiedVersionless())
                .execute()).isInstanceOf(ResourceGoneException.class);
        assertThatThrownBy(() -> client.patch().withBody(patch).withId(new IdType("Patient", "never-there-patch"))
                .execute()).isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void patchEntriesOfATransactionRunWithItsOtherEntriesAndAFailingOneRollsAllBack() {
        String system = FhirServer.uniqueSystem();
        Patient sam = stored(system, "Rivera");
        String samRef = "Patient/" + sam.getIdElement().getIdPart();
        Binary jsonPatch = new Binary().setContentType(JSON_PATCH);
        jsonPatch.setData("[{\"op\":\"add\",\"path\":\"/gender\",\"value\":\"female\"}]".getBytes(StandardCharsets.UTF_8));

        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        transaction.addEntry().setResource(jsonPatch).getRequest().setMethod(Bundle.HTTPVerb.PATCH).setUrl(samRef);
        transaction.addEntry().setResource((Parameters) fhirPatch().insert().path("Patient.name[0].given").index(0)
                .value(new StringType("Max")).andThen().build()).getRequest().setMethod(Bundle.HTTPVerb.PATCH)
                .setUrl("Patient?identifier=" + system + "|1");
        Bundle answer = client.transaction().withBundle(transaction).execute();

        assertThat(answer.getEntry()).extracting(e -> e.getResponse().getStatus()).containsExactly("200 OK", "200 OK");
        Patient now = current(sam.getIdElement().getIdPart());
        assertThat(now.getGender().toCode()).isEqualTo("female");
        assertThat(now.getNameFirstRep().getGiven()).extracting(StringType::getValue).containsExactly("Max", "Sam");

        Bundle failing = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        Patient other = new Patient().addIdentifier(new org.hl7.fhir.r4.model.Identifier().setSystem(system).setValue("2"));
        failing.addEntry().setResource(other).getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Patient");
        failing.addEntry().setResource(replace("Patient.telecom", "x"))
                .getRequest().setMethod(Bundle.HTTPVerb.PATCH).setUrl(samRef);
        assertThatThrownBy(() -> client.transaction().withBundle(failing).execute())
                .isInstanceOf(UnprocessableEntityException.class);
        assertThat(FhirServer.get("/Patient?identifier=" + system + "|2").body()).doesNotContain("\"entry\"");
        assertThat(current(sam.getIdElement().getIdPart()).getMeta().getVersionId()).isEqualTo(now.getMeta().getVersionId());
    }

    @Test
    void patchEntriesOfABatchAreAnsweredOneByOne() {
        Patient sam = stored(FhirServer.uniqueSystem(), "Rivera");
        String samRef = "Patient/" + sam.getIdElement().getIdPart();
        Bundle batch = new Bundle().setType(Bundle.BundleType.BATCH);
        batch.addEntry().setResource(replace("Patient.name[0].family", "Batch"))
                .getRequest().setMethod(Bundle.HTTPVerb.PATCH).setUrl(samRef).setIfMatch("W/\"1\"");
        batch.addEntry().setResource(replace("Patient.name[0].family", "Late"))
                .getRequest().setMethod(Bundle.HTTPVerb.PATCH).setUrl(samRef).setIfMatch("W/\"1\"");
        batch.addEntry().setResource((Parameters) fhirPatch().delete().path("Patient.name").andThen().build())
                .getRequest().setMethod(Bundle.HTTPVerb.PATCH).setUrl("Patient/never-there-patch");

        Bundle answer = client.transaction().withBundle(batch).execute();

        assertThat(answer.getEntry()).extracting(e -> e.getResponse().getStatus().substring(0, 3))
                .containsExactly("200", "412", "404");
        assertThat(current(sam.getIdElement().getIdPart()).getNameFirstRep().getFamily()).isEqualTo("Batch");
    }
}
