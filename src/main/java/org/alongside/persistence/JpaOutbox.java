package org.alongside.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.IntFunction;
import org.alongside.sync.subscription.Outbox;
import org.alongside.sync.subscription.PendingEvent;

/**
 * The outbox on the store's database. Recording joins the writer's transaction (MANDATORY), so an event exists
 * exactly when its change committed. Claims use {@code SELECT ... FOR UPDATE SKIP LOCKED} (PostgreSQL, H2 2.x) plus
 * a lease in the row, so that instances sharing the database never work on the same Subscription at once.
 */
@ApplicationScoped
@Transactional
public class JpaOutbox implements Outbox {

    /** Due, unclaimed (or lease expired), deliverable Subscriptions with something to deliver. */
    private static final String CLAIMABLE = "SELECT d.sub_id FROM sub_delivery d WHERE d.active = TRUE"
            + " AND d.next_attempt <= ?1 AND (d.lease_until IS NULL OR d.lease_until < ?1)"
            + " AND EXISTS (SELECT 1 FROM sub_event e WHERE e.sub_id = d.sub_id)"
            + " ORDER BY d.next_attempt, d.sub_id FOR UPDATE SKIP LOCKED";

    @PersistenceContext(unitName = "alongside")
    EntityManager em;

    @Inject
    DatabaseMigrator migrator;

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public long registryGeneration() {
        return ((Number) em.createNativeQuery("SELECT generation FROM sub_registry WHERE id = 1")
                .getSingleResult()).longValue();
    }

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public void subscriptionWritten(String subscriptionId, boolean deliver) {
        bumpGeneration();
        // not loaded as an entity: a later record() in this transaction must lock and read the current value
        em.createNativeQuery("INSERT INTO sub_counter (sub_id, last_event) SELECT CAST(?1 AS VARCHAR(64)), 0"
                + " WHERE NOT EXISTS (SELECT 1 FROM sub_counter WHERE sub_id = ?1)")
                .setParameter(1, subscriptionId).executeUpdate();
        SubscriptionDeliveryRow delivery = em.find(SubscriptionDeliveryRow.class, subscriptionId);
        if (delivery == null) {
            em.persist(new SubscriptionDeliveryRow(subscriptionId, deliver, Instant.now()));
        } else {
            delivery.setActive(deliver);
        }
    }

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public void subscriptionDeleted(String subscriptionId) {
        bumpGeneration();
        SubscriptionDeliveryRow delivery = em.find(SubscriptionDeliveryRow.class, subscriptionId);
        if (delivery != null) {
            delivery.setActive(false);
        }
        em.createQuery("DELETE FROM SubscriptionEventRow e WHERE e.subscriptionId = :id")
                .setParameter("id", subscriptionId).executeUpdate();
    }

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public long record(String subscriptionId, String type, String id, long version) {
        SubscriptionCounterRow counter = em.find(SubscriptionCounterRow.class, subscriptionId,
                LockModeType.PESSIMISTIC_WRITE);
        if (counter == null) {
            throw new IllegalStateException("Subscription " + subscriptionId + " has no event counter");
        }
        long number = counter.next();
        em.persist(new SubscriptionEventRow(subscriptionId, number, type, id, version, Instant.now()));
        return number;
    }

    @Override
    public List<String> claim(String owner, int max, Duration lease) {
        if (!migrator.isMigrated()) {
            return List.of();
        }
        Instant now = Instant.now();
        @SuppressWarnings("unchecked")
        List<Object> due = em.createNativeQuery(CLAIMABLE).setParameter(1, now).getResultList();
        List<String> claimed = due.stream().limit(max).map(Object::toString).toList();
        for (String id : claimed) {
            em.createQuery("UPDATE SubscriptionDeliveryRow d SET d.leaseOwner = :owner, d.leaseUntil = :until"
                            + " WHERE d.subscriptionId = :id")
                    .setParameter("owner", owner).setParameter("until", now.plus(lease)).setParameter("id", id)
                    .executeUpdate();
        }
        return claimed;
    }

    @Override
    public List<PendingEvent> pending(String subscriptionId, int max) {
        return em.createQuery("SELECT e FROM SubscriptionEventRow e WHERE e.subscriptionId = :id"
                        + " ORDER BY e.eventNumber", SubscriptionEventRow.class)
                .setParameter("id", subscriptionId).setMaxResults(max).getResultList()
                .stream().map(SubscriptionEventRow::toPending).toList();
    }

    @Override
    public boolean renew(String subscriptionId, String owner, Duration lease) {
        return em.createQuery("UPDATE SubscriptionDeliveryRow d SET d.leaseUntil = :until"
                        + " WHERE d.subscriptionId = :id AND d.leaseOwner = :owner")
                .setParameter("until", Instant.now().plus(lease)).setParameter("id", subscriptionId)
                .setParameter("owner", owner).executeUpdate() == 1;
    }

    @Override
    public void delivered(PendingEvent event) {
        em.createQuery("DELETE FROM SubscriptionEventRow e WHERE e.pk = :pk").setParameter("pk", event.key())
                .executeUpdate();
        SubscriptionDeliveryRow delivery = em.find(SubscriptionDeliveryRow.class, event.subscriptionId());
        if (delivery != null && delivery.failures() > 0) {
            delivery.succeeded(Instant.now());
        }
    }

    @Override
    public int failed(PendingEvent event, String owner, IntFunction<Duration> backoff) {
        SubscriptionEventRow row = em.find(SubscriptionEventRow.class, event.key());
        if (row != null) {
            row.attempted();
        }
        SubscriptionDeliveryRow delivery = em.find(SubscriptionDeliveryRow.class, event.subscriptionId(),
                LockModeType.PESSIMISTIC_WRITE);
        int failures = delivery.failed(Instant.now().plus(backoff.apply(delivery.failures() + 1)));
        if (delivery.heldBy(owner)) {
            delivery.release();
        }
        return failures;
    }

    @Override
    public void release(String subscriptionId, String owner) {
        em.createQuery("UPDATE SubscriptionDeliveryRow d SET d.leaseOwner = NULL, d.leaseUntil = NULL"
                        + " WHERE d.subscriptionId = :id AND d.leaseOwner = :owner")
                .setParameter("id", subscriptionId).setParameter("owner", owner).executeUpdate();
    }

    private void bumpGeneration() {
        em.createNativeQuery("UPDATE sub_registry SET generation = generation + 1 WHERE id = 1").executeUpdate();
    }
}
