package org.alongside.sync.subscription;

import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.Optional;
import org.alongside.interaction.InteractionPipeline;
import org.alongside.store.ResourceStore;
import org.hl7.fhir.r4.model.Subscription;
import org.hl7.fhir.r4.model.Subscription.SubscriptionStatus;

/**
 * Shows delivery trouble on the Subscription itself ({@code status} error with an {@code error} text, back to active
 * on success), as a new version written through the interaction pipeline by the server itself (so the Subscription
 * rules and the write checks hold for it as for a client's write). A Subscription the client meanwhile turned off or
 * deleted is left alone. A topic Subscription goes from requested to active when its handshake is accepted, to error
 * when it is not.
 */
@ApplicationScoped
@Transactional
public class SubscriptionStatusWriter {

    @Inject
    ResourceStore store;

    @Inject
    InteractionPipeline pipeline;

    public void error(String subscriptionId, String error) {
        change(subscriptionId, SubscriptionStatus.ERROR, error);
    }

    public void active(String subscriptionId) {
        change(subscriptionId, SubscriptionStatus.ACTIVE, null);
    }

    private void change(String id, SubscriptionStatus status, String error) {
        Subscription subscription;
        try {
            store.lockForUpdate(SubscriptionSpecs.SUBSCRIPTION, id);
            subscription = (Subscription) store.read(SubscriptionSpecs.SUBSCRIPTION, id);
        } catch (ResourceNotFoundException | ResourceGoneException e) {
            return;
        }
        SubscriptionStatus current = subscription.getStatus();
        // requested: a topic Subscription whose handshake is being sent (plain ones are stored active)
        if (current != SubscriptionStatus.ACTIVE && current != SubscriptionStatus.ERROR
                && current != SubscriptionStatus.REQUESTED) {
            return;
        }
        if (current == status && java.util.Objects.equals(subscription.getError(), error)) {
            return;
        }
        subscription.setStatus(status);
        subscription.setError(error);
        pipeline.asServer(() -> pipeline.update(SubscriptionSpecs.SUBSCRIPTION, id, subscription, Optional.empty()));
    }
}
