package org.alongside.fhir;

import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import org.alongside.sync.subscription.SubscriptionQueries;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Subscription;

/**
 * The Subscriptions Backport IG's operations on one Subscription, by GET or POST: {@code $status} (required by the
 * IG) and {@code $events} (a client that saw a gap in the event numbers fetches what it missed). Checked by
 * OperationAccess as a read of the Subscription.
 */
public class SubscriptionOperations {

    static final String STATUS_DEFINITION =
            "http://hl7.org/fhir/uv/subscriptions-backport/OperationDefinition/backport-subscription-status";
    static final String EVENTS_DEFINITION =
            "http://hl7.org/fhir/uv/subscriptions-backport/OperationDefinition/backport-subscription-events";

    private final SubscriptionQueries queries;

    SubscriptionOperations(SubscriptionQueries queries) {
        this.queries = queries;
    }

    @Operation(name = "$status", type = Subscription.class, idempotent = true, canonicalUrl = STATUS_DEFINITION)
    public Bundle status(@IdParam IdType id, RequestDetails request) {
        return queries.status(id.getIdPart(), request.getFhirServerBase());
    }

    @Operation(name = "$events", type = Subscription.class, idempotent = true, canonicalUrl = EVENTS_DEFINITION)
    public Bundle events(@IdParam IdType id,
                         @OperationParam(name = "eventsSinceNumber", max = 1) StringType since,
                         @OperationParam(name = "eventsUntilNumber", max = 1) StringType until,
                         @OperationParam(name = "content", max = 1) CodeType content, RequestDetails request) {
        return queries.events(id.getIdPart(), value(since), value(until), content == null ? null : content.getValue(),
                request.getFhirServerBase());
    }

    private static String value(StringType value) {
        return value == null ? null : value.getValue();
    }
}
