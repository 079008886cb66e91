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
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Subscription;
import org.hl7.fhir.r4.model.Subscription.SubscriptionChannelType;
import org.hl7.fhir.r4.model.Subscription.SubscriptionStatus;
import org.hl7.fhir.r4.model.UnsignedIntType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TopicSubscriptionSpecsTest {

    private static SubscriptionSpecs specs;

    @BeforeAll
    static void setUp() {
        SearchParamRegistry registry = SearchParamRegistry.fromDefinitions(FhirContext.forR4Cached(),
                List.of("Patient", "Encounter", "ServiceRequest", "Provenance", "Task", "Subscription"));
        OutboundRule any = new OutboundRule(List.of(), host -> new InetAddress[] {InetAddress.getByName("93.184.215.14")});
        specs = new SubscriptionSpecs(new SearchRequestParser(registry, 20, 100), List.of(), any);
    }

    private static Subscription backport(Topic topic, String content) {
        Subscription subscription = new Subscription();
        subscription.setId("t1");
        subscription.getMeta().addProfile(SubscriptionSpecs.BACKPORT_PROFILE);
        subscription.setStatus(SubscriptionStatus.REQUESTED).setReason("mentorship events").setCriteria(topic.url());
        subscription.getChannel().setType(SubscriptionChannelType.RESTHOOK).setEndpoint("https://ehr.example/hooks")
                .setPayload("application/fhir+json");
        if (content != null) {
            subscription.getChannel().getPayloadElement().addExtension(SubscriptionSpecs.PAYLOAD_CONTENT,
                    new CodeType(content));
        }
        return subscription;
    }

    private static void filter(Subscription subscription, String value) {
        subscription.getCriteriaElement().addExtension(SubscriptionSpecs.FILTER_CRITERIA, new StringType(value));
    }

    @Test
    void theCriteriaNameATopicAndTheContentComesFromThePayloadExtension() {
        SubscriptionSpec spec = specs.parse(backport(MentorshipTopics.SESSION_RECORDED, "full-resource"));
        assertThat(spec.topicBased()).isTrue();
        assertThat(spec.criteria()).isNull();
        assertThat(spec.watchedType()).isEqualTo("Encounter");
        assertThat(spec.topic().topic()).isEqualTo(MentorshipTopics.SESSION_RECORDED);
        assertThat(spec.topic().content()).isEqualTo(TopicSubscription.Content.FULL_RESOURCE);
        assertThat(spec.topic().filter()).isNull();
        assertThat(spec.topic().heartbeatSeconds()).isNull();
        assertThat(spec.fullPayload()).as("not the plain R4 PUT of the resource").isFalse();
    }

    @Test
    void withoutAContentExtensionNotificationsAreIdOnly() {
        assertThat(specs.parse(backport(MentorshipTopics.ESCALATION_OPENED, null)).topic().content())
                .isEqualTo(TopicSubscription.Content.ID_ONLY);
    }

    @Test
    void aPatientFilterBecomesASearchOnTheTopicsPatientParameter() {
        Subscription subscription = backport(MentorshipTopics.NOTE_COSIGNED, "id-only");
        filter(subscription, "Provenance?patient=Patient/p1");
        SearchQuery query = specs.parse(subscription).topic().filter();
        assertThat(query.resourceType()).isEqualTo("Provenance");
        assertThat(query.criteria()).hasSize(1);
        Subscription bare = backport(MentorshipTopics.SESSION_RECORDED, "id-only");
        filter(bare, "patient=p1,Patient/p2");
        assertThat(specs.parse(bare).topic().filter().criteria()).hasSize(1);
    }

    @Test
    void aFilterOnAnotherTypeOrParameterIsRefused() {
        Subscription otherType = backport(MentorshipTopics.SESSION_RECORDED, "id-only");
        filter(otherType, "Task?patient=Patient/p1");
        assertThatThrownBy(() -> specs.parse(otherType)).isInstanceOf(UnprocessableEntityException.class)
                .hasMessageContaining("is about Encounter");
        Subscription otherParameter = backport(MentorshipTopics.SESSION_RECORDED, "id-only");
        filter(otherParameter, "Encounter?status=finished");
        assertThatThrownBy(() -> specs.parse(otherParameter)).isInstanceOf(UnprocessableEntityException.class)
                .hasMessageContaining("status is not a filter");
    }

    @Test
    void anUnknownTopicOrContentIsRefusedNamingWhatIsOffered() {
        Subscription unknown = backport(MentorshipTopics.SESSION_RECORDED, "id-only");
        unknown.setCriteria("http://example.org/topics/admission");
        assertThatThrownBy(() -> specs.parse(unknown)).isInstanceOf(UnprocessableEntityException.class)
                .hasMessageContaining("unknown topic").hasMessageContaining(MentorshipTopics.SESSION_RECORDED.url());
        assertThatThrownBy(() -> specs.parse(backport(MentorshipTopics.SESSION_RECORDED, "everything")))
                .isInstanceOf(UnprocessableEntityException.class).hasMessageContaining("backport-payload-content");
    }

    @Test
    void theHeartbeatPeriodIsReadAndBounded() {
        Subscription subscription = backport(MentorshipTopics.SESSION_RECORDED, "empty");
        subscription.getChannel().addExtension(SubscriptionSpecs.HEARTBEAT_PERIOD, new UnsignedIntType(30));
        assertThat(specs.parse(subscription).topic().heartbeatSeconds()).isEqualTo(30);
        Subscription none = backport(MentorshipTopics.SESSION_RECORDED, "empty");
        none.getChannel().addExtension(SubscriptionSpecs.HEARTBEAT_PERIOD, new UnsignedIntType(0));
        assertThatThrownBy(() -> specs.parse(none)).isInstanceOf(UnprocessableEntityException.class)
                .hasMessageContaining("heartbeat");
    }

    @Test
    void aPlainCriteriaSubscriptionIsStillAPlainOne() {
        Subscription plain = backport(MentorshipTopics.SESSION_RECORDED, null);
        plain.getMeta().getProfile().clear();
        plain.setCriteria("Encounter?status=finished");
        SubscriptionSpec spec = specs.parse(plain);
        assertThat(spec.topicBased()).isFalse();
        assertThat(spec.watchedType()).isEqualTo("Encounter");
    }
}
