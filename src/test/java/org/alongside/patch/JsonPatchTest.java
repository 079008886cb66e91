package org.alongside.patch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.StrictErrorHandler;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

class JsonPatchTest {

    private static final FhirContext FHIR = strict();

    private static FhirContext strict() {
        FhirContext strict = FhirContext.forR4();
        strict.setParserErrorHandler(new StrictErrorHandler());
        return strict;
    }

    private static Patient sam() {
        Patient patient = new Patient();
        patient.setId("p1");
        patient.getMeta().setVersionId("3");
        patient.addName(new HumanName().setFamily("Rivera").addGiven("Sam"));
        patient.setActive(true);
        return patient;
    }

    private static Patient patched(String patch) {
        return (Patient) JsonPatch.parse(FHIR, patch).applyTo(sam());
    }

    @Test
    void replaceAddAndRemoveChangeOnlyTheNamedElements() {
        Patient result = patched("[{\"op\":\"replace\",\"path\":\"/name/0/family\",\"value\":\"Rivera-Lopez\"},"
                + "{\"op\":\"add\",\"path\":\"/name/0/given/-\",\"value\":\"Alex\"},"
                + "{\"op\":\"remove\",\"path\":\"/active\"},"
                + "{\"op\":\"add\",\"path\":\"/birthDate\",\"value\":\"1990-04-12\"}]");

        assertThat(result.getNameFirstRep().getFamily()).isEqualTo("Rivera-Lopez");
        assertThat(result.getNameFirstRep().getGiven()).extracting(g -> g.getValue()).containsExactly("Sam", "Alex");
        assertThat(result.hasActive()).isFalse();
        assertThat(result.getBirthDateElement().getValueAsString()).isEqualTo("1990-04-12");
        assertThat(result.getIdElement().getIdPart()).isEqualTo("p1");
    }

    @Test
    void aTestThatHoldsLetsThePatchThroughAndOneThatFailsIsUnprocessable() {
        assertThat(patched("[{\"op\":\"test\",\"path\":\"/name/0/family\",\"value\":\"Rivera\"},"
                + "{\"op\":\"replace\",\"path\":\"/active\",\"value\":false}]").getActive()).isFalse();

        assertThatThrownBy(() -> patched("[{\"op\":\"test\",\"path\":\"/name/0/family\",\"value\":\"Other\"}]"))
                .isInstanceOf(UnprocessableEntityException.class);
    }

    @Test
    void aPathTheRecordDoesNotHaveIsUnprocessable() {
        assertThatThrownBy(() -> patched("[{\"op\":\"replace\",\"path\":\"/telecom/0/value\",\"value\":\"x\"}]"))
                .isInstanceOf(UnprocessableEntityException.class);
    }

    @Test
    void aResultThatIsNotAValidResourceIsUnprocessable() {
        assertThatThrownBy(() -> patched("[{\"op\":\"add\",\"path\":\"/colour\",\"value\":\"blue\"}]"))
                .isInstanceOf(UnprocessableEntityException.class).hasMessageContaining("not a valid resource");
        assertThatThrownBy(() -> patched("[{\"op\":\"replace\",\"path\":\"/active\",\"value\":\"yes\"}]"))
                .isInstanceOf(UnprocessableEntityException.class);
        assertThatThrownBy(() -> patched("[{\"op\":\"replace\",\"path\":\"/resourceType\",\"value\":\"Group\"}]"))
                .isInstanceOf(UnprocessableEntityException.class).hasMessageContaining("resource type");
    }

    @Test
    void aMalformedDocumentIsABadRequestBeforeAnythingIsRead() {
        for (String malformed : new String[] {"", "{\"op\":\"remove\",\"path\":\"/active\"}", "[]", "[1]",
                "[{\"op\":\"frobnicate\",\"path\":\"/active\"}]", "[{\"op\":\"remove\"}]",
                "[{\"op\":\"remove\",\"path\":\"active\"}]", "[{\"op\":\"add\",\"path\":\"/active\"}]",
                "[{\"op\":\"move\",\"path\":\"/active\"}]", "[{\"op\":\"remove\",\"path\":\"/active\""}) {
            assertThatThrownBy(() -> JsonPatch.parse(FHIR, malformed)).as(malformed)
                    .isInstanceOf(InvalidRequestException.class);
        }
    }

    @Test
    void theRecordGivenIsNotChangedWhenThePatchFails() {
        Patient current = sam();
        assertThatThrownBy(() -> JsonPatch.parse(FHIR, "[{\"op\":\"replace\",\"path\":\"/active\",\"value\":false},"
                + "{\"op\":\"test\",\"path\":\"/active\",\"value\":true}]").applyTo(current))
                .isInstanceOf(UnprocessableEntityException.class);
        assertThat(current.getActive()).isTrue();
    }
}
