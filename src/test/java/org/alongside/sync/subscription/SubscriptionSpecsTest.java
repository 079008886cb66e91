package org.alongside.sync.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.net.InetAddress;
import java.util.List;
import org.alongside.outbound.OutboundRule;
import org.alongside.search.SearchParamRegistry;
import org.alongside.search.SearchQuery;
import org.alongside.search.SearchRequestParser;
import org.hl7.fhir.r4.model.Subscription;
import org.hl7.fhir.r4.model.Subscription.SubscriptionChannelType;
import org.hl7.fhir.r4.model.Subscription.SubscriptionStatus;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SubscriptionSpecsTest {

    /** The server's outbound rule over a made-up resolver: ehr.example is public, internal.example is not. */
    private static final OutboundRule PUBLIC_ONLY = new OutboundRule(List.of(), host -> new InetAddress[] {
            InetAddress.getByName(host.endsWith("internal.example") ? "10.0.0.7"
                    : host.endsWith("ehr.example") ? "93.184.215.14" : host)});

    private static SubscriptionSpecs specs;

    @BeforeAll
    static void setUp() {
        SearchParamRegistry registry = SearchParamRegistry.fromDefinitions(FhirContext.forR4Cached(),
                List.of("Patient", "Communication", "Subscription"));
        specs = new SubscriptionSpecs(new SearchRequestParser(registry, 20, 100), List.of(), PUBLIC_ONLY);
    }

    private static Subscription valid() {
        Subscription subscription = new Subscription();
        subscription.setId("s1");
        subscription.setStatus(SubscriptionStatus.REQUESTED).setReason("sync").setCriteria("Patient?identifier=urn:x|");
        subscription.getChannel().setType(SubscriptionChannelType.RESTHOOK).setEndpoint("https://ehr.example/hooks")
                .setPayload("application/fhir+json").addHeader("Authorization: Bearer t");
        return subscription;
    }

    @Test
    void readsAValidSubscription() {
        SubscriptionSpec spec = specs.parse(valid());
        assertThat(spec.id()).isEqualTo("s1");
        assertThat(spec.criteria().resourceType()).isEqualTo("Patient");
        assertThat(spec.criteria().criteria()).hasSize(1);
        assertThat(spec.endpoint().toString()).isEqualTo("https://ehr.example/hooks");
        assertThat(spec.fullPayload()).isTrue();
        assertThat(spec.headers()).containsExactly(new ChannelHeaders.Header("Authorization", "Bearer t"));
    }

    @Test
    void aTypeAloneWatchesEveryChangeOfThatType() {
        SearchQuery all = specs.criteria("Communication");
        assertThat(all.resourceType()).isEqualTo("Communication");
        assertThat(all.criteria()).isEmpty();
        assertThat(specs.criteria("Communication?").criteria()).isEmpty();
    }

    @Test
    void criteriaParseLikeASearchWithChainsAndModifiers() {
        SearchQuery query = specs.criteria("Communication?status:not=completed&subject:Patient.identifier=urn:x|1");
        assertThat(query.criteria()).hasSize(2);
        assertThat(query.criteria()).hasAtLeastOneElementOfType(SearchQuery.ChainCriterion.class)
                .hasAtLeastOneElementOfType(SearchQuery.ParamCriterion.class);
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "Patient?bogus=1; Unknown search parameter bogus",
            "Observation?code=x; Observation is not supported",
            "patient?name=x; must start with a resource type",
            "?name=x; must start with a resource type",
            "Subscription?status=active; cannot watch Subscription",
            "Patient?_sort=name; _sort shapes search results",
            "Patient?_count=5; _count shapes search results",
            "Patient?_include=Patient:organization; _include shapes search results",
            "Patient?birthdate=not-a-date; Subscription.criteria:"})
    void refusesCriteriaNamingTheProblem(String criteria, String message) {
        Subscription subscription = valid().setCriteria(criteria);
        assertThatThrownBy(() -> specs.parse(subscription)).isInstanceOf(UnprocessableEntityException.class)
                .hasMessageContaining(message);
    }

    @Test
    void refusesOtherChannelTypes() {
        Subscription subscription = valid();
        subscription.getChannel().setType(SubscriptionChannelType.WEBSOCKET);
        assertThatThrownBy(() -> specs.parse(subscription)).isInstanceOf(UnprocessableEntityException.class)
                .hasMessageContaining("websocket is not supported").hasMessageContaining("rest-hook");
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "/relative/path; absolute http or https URL",
            "ftp://ehr.example/x; absolute http or https URL",
            "mailto:someone@ehr.example; absolute http or https URL",
            "https://user:secret@ehr.example/x; must not carry user information",
            "https://ehr.example/x#frag; must not carry user information or a fragment",
            "http://bad host/x; not a valid URL"})
    void refusesEndpointsThatAreNotAbsoluteHttpUrls(String endpoint, String message) {
        Subscription subscription = valid();
        subscription.getChannel().setEndpoint(endpoint);
        assertThatThrownBy(() -> specs.parse(subscription)).isInstanceOf(UnprocessableEntityException.class)
                .hasMessageContaining(message).hasMessageNotContaining("secret");
    }

    @Test
    void anAllowListLimitsEndpointHosts() {
        SearchParamRegistry registry = SearchParamRegistry.fromDefinitions(FhirContext.forR4Cached(), List.of("Patient"));
        SubscriptionSpecs limited = new SubscriptionSpecs(new SearchRequestParser(registry, 20, 100),
                List.of("EHR.example", "hooks.clinic.example"), PUBLIC_ONLY);
        assertThat(limited.parse(valid()).endpoint().getHost()).isEqualTo("ehr.example");
        Subscription elsewhere = valid();
        elsewhere.getChannel().setEndpoint("http://169.254.169.254/latest/meta-data");
        assertThatThrownBy(() -> limited.parse(elsewhere)).isInstanceOf(UnprocessableEntityException.class)
                .hasMessageContaining("not in this server's list of allowed endpoint hosts");
    }

    @ParameterizedTest
    @CsvSource({"http://127.0.0.2:9/", "http://169.254.169.254/latest/meta-data", "http://[::1]/hook",
            "https://hooks.internal.example/x"})
    void anEndpointOnAnInternalAddressIsRefusedWhenWrittenOrDelivered(String endpoint) {
        Subscription subscription = valid();
        subscription.getChannel().setEndpoint(endpoint);
        assertThat(specs.parse(subscription).endpoint()).hasToString(endpoint); // matching never resolves names
        assertThatThrownBy(() -> specs.parseReachable(subscription)).isInstanceOf(UnprocessableEntityException.class)
                .hasMessageContaining("Subscription.channel.endpoint: host ").hasMessageContaining("non-public address");
        assertThat(specs.parseReachable(valid()).endpoint().getHost()).isEqualTo("ehr.example");
    }

    @Test
    void aHostInTheSubscriptionAllowListMayBeInternal() {
        SearchParamRegistry registry = SearchParamRegistry.fromDefinitions(FhirContext.forR4Cached(), List.of("Patient"));
        SubscriptionSpecs listed = new SubscriptionSpecs(new SearchRequestParser(registry, 20, 100),
                List.of("hooks.internal.example"), PUBLIC_ONLY);
        Subscription subscription = valid();
        subscription.getChannel().setEndpoint("https://hooks.internal.example/x");
        assertThat(listed.parseReachable(subscription).endpoint().getHost()).isEqualTo("hooks.internal.example");
    }

    @Test
    void payloadIsAFhirMimeTypeOrNothing() {
        assertThat(SubscriptionSpecs.payload(null)).isNull();
        assertThat(SubscriptionSpecs.payload("")).isNull();
        assertThat(SubscriptionSpecs.payload("application/fhir+json")).isEqualTo("application/fhir+json");
        assertThat(SubscriptionSpecs.payload("application/json; charset=utf-8")).isEqualTo("application/fhir+json");
        assertThat(SubscriptionSpecs.payload("application/fhir+xml;fhirVersion=4.0")).isEqualTo("application/fhir+xml");
        assertThatThrownBy(() -> SubscriptionSpecs.payload("text/plain"))
                .isInstanceOf(UnprocessableEntityException.class).hasMessageContaining("text/plain");
    }

    @Test
    void requiresStatusReasonCriteriaAndChannel() {
        assertThatThrownBy(() -> specs.parse(valid().setStatus(null))).hasMessageContaining("status is required");
        assertThatThrownBy(() -> specs.parse(valid().setReason(null))).hasMessageContaining("reason is required");
        assertThatThrownBy(() -> specs.parse(valid().setCriteria(null))).hasMessageContaining("criteria is required");
        Subscription noEndpoint = valid();
        noEndpoint.getChannel().setEndpoint(null);
        assertThatThrownBy(() -> specs.parse(noEndpoint)).hasMessageContaining("endpoint is required");
    }
}
