package org.alongside.patch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Type;
import org.junit.jupiter.api.Test;

class FhirPathPatchTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    private static Patient sam() {
        Patient patient = new Patient();
        patient.setId("p1");
        patient.addName(new HumanName().setFamily("Rivera").addGiven("Sam").addGiven("Alex").addGiven("Jo"));
        patient.addTelecom(new ContactPoint().setSystem(ContactPoint.ContactPointSystem.PHONE).setValue("555-0100"));
        patient.addTelecom(new ContactPoint().setSystem(ContactPoint.ContactPointSystem.EMAIL).setValue("sam@example.org"));
        patient.setActive(true);
        return patient;
    }

    /** One operation: type, path, then name/value pairs of its other parts. */
    private static ParametersParameterComponent op(String type, String path, Object... parts) {
        ParametersParameterComponent operation = new ParametersParameterComponent().setName("operation");
        operation.addPart().setName("type").setValue(new CodeType(type));
        operation.addPart().setName("path").setValue(new StringType(path));
        for (int i = 0; i < parts.length; i += 2) {
            ParametersParameterComponent part = operation.addPart().setName((String) parts[i]);
            if (parts[i + 1] instanceof String text) {
                part.setValue(new StringType(text));
            } else if (parts[i + 1] instanceof Type value) {
                part.setValue(value);
            } else {
                part.setPart(((ParametersParameterComponent) parts[i + 1]).getPart());
            }
        }
        return operation;
    }

    private static Patient patched(Patient patient, ParametersParameterComponent... operations) {
        Parameters parameters = new Parameters();
        for (ParametersParameterComponent operation : operations) {
            parameters.addParameter(operation);
        }
        return (Patient) FhirPathPatch.parse(FHIR, parameters).applyTo(patient);
    }

    @Test
    void replaceChangesTheOneElementThePathSelects() {
        Patient result = patched(sam(), op("replace", "Patient.name[0].family", "value", new StringType("Lopez")),
                op("replace", "Patient.telecom.where(system = 'email').value", "value", new StringType("new@example.org")),
                op("replace", "Patient.name[0].given[1]", "value", new StringType("Alexis")));

        assertThat(result.getNameFirstRep().getFamily()).isEqualTo("Lopez");
        assertThat(result.getTelecom()).extracting(ContactPoint::getValue).containsExactly("555-0100", "new@example.org");
        assertThat(result.getNameFirstRep().getGiven()).extracting(StringType::getValue)
                .containsExactly("Sam", "Alexis", "Jo");
    }

    @Test
    void addSetsAnAbsentElementOrAppendsToAList() {
        ParametersParameterComponent contactParts = new ParametersParameterComponent();
        contactParts.addPart().setName("name").setValue(new HumanName().setFamily("Rivera"));
        contactParts.addPart().setName("gender").setValue(new CodeType("female"));
        Patient result = patched(sam(), op("add", "Patient", "name", "birthDate", "value", new DateType("1990-04-12")),
                op("add", "Patient.name[0]", "name", "given", "value", new StringType("Max")),
                op("add", "Patient", "name", "contact", "value", contactParts));

        assertThat(result.getBirthDateElement().getValueAsString()).isEqualTo("1990-04-12");
        assertThat(result.getNameFirstRep().getGiven()).extracting(StringType::getValue).endsWith("Max");
        assertThat(result.getContactFirstRep().getName().getFamily()).isEqualTo("Rivera");
        assertThat(result.getContactFirstRep().getGender().toCode()).isEqualTo("female");
    }

    @Test
    void insertDeleteAndMoveKeepTheOrderOfTheOtherListEntries() {
        Patient result = patched(sam(), op("insert", "Patient.name[0].given", "index", new IntegerType(1),
                        "value", new StringType("Kai")),
                op("delete", "Patient.name[0].given[3]"),
                op("move", "Patient.name[0].given", "source", new IntegerType(2), "destination", new IntegerType(0)),
                op("delete", "Patient.active"));

        assertThat(result.getNameFirstRep().getGiven()).extracting(StringType::getValue)
                .containsExactly("Alex", "Sam", "Kai");
        assertThat(result.hasActive()).isFalse();
    }

    @Test
    void deletingWhatIsNotThereChangesNothing() {
        Patient result = patched(sam(), op("delete", "Patient.birthDate"));
        assertThat(result.getActive()).isTrue();
        assertThat(result.getName()).hasSize(1);
    }

    @Test
    void aPatchThatDoesNotFitTheRecordIsUnprocessable() {
        assertThatThrownBy(() -> patched(sam(), op("replace", "Patient.birthDate", "value", new DateType("2000-01-01"))))
                .isInstanceOf(UnprocessableEntityException.class).hasMessageContaining("selects 0");
        assertThatThrownBy(() -> patched(sam(), op("delete", "Patient.telecom")))
                .isInstanceOf(UnprocessableEntityException.class).hasMessageContaining("selects 2");
        assertThatThrownBy(() -> patched(sam(), op("add", "Patient", "name", "active", "value", new BooleanType(false))))
                .isInstanceOf(UnprocessableEntityException.class).hasMessageContaining("already has a value");
        assertThatThrownBy(() -> patched(sam(), op("add", "Patient", "name", "colour", "value", new StringType("x"))))
                .isInstanceOf(UnprocessableEntityException.class).hasMessageContaining("no element colour");
        assertThatThrownBy(() -> patched(sam(), op("insert", "Patient.name[0].given", "index", new IntegerType(9),
                "value", new StringType("x")))).isInstanceOf(UnprocessableEntityException.class);
        assertThatThrownBy(() -> patched(sam(), op("replace", "Patient.active", "value", new HumanName().setFamily("x"))))
                .isInstanceOf(UnprocessableEntityException.class);
    }

    @Test
    void aMalformedPatchIsABadRequest() {
        assertThatThrownBy(() -> patched(sam(), op("upsert", "Patient.active", "value", new BooleanType(false))))
                .isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> patched(sam(), op("replace", "Patient.active")))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("value");
        assertThatThrownBy(() -> patched(sam(), op("add", "Patient", "value", new BooleanType(false))))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("name");
        assertThatThrownBy(() -> patched(sam(), op("replace", "Patient.name[0", "value", new StringType("x"))))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("FHIRPath");
        assertThatThrownBy(() -> patched(sam(), op("move", "Patient.name.first()", "source", new IntegerType(0),
                "destination", new IntegerType(1)))).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> FhirPathPatch.parse(FHIR, new Parameters()))
                .isInstanceOf(InvalidRequestException.class);
    }
}
