package org.alongside.sync.subscription;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import org.alongside.search.SearchRequestParser;
import org.alongside.store.ResourceStore;
import org.alongside.store.StoreQueries;
import org.hl7.fhir.r4.model.Subscription;

/**
 * The Subscriptions that record events (active or error), by criteria type, cached per instance. Every Subscription
 * write bumps a generation in the database; each lookup compares it (one primary-key read) and re-reads the
 * Subscriptions when it moved, so a Subscription written on any instance counts on every instance once committed.
 */
@ApplicationScoped
public class ActiveSubscriptions {

    private static final Logger LOG = Logger.getLogger(ActiveSubscriptions.class.getName());
    /** Marks a transaction that wrote a Subscription: what it reads is uncommitted and must not be cached. */
    private static final String WROTE_SUBSCRIPTION = ActiveSubscriptions.class.getName() + ".wrote";

    private record Snapshot(long generation, Map<String, List<SubscriptionSpec>> byType) {
    }

    @Inject
    ResourceStore store;

    @Inject
    SearchRequestParser parser;

    @Inject
    SubscriptionSpecs specs;

    @Inject
    Outbox outbox;

    @Resource
    TransactionSynchronizationRegistry transactions;

    private volatile Snapshot snapshot;

    /** Inside the writing transaction: the Subscriptions watching {@code type}, ordered by id (the lock order). */
    public List<SubscriptionSpec> forType(String type) {
        long generation = outbox.registryGeneration();
        Snapshot current = snapshot;
        if (current == null || current.generation() != generation) {
            current = load(generation);
            if (transactions.getResource(WROTE_SUBSCRIPTION) == null) {
                snapshot = current;
            }
        }
        return current.byType().getOrDefault(type, List.of());
    }

    /** Inside the writing transaction: this transaction changed a Subscription. */
    void subscriptionWritten() {
        transactions.putResource(WROTE_SUBSCRIPTION, Boolean.TRUE);
    }

    private Snapshot load(long generation) {
        Map<String, List<SubscriptionSpec>> byType = new HashMap<>();
        for (Subscription subscription : new StoreQueries(store, parser).all(SubscriptionSpecs.SUBSCRIPTION,
                Subscription.class, "status", "active,error")) {
            try {
                SubscriptionSpec spec = specs.parse(subscription);
                byType.computeIfAbsent(spec.watchedType(), t -> new ArrayList<>()).add(spec);
            } catch (BaseServerResponseException e) {
                // stored before a configuration change (type removed, host no longer allowed): skip it
                LOG.warning("Subscription " + subscription.getIdElement().getIdPart() + " is not usable and records"
                        + " no events: " + e.getMessage());
            }
        }
        byType.replaceAll((type, list) -> list.stream().sorted(Comparator.comparing(SubscriptionSpec::id)).toList());
        return new Snapshot(generation, Map.copyOf(byType));
    }
}
