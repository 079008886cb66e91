package org.alongside.cds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CdsRequestTest {

    /** Shaped as the CDS Hooks 2.0 patient-view request example. */
    private static final String EXAMPLE = """
            {"hookInstance":"d1577c69-dfbe-44ad-ba6d-3e05e953b2ea","fhirServer":"https://ehr.example.org/fhir",
             "hook":"patient-view",
             "fhirAuthorization":{"access_token":"opaque","token_type":"Bearer","expires_in":300,
                                  "scope":"user/Patient.read","subject":"cds-service4"},
             "context":{"userId":"Practitioner/example","patientId":"1288992","encounterId":"89284"},
             "prefetch":{"peerAssignments":{"resourceType":"Bundle","type":"searchset"},"openEscalations":null}}
            """;

    @Test
    void theSpecsExampleRequestIsRead() {
        CdsRequest request = CdsRequest.parse(EXAMPLE, "patient-view");
        assertThat(request.hookInstance()).isEqualTo("d1577c69-dfbe-44ad-ba6d-3e05e953b2ea");
        assertThat(request.patientId()).isEqualTo("1288992");
        assertThat(request.contextString("userId")).hasValue("Practitioner/example");
        assertThat(request.prefetched("peerAssignments")).isPresent();
        // a key the EHR could not fill (null) or left out is read from Alongside instead
        assertThat(request.prefetched("openEscalations")).isEmpty();
        assertThat(request.prefetched("peerSessions")).isEmpty();
    }

    @Test
    void aRequestWithoutPrefetchIsRead() {
        assertThat(CdsRequest.parse(EXAMPLE.replaceAll("(?s),\\s*\"prefetch\".*\\}\\}\\s*$", "}"), "patient-view")
                .prefetched("peerAssignments")).isEmpty();
    }

    @Test
    void whatIsNotAPatientViewRequestIsRefusedWithTheReason() {
        assertThatThrownBy(() -> CdsRequest.parse("[]", "patient-view")).hasMessage("The body is not a JSON object");
        assertThatThrownBy(() -> CdsRequest.parse(EXAMPLE, "encounter-discharge"))
                .hasMessage("This service answers the encounter-discharge hook, not patient-view");
        assertThatThrownBy(() -> CdsRequest.parse(EXAMPLE.replace("\"hookInstance\"", "\"x\""), "patient-view"))
                .hasMessage("hookInstance is required");
        assertThatThrownBy(() -> CdsRequest.parse(EXAMPLE.replace("\"1288992\"", "\"../x\""), "patient-view"))
                .hasMessageContaining("context.patientId");
        assertThatThrownBy(() -> CdsRequest.parse(EXAMPLE.replace("\"prefetch\":{", "\"prefetch\":[{")
                .replace("null}}", "null}]}"), "patient-view")).hasMessage("prefetch must be an object");
        assertThat(CdsRequest.parse(EXAMPLE, "patient-view")).isNotNull();
    }
}
