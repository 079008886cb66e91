package org.alongside.sync.subscription;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.alongside.search.SearchQuery;
import org.hl7.fhir.r4.model.Subscription.SubscriptionStatus;

/**
 * A validated rest-hook Subscription, as the matcher and the delivery worker use it.
 *
 * @param criteria the search a changed resource must match (of type {@code criteria.resourceType()})
 * @param payload  the MIME type of the notification body ({@code application/fhir+json} or {@code +xml}), or null
 *                 for an empty notification
 * @param end      when the Subscription stops recording new events, or null
 */
public record SubscriptionSpec(String id, SubscriptionStatus status, SearchQuery criteria, URI endpoint,
                               String payload, List<ChannelHeaders.Header> headers, Instant end) {

    public SubscriptionSpec {
        headers = List.copyOf(headers);
    }

    public boolean fullPayload() {
        return payload != null;
    }

    /** Active or in error (delivery keeps retrying), and not past its end. */
    public boolean recordsEventsAt(Instant now) {
        return (status == SubscriptionStatus.ACTIVE || status == SubscriptionStatus.ERROR)
                && (end == null || now.isBefore(end));
    }
}
