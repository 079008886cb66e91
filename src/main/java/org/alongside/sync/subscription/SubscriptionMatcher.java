package org.alongside.sync.subscription;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import java.time.Instant;
import java.util.Optional;
import org.alongside.security.RequestAccess;
import org.alongside.store.ResourceStore;
import org.hl7.fhir.instance.model.api.IBaseResource;
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
 *
 * <p>A topic-based Subscription records an event when its topic fires for the change (the new version, and the one
 * before it when the topic asks) and the change matches its filter (again the store's own search).
 */
@ApplicationScoped
public class SubscriptionMatcher implements ChangeListener {

    @Inject
    ActiveSubscriptions subscriptions;

    @Inject
    Outbox outbox;

    @Inject
    SubscriptionSpecs specs;

    @Inject
    ResourceStore store;

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
                subscriptionWritten(change.id(), (Subscription) change.resource());
            }
            return;
        }
        if (change.operation() == ResourceChange.Operation.DELETE) {
            return;
        }
        Instant now = Instant.now();
        Optional<IBaseResource>[] previous = null;
        for (SubscriptionSpec subscription : subscriptions.forType(change.type())) {
            if (!subscription.recordsEventsAt(now)) {
                continue;
            }
            if (!subscription.topicBased()) {
                if (change.matches(subscription.criteria())) {
                    outbox.record(subscription.id(), change.type(), change.id(), change.version());
                }
                continue;
            }
            TopicSubscription topic = subscription.topic();
            if (previous == null) {
                @SuppressWarnings("unchecked")
                Optional<IBaseResource>[] holder = new Optional[1];
                previous = holder;
            }
            Optional<IBaseResource>[] cache = previous;
            boolean fires = topic.topic().fires(change.resource(), () -> {
                if (cache[0] == null) {
                    cache[0] = previousVersion(change);
                }
                return cache[0];
            });
            if (fires && (topic.filter() == null || change.matches(topic.filter()))) {
                outbox.record(subscription.id(), change.type(), change.id(), change.version(), true);
            }
        }
    }

    /**
     * Delivery state of a written Subscription: whether it delivers (a topic Subscription also while its handshake is
     * due), whether a handshake is due, its heartbeat, and who wrote it (a client's write; the server's own status
     * writes keep the owner).
     */
    private void subscriptionWritten(String id, Subscription subscription) {
        SubscriptionStatus status = subscription.getStatus();
        boolean deliver = status == SubscriptionStatus.ACTIVE || status == SubscriptionStatus.ERROR;
        RequestAccess access = RequestAccess.current();
        String owner = access == null || access.isServer() || access.caller() == null ? null
                : SubscriptionOwner.encode(access.caller());
        TopicSubscription topic = null;
        try {
            topic = specs.parse(subscription).topic();
        } catch (BaseServerResponseException e) {
            // not usable under today's configuration: it records nothing (ActiveSubscriptions says why)
        }
        if (topic == null) {
            outbox.subscriptionWritten(id, deliver, new TopicSetup(Boolean.FALSE, null, owner));
            return;
        }
        Boolean handshake = status == SubscriptionStatus.REQUESTED ? Boolean.TRUE
                : status == SubscriptionStatus.ERROR ? null : Boolean.FALSE;
        outbox.subscriptionWritten(id, deliver || status == SubscriptionStatus.REQUESTED,
                new TopicSetup(handshake, topic.heartbeatSeconds(), owner));
    }

    /** The version before this one (empty for a create, or when it cannot be read: the earlier one was a delete). */
    private Optional<IBaseResource> previousVersion(ResourceChange change) {
        if (change.operation() == ResourceChange.Operation.CREATE || change.version() <= 1) {
            return Optional.empty();
        }
        try {
            return Optional.of(store.readVersion(change.type(), change.id(), change.version() - 1));
        } catch (BaseServerResponseException e) {
            return Optional.empty();
        }
    }
}
