package org.alongside.sync.subscription;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import org.alongside.store.ChangeListener;
import org.alongside.store.ResourceChange;
import org.hl7.fhir.r4.model.Subscription;
import org.hl7.fhir.r4.model.Subscription.SubscriptionStatus;

/**
 * Records one outbox event per Subscription whose criteria the new version matches, inside the writing transaction.
 * The criteria run as the store's own search restricted to the changed resource, so every parameter, modifier,
 * chain and {@code _has} means exactly what it means in a search.
 *
 * <p>Deletions notify nobody: R4 applies the criteria to the new version of a resource, and a deletion has none
 * (receivers learn of deletions from the change feed). Subscriptions whose criteria watch many types are checked
 * in id order, which is also the order their event counters are locked in.
 */
@ApplicationScoped
public class SubscriptionMatcher implements ChangeListener {

    @Inject
    ActiveSubscriptions subscriptions;

    @Inject
    Outbox outbox;

    @Override
    public boolean interestedIn(String resourceType) {
        return resourceType.equals(SubscriptionSpecs.SUBSCRIPTION) || !subscriptions.forType(resourceType).isEmpty();
    }

    @Override
    public void changed(ResourceChange change) {
        if (change.type().equals(SubscriptionSpecs.SUBSCRIPTION)) {
            subscriptions.subscriptionWritten();
            if (change.operation() == ResourceChange.Operation.DELETE) {
                outbox.subscriptionDeleted(change.id());
            } else {
                SubscriptionStatus status = ((Subscription) change.resource()).getStatus();
                outbox.subscriptionWritten(change.id(),
                        status == SubscriptionStatus.ACTIVE || status == SubscriptionStatus.ERROR);
            }
            return;
        }
        if (change.operation() == ResourceChange.Operation.DELETE) {
            return;
        }
        Instant now = Instant.now();
        for (SubscriptionSpec subscription : subscriptions.forType(change.type())) {
            if (subscription.recordsEventsAt(now) && change.matches(subscription.criteria())) {
                outbox.record(subscription.id(), change.type(), change.id(), change.version());
            }
        }
    }
}
