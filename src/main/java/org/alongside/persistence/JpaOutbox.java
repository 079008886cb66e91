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
import org.alongside.sync.subscription.TopicSetup;
import org.alongside.sync.subscription.TopicState;

/**
 * The outbox on the store's database. Recording joins the writer's transaction (MANDATORY), so an event exists
 * exactly when its change committed. Claims use {@code SELECT ... FOR UPDATE SKIP LOCKED} (PostgreSQL, H2 2.x) plus
 * a lease in the row, so that instances sharing the database never work on the same Subscription at once.
 */
@ApplicationScoped
@Transactional
public class JpaOutbox implements Outbox {

    /**
     * Due, unclaimed (or lease expired), deliverable Subscriptions with something to deliver: an undelivered event,
     * a handshake, or a heartbeat that is due.
     */
    private static final String CLAIMABLE = "SELECT d.sub_id FROM sub_delivery d WHERE d.active = TRUE"
            + " AND d.next_attempt <= ?1 AND (d.lease_until IS NULL OR d.lease_until < ?1)"
            + " AND (EXISTS (SELECT 1 FROM sub_event e WHERE e.sub_id = d.sub_id AND e.delivered_at IS NULL)"
            + " OR d.handshake = TRUE OR d.heartbeat_due <= ?1)"
            + " ORDER BY d.next_attempt, d.sub_id FOR UPDATE SKIP LOCKED";

    @PersistenceContext(unitName = "alongside")
    EntityManager em;

    @Inject
    DatabaseMigrator migrator;

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public long registryGeneration() {
        // only native statements write this row, and they run at once: no need to flush the transaction's entities
        // first (an automatic flush before every write of a 500-entry Bundle walked every entity written so far)
        return SessionSql.first(em, "SELECT generation FROM sub_registry WHERE id = 1", row -> row.getLong(1));
    }

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public void subscriptionWritten(String subscriptionId, boolean deliver, TopicSetup topic) {
        bumpGeneration();
        // not loaded as an entity: a later record() in this transaction must lock and read the current value
        em.createNativeQuery("INSERT INTO sub_counter (sub_id, last_event) SELECT CAST(?1 AS VARCHAR(64)), 0"
                + " WHERE NOT EXISTS (SELECT 1 FROM sub_counter WHERE sub_id = ?1)")
                .setParameter(1, subscriptionId).executeUpdate();
        SubscriptionDeliveryRow delivery = em.find(SubscriptionDeliveryRow.class, subscriptionId);
        Instant now = Instant.now();
        if (delivery == null) {
            delivery = new SubscriptionDeliveryRow(subscriptionId, deliver, now);
            delivery.setup(topic.handshake(), topic.heartbeatSeconds(), topic.owner(), now);
            em.persist(delivery);
        } else {
            delivery.setActive(deliver);
            delivery.setup(topic.handshake(), topic.heartbeatSeconds(), topic.owner(), now);
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
    public long record(String subscriptionId, String type, String id, long version, boolean retain) {
        SubscriptionCounterRow counter = em.find(SubscriptionCounterRow.class, subscriptionId,
                LockModeType.PESSIMISTIC_WRITE);
        if (counter == null) {
            throw new IllegalStateException("Subscription " + subscriptionId + " has no event counter");
        }
        long number = counter.next();
        em.persist(new SubscriptionEventRow(subscriptionId, number, type, id, version, Instant.now(), retain));
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
                        + " AND e.deliveredAt IS NULL ORDER BY e.eventNumber", SubscriptionEventRow.class)
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
        Instant now = Instant.now();
        if (event.retained()) {
            // kept for $events (a native statement: the entity is insert-only)
            em.createNativeQuery("UPDATE sub_event SET delivered_at = ?1 WHERE pk = ?2").setParameter(1, now)
                    .setParameter(2, event.key()).executeUpdate();
        } else {
            em.createQuery("DELETE FROM SubscriptionEventRow e WHERE e.pk = :pk").setParameter("pk", event.key())
                    .executeUpdate();
        }
        SubscriptionDeliveryRow delivery = em.find(SubscriptionDeliveryRow.class, event.subscriptionId());
        if (delivery != null) {
            if (delivery.failures() > 0) {
                delivery.succeeded(now);
            }
            delivery.sent(now);
        }
    }

    @Override
    public int failedWithoutEvent(String subscriptionId, String owner, IntFunction<Duration> backoff) {
        SubscriptionDeliveryRow delivery = em.find(SubscriptionDeliveryRow.class, subscriptionId,
                LockModeType.PESSIMISTIC_WRITE);
        int failures = delivery.failed(Instant.now().plus(backoff.apply(delivery.failures() + 1)));
        if (delivery.heldBy(owner)) {
            delivery.release();
        }
        return failures;
    }

    @Override
    public TopicState topicState(String subscriptionId) {
        SubscriptionDeliveryRow delivery = em.find(SubscriptionDeliveryRow.class, subscriptionId);
        SubscriptionCounterRow counter = em.find(SubscriptionCounterRow.class, subscriptionId);
        long events = counter == null ? 0 : counter.last();
        return delivery == null ? new TopicState(false, null, null, events)
                : new TopicState(delivery.handshakePending(), delivery.heartbeatDue(), delivery.owner(), events);
    }

    @Override
    public void handshakeDone(String subscriptionId) {
        SubscriptionDeliveryRow delivery = em.find(SubscriptionDeliveryRow.class, subscriptionId);
        if (delivery != null) {
            Instant now = Instant.now();
            if (delivery.failures() > 0) {
                delivery.succeeded(now);
            }
            delivery.handshakeDone(now);
        }
    }

    @Override
    public void heartbeatSent(String subscriptionId) {
        SubscriptionDeliveryRow delivery = em.find(SubscriptionDeliveryRow.class, subscriptionId);
        if (delivery != null) {
            Instant now = Instant.now();
            if (delivery.failures() > 0) {
                delivery.succeeded(now);
            }
            delivery.sent(now);
        }
    }

    @Override
    public List<PendingEvent> events(String subscriptionId, long since, long until, int max) {
        return em.createQuery("SELECT e FROM SubscriptionEventRow e WHERE e.subscriptionId = :id AND e.retain = TRUE"
                        + " AND e.eventNumber >= :since AND e.eventNumber <= :until ORDER BY e.eventNumber",
                        SubscriptionEventRow.class)
                .setParameter("id", subscriptionId).setParameter("since", since).setParameter("until", until)
                .setMaxResults(max).getResultList().stream().map(SubscriptionEventRow::toPending).toList();
    }

    @Override
    public void forgetDelivered(String subscriptionId, Instant before) {
        em.createNativeQuery("DELETE FROM sub_event WHERE sub_id = ?1 AND delivered_at < ?2")
                .setParameter(1, subscriptionId).setParameter(2, before).executeUpdate();
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
