package org.alongside.sync.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import org.alongside.search.SearchQuery;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Subscription.SubscriptionStatus;
import org.junit.jupiter.api.Test;

class RestHookClientTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private final RestHookClient client = new RestHookClient(FHIR, Duration.ofSeconds(1), Duration.ofSeconds(7), "node-a");
    private final PendingEvent event = new PendingEvent(99, "sub-1", 12, "Patient", "p-1", 3, 0);

    private static SubscriptionSpec spec(String endpoint, String payload) {
        SearchQuery criteria = new SearchQuery("Patient", List.of(), List.of(), 20, null,
                SearchQuery.TotalMode.NONE, false);
        return new SubscriptionSpec("sub-1", SubscriptionStatus.ACTIVE, criteria, URI.create(endpoint), payload,
                List.of(new ChannelHeaders.Header("Authorization", "Bearer t")), null);
    }

    @Test
    void withoutPayloadItPostsNothingToTheEndpointItself() {
        HttpRequest request = client.request(spec("https://ehr.example/hooks/alongside", null), event, null);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.uri()).isEqualTo(URI.create("https://ehr.example/hooks/alongside"));
        assertThat(request.bodyPublisher().orElseThrow().contentLength()).isZero();
        assertThat(request.headers().firstValue("Content-Type")).isEmpty();
        assertHeaders(request);
    }

    @Test
    void withPayloadItPutsTheResourceUnderTheEndpointAsServiceBase() {
        Patient patient = new Patient();
        patient.setId("Patient/p-1/_history/3");
        patient.addName().setFamily("Doe");
        HttpRequest request = client.request(spec("https://ehr.example/fhir/", "application/fhir+json"), event, patient);
        assertThat(request.method()).isEqualTo("PUT");
        assertThat(request.uri()).isEqualTo(URI.create("https://ehr.example/fhir/Patient/p-1"));
        assertThat(request.headers().firstValue("Content-Type")).hasValue("application/fhir+json; charset=UTF-8");
        assertThat(request.bodyPublisher().orElseThrow().contentLength()).isPositive();
        assertHeaders(request);
    }

    private void assertHeaders(HttpRequest request) {
        assertThat(request.headers().firstValue("Authorization")).hasValue("Bearer t");
        assertThat(request.headers().firstValue(RestHookClient.EVENT_NUMBER)).hasValue("12");
        assertThat(request.headers().firstValue(RestHookClient.SUBSCRIPTION)).hasValue("Subscription/sub-1");
        assertThat(request.headers().firstValue(RestHookClient.RESOURCE)).hasValue("Patient/p-1/_history/3");
        assertThat(request.headers().firstValue(RestHookClient.INSTANCE)).hasValue("node-a");
        assertThat(request.timeout()).hasValue(Duration.ofSeconds(7));
    }
}
