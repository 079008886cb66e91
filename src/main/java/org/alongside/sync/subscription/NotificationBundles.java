package org.alongside.sync.subscription;

import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;

/**
 * Builds topic-based notification Bundles in the Subscriptions Backport IG's R4 shape: a {@code history} Bundle whose
 * first entry is the status, a {@code Parameters} (profile backport-subscription-status-r4) with the Subscription, its
 * topic, status, the notification type and {@code events-since-subscription-start}, and one
 * {@code notification-event} per event (number, timestamp, focus unless the payload is {@code empty} or the focus
 * was withheld); then, for {@code full-resource}, one entry per focus resource. Pure: no I/O.
 */
public final class NotificationBundles {

    public static final String STATUS_PROFILE =
            "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-subscription-status-r4";
    public static final String NOTIFICATION_PROFILE =
            "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-subscription-notification-r4";

    /** The notification types of the IG. */
    public enum Type {
        HANDSHAKE("handshake"), HEARTBEAT("heartbeat"), EVENT_NOTIFICATION("event-notification"),
        QUERY_STATUS("query-status"), QUERY_EVENT("query-event");

        private final String code;

        Type(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    /**
     * One event as it goes out.
     *
     * @param focus    {@code Type/id} of the version that fired, or null when it is withheld (empty payload, or the
     *                 recipient may not read it)
     * @param resource that version, for a full-resource notification; null otherwise
     * @param version  its version number (1: it was created)
     */
    public record Event(long number, Instant timestamp, String focus, IBaseResource resource, long version) {
    }

    /**
     * @param fhirBase         base URL for the entries' fullUrls (e.g. https://alongside.example/fhir)
     * @param subscriptionId   the Subscription's id
     * @param status           its status code (requested, active, error, off)
     * @param eventsSinceStart events recorded for it so far
     */
    public record Context(String fhirBase, String subscriptionId, String topicUrl, String status,
                          long eventsSinceStart) {
    }

    private NotificationBundles() {
    }

    /** The status resource alone (what {@code $status} lists, and the first entry of every notification). */
    public static Parameters status(Context context, Type type, List<Event> events) {
        Parameters status = new Parameters();
        status.setId(UUID.randomUUID().toString());
        status.getMeta().addProfile(STATUS_PROFILE);
        status.addParameter().setName("subscription")
                .setValue(new Reference("Subscription/" + context.subscriptionId()));
        if (context.topicUrl() != null) {
            status.addParameter().setName("topic").setValue(new CanonicalType(context.topicUrl()));
        }
        status.addParameter().setName("status").setValue(new CodeType(context.status()));
        status.addParameter().setName("type").setValue(new CodeType(type.code()));
        status.addParameter().setName("events-since-subscription-start")
                .setValue(new StringType(Long.toString(context.eventsSinceStart())));
        for (Event event : events) {
            Parameters.ParametersParameterComponent notification = status.addParameter().setName("notification-event");
            notification.addPart().setName("event-number").setValue(new StringType(Long.toString(event.number())));
            notification.addPart().setName("timestamp").setValue(new InstantType(Date.from(event.timestamp())));
            if (event.focus() != null) {
                notification.addPart().setName("focus").setValue(new Reference(event.focus()));
            }
        }
        return status;
    }

    /** A notification (or an {@code $events} answer): the status first, then the resources of full-resource events. */
    public static Bundle notification(Context context, Type type, List<Event> events) {
        Bundle bundle = new Bundle().setType(BundleType.HISTORY);
        bundle.setId(UUID.randomUUID().toString());
        bundle.getMeta().addProfile(NOTIFICATION_PROFILE);
        bundle.setTimestamp(new Date());
        Parameters status = status(context, type, events);
        Bundle.BundleEntryComponent first = bundle.addEntry().setFullUrl("urn:uuid:" + status.getIdPart())
                .setResource(status);
        first.getRequest().setMethod(HTTPVerb.GET).setUrl("Subscription/" + context.subscriptionId() + "/$status");
        first.getResponse().setStatus("200");
        for (Event event : events) {
            if (event.focus() == null || event.resource() == null) {
                continue;
            }
            String type1 = event.focus().substring(0, event.focus().indexOf('/'));
            Bundle.BundleEntryComponent entry = bundle.addEntry()
                    .setFullUrl(context.fhirBase() + "/" + event.focus())
                    .setResource((Resource) event.resource());
            boolean created = event.version() == 1;
            entry.getRequest().setMethod(created ? HTTPVerb.POST : HTTPVerb.PUT)
                    .setUrl(created ? type1 : event.focus());
            entry.getResponse().setStatus(created ? "201" : "200");
        }
        return bundle;
    }

    /** {@code $status}: a searchset of the status. */
    public static Bundle statusSearchset(Context context) {
        Bundle bundle = new Bundle().setType(BundleType.SEARCHSET).setTotal(1);
        bundle.setId(UUID.randomUUID().toString());
        Parameters status = status(context, Type.QUERY_STATUS, List.of());
        bundle.addEntry().setFullUrl("urn:uuid:" + status.getIdPart()).setResource(status).getSearch()
                .setMode(Bundle.SearchEntryMode.MATCH);
        return bundle;
    }
}
