package org.alongside.sync.subscription;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.alongside.interaction.InteractionPipeline;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Turns recorded events into what a notification may carry, through the one door: each event's version is read with
 * the interaction pipeline as whoever works on this thread (the Subscription's owner when the delivery worker sends,
 * the caller of {@code $events}), so role, scopes, reach and Part 2 consent decide, and Part 2 records leaving the
 * program are labelled. An event whose version that caller may not read keeps its number and timestamp and names no
 * focus (nothing about it is disclosed; the numbering stays without gaps).
 */
@ApplicationScoped
public class TopicNotifications {

    @Inject
    InteractionPipeline pipeline;

    public List<NotificationBundles.Event> events(List<PendingEvent> recorded, TopicSubscription.Content content) {
        List<NotificationBundles.Event> events = new ArrayList<>();
        for (PendingEvent event : recorded) {
            if (content == TopicSubscription.Content.EMPTY) {
                events.add(new NotificationBundles.Event(event.eventNumber(), event.recorded(), null, null,
                        event.version()));
                continue;
            }
            IBaseResource resource;
            try {
                resource = pipeline.vread(event.type(), event.id(), event.version());
            } catch (BaseServerResponseException e) {
                resource = null; // refused (403), or gone: withheld
            }
            String focus = resource == null ? null : event.type() + "/" + event.id();
            events.add(new NotificationBundles.Event(event.eventNumber(), event.recorded(), focus,
                    content == TopicSubscription.Content.FULL_RESOURCE ? resource : null, event.version()));
        }
        return events;
    }
}
