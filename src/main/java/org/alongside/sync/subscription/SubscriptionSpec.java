package org.alongside.sync.subscription;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.alongside.search.SearchQuery;
import org.hl7.fhir.r4.model.Subscription.SubscriptionStatus;

/**
 * A validated rest-hook Subscription, as the matcher and the delivery worker use it.
 *
 * @param criteria the search a changed resource must match (of type {@code criteria.resourceType()}); null for a
 *                 topic-based Subscription
 * @param payload  the MIME type of the notification body ({@code application/fhir+json} or {@code +xml}), or null
 *                 for an empty notification
 * @param end      when the Subscription stops recording new events, or null
 * @param topic    the topic and its options for a backport (topic-based) Subscription, or null for a plain R4 one
 */
public record SubscriptionSpec(String id, SubscriptionStatus status, SearchQuery criteria, URI endpoint,
                               String payload, List<ChannelHeaders.Header> headers, Instant end,
                               TopicSubscription topic) {

    public SubscriptionSpec {
        headers = List.copyOf(headers);
    }

    public SubscriptionSpec(String id, SubscriptionStatus status, SearchQuery criteria, URI endpoint, String payload,
                            List<ChannelHeaders.Header> headers, Instant end) {
        this(id, status, criteria, endpoint, payload, headers, end, null);
    }

    public boolean topicBased() {
        return topic != null;
    }

    /** The resource type whose changes this Subscription looks at. */
    public String watchedType() {
        return topic != null ? topic.topic().resourceType() : criteria.resourceType();
    }

    /** A plain R4 Subscription that sends the resource (a topic-based one says so in {@link TopicSubscription}). */
    public boolean fullPayload() {
        return payload != null && topic == null;
    }

    /** Active or in error (delivery keeps retrying), and not past its end. */
    public boolean recordsEventsAt(Instant now) {
        return (status == SubscriptionStatus.ACTIVE || status == SubscriptionStatus.ERROR)
                && (end == null || now.isBefore(end));
    }
}
