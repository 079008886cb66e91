package org.alongside.sync.subscription;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.alongside.interaction.WriteCheck;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Subscription;
import org.hl7.fhir.r4.model.Subscription.SubscriptionStatus;

/**
 * The write check for Subscriptions: refuses (422) what the server cannot honour or must not call (an endpoint
 * on an internal address, see {@link SubscriptionSpecs#parseReachable}), and accepts a {@code requested}
 * Subscription as {@code active} (R4: the server decides; there is no handshake). A topic-based (backport)
 * Subscription stays {@code requested} until its handshake is accepted (the delivery worker then makes it active).
 */
@ApplicationScoped
public class SubscriptionRules implements WriteCheck {

    @Inject
    SubscriptionSpecs specs;

    @Override
    public void check(IBaseResource resource) {
        if (!(resource instanceof Subscription subscription)) {
            return;
        }
        SubscriptionSpec spec = specs.parseReachable(subscription);
        if (subscription.getStatus() == SubscriptionStatus.REQUESTED && !spec.topicBased()) {
            subscription.setStatus(SubscriptionStatus.ACTIVE);
            subscription.setError(null);
        }
    }
}
