package org.alongside.sync.subscription;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import org.alongside.config.AlongsideConfig;
import org.alongside.interaction.InteractionPipeline;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Subscription;

/**
 * {@code Subscription/[id]/$status} and {@code Subscription/[id]/$events} (Subscriptions Backport IG). The
 * Subscription is read through the interaction pipeline (its access rules and audit), and the events' resources as
 * the caller of the operation may see them ({@link TopicNotifications}).
 */
@ApplicationScoped
public class SubscriptionQueries {

    @Inject
    InteractionPipeline pipeline;

    @Inject
    SubscriptionSpecs specs;

    @Inject
    Outbox outbox;

    @Inject
    TopicNotifications notifications;

    @Inject
    AlongsideConfig config;

    /** A searchset with the Subscription's status (type {@code query-status}). */
    public Bundle status(String id, String fhirBase) {
        Subscription subscription = (Subscription) pipeline.read(SubscriptionSpecs.SUBSCRIPTION, id);
        String topicUrl = null;
        try {
            SubscriptionSpec spec = specs.parse(subscription);
            topicUrl = spec.topicBased() ? spec.topic().topic().url() : null;
        } catch (BaseServerResponseException e) {
            // no longer usable under today's configuration: its status still answers
        }
        return NotificationBundles.statusSearchset(new NotificationBundles.Context(fhirBase, id, topicUrl,
                subscription.getStatus().toCode(), outbox.topicState(id).eventsSinceStart()));
    }

    /**
     * The kept events numbered {@code since} to {@code until} (defaults: 1 and the last one), at most the server's
     * page size (alongside.search.max-count) from {@code since}, as a {@code query-event} notification Bundle.
     *
     * @param content empty, id-only or full-resource; null for the Subscription's own
     */
    public Bundle events(String id, String since, String until, String content, String fhirBase) {
        Subscription subscription = (Subscription) pipeline.read(SubscriptionSpecs.SUBSCRIPTION, id);
        SubscriptionSpec spec = specs.parse(subscription);
        if (!spec.topicBased()) {
            throw new InvalidRequestException("$events: Subscription/" + id + " is not topic-based; its events are not"
                    + " kept after delivery (read the change feed)");
        }
        long last = outbox.topicState(id).eventsSinceStart();
        EventRange range;
        try {
            range = EventRange.of(since, until, last);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("$events: " + e.getMessage());
        }
        TopicSubscription.Content shape = content == null ? spec.topic().content()
                : TopicSubscription.Content.fromCode(content).orElseThrow(() -> new InvalidRequestException(
                "$events: content must be empty, id-only or full-resource"));
        List<PendingEvent> kept = range.isEmpty() ? List.of()
                : outbox.events(id, range.since(), range.until(), config.maxCount());
        return NotificationBundles.notification(new NotificationBundles.Context(fhirBase, id,
                        spec.topic().topic().url(), subscription.getStatus().toCode(), last),
                NotificationBundles.Type.QUERY_EVENT, notifications.events(kept, shape));
    }
}
