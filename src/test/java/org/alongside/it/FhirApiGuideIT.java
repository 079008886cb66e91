package org.alongside.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Runs the {@code sh} blocks of the sections of docs/fhir-api.md that are written to run ({@link GuideScript}). */
class FhirApiGuideIT {

    @Test
    void everyExampleOfThePatchSectionRunsAndShowsWhatTheGuideSays() throws Exception {
        List<String> blocks = GuideScript.blocks(GuideScript.read("docs/fhir-api.md", "Patch"));
        assertThat(blocks).hasSizeGreaterThanOrEqualTo(4);

        String output = GuideScript.run(blocks, "it-" + UUID.randomUUID().toString().substring(0, 8));

        assertThat(output).contains("{\"version\":\"2\",\"name\":[{\"family\":\"Rivera-Lopez\",\"given\":[\"Sam\",\"Alex\"]}]}");
        assertThat(output).contains("{\"version\":\"3\",\"birthDate\":\"1990-04-21\",\"gender\":\"female\"}");
        assertThat(output).contains("412\n422\nstill version 3");
    }

    @Test
    void everyExampleOfTheTerminologySectionRunsAndShowsWhatTheGuideSays() throws Exception {
        String section = GuideScript.read("docs/fhir-api.md", "Terminology");
        List<String> blocks = GuideScript.blocks(section);
        assertThat(blocks).hasSize(5);

        String output = GuideScript.run(blocks, "it-" + UUID.randomUUID().toString().substring(0, 8));

        // what each block prints is the json or text block the guide shows after it
        for (String shown : List.of(
                "{\"total\":3,\"contains\":[{\"code\":\"cravings\",\"display\":\"Antojos\"},"
                        + "{\"code\":\"creative-outlets\",\"display\":\"Actividades creativas\"}]}",
                "{\"offset\":2,\"contains\":[{\"code\":\"crisis-support\",\"display\":\"Apoyo en crisis\"}]}",
                "[\"SessionModality\",\"Phone\"]",
                "true Video\nfalse Unknown code 'http://alongside.health/fhir/CodeSystem/session-modality#fax'")) {
            assertThat(section).contains(shown);
            assertThat(output).contains(shown);
        }
    }

    @Test
    void theEverythingSectionListsThePersonsCompartmentPageByPage() throws Exception {
        List<String> blocks = GuideScript.blocks(GuideScript.read("docs/fhir-api.md",
                "Everything about one person (`Patient/$everything`)"));
        assertThat(blocks).hasSize(2);

        String output = GuideScript.run(blocks, "it-" + UUID.randomUUID().toString().substring(0, 8));

        assertThat(output).contains("Patient/every CarePlan/every-plan Goal/every-goal\n");
        assertThat(output).contains("page: Patient, CarePlan\npage: Goal\n");
    }
}
