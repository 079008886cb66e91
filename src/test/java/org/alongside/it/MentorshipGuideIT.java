package org.alongside.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.UUID;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.ValidationResult;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.UnknownCodeSystemWarningValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Parameters;
import org.junit.jupiter.api.Test;

/**
 * Runs every {@code sh} block of docs/mentorship.md, in order ({@link GuideScript}), so the guide's three journeys
 * are proven on every build. Then everything the journeys wrote, fetched through
 * the clinician's side-by-side view, is checked against base FHIR R4 with HAPI's validator (no Alongside
 * profiles loaded), as an outside client would.
 */
class MentorshipGuideIT {

    @Test
    void everyExampleInTheMentorshipGuideRuns() throws IOException, InterruptedException {
        List<String> blocks = GuideScript.blocks(GuideScript.read("docs/mentorship.md", null));
        assertThat(blocks).hasSizeGreaterThan(10);
        String run = "it-" + UUID.randomUUID().toString().substring(0, 8);
        String output = GuideScript.run(blocks, run);

        // what the guide says the reader will see
        assertThat(output).contains("CarePlan CareTeam ServiceRequest Task");
        assertThat(output).containsPattern("peer-mentor PractitionerRole/jordan-role-it-");
        assertThat(output).containsPattern("supervisor PractitionerRole/sam-role-it-");
        assertThat(output).containsPattern("### block \\d+\\n3\\n");
        assertThat(output).contains("was active on");
        assertThat(output).contains("sessionsThisMonth = 1", "unitsThisMonth = 3");
        assertThat(output).contains("BARC-10 total: 34");
        assertThat(output).contains("supervision minutes this month: 60", "403 403 ");
        assertThat(output).containsPattern("completed PractitionerRole/jordan-role-it-.*\\nactive PractitionerRole/alex-role-it-");

        // everything the journeys produced, as the clinician's view returns it, is valid base FHIR R4
        Bundle view = FhirServer.client().operation().onInstance(new IdType("CarePlan", "maria-plan-" + run))
                .named("$side-by-side").withNoParameters(Parameters.class).useHttpGet()
                .returnResourceType(Bundle.class).execute();
        assertThat(view.getEntry()).hasSizeGreaterThan(8);
        FhirValidator validator = FhirServer.FHIR.newValidator();
        FhirInstanceValidator base = new FhirInstanceValidator(new ValidationSupportChain(
                new DefaultProfileValidationSupport(FhirServer.FHIR),
                new InMemoryTerminologyServerValidationSupport(FhirServer.FHIR),
                new CommonCodeSystemsTerminologyService(FhirServer.FHIR),
                new UnknownCodeSystemWarningValidationSupport(FhirServer.FHIR)));
        // Alongside's profiles are deliberately not loaded: claimed but unknown profiles are warnings, as in
        // the HL7 validator; what is checked is conformance to base R4
        base.setErrorForUnknownProfiles(false);
        validator.registerValidatorModule(base);
        ValidationResult result = validator.validateWithResult(view);
        assertThat(result.getMessages()).filteredOn(msg -> msg.getSeverity() == ResultSeverityEnum.ERROR
                        || msg.getSeverity() == ResultSeverityEnum.FATAL)
                .extracting(msg -> msg.getLocationString() + ": " + msg.getMessage()).isEmpty();
    }
}
