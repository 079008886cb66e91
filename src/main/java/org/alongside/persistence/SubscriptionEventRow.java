package org.alongside.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.Instant;
import org.alongside.sync.subscription.PendingEvent;
import org.hibernate.annotations.Immutable;

/** One undelivered notification in the outbox. Holds references only: the content is read from res_version. */
@Entity
// insert-only: Hibernate keeps it read-only after the insert, so flushes skip dirty-checking it
@Immutable
@Table(name = "sub_event")
public class SubscriptionEventRow {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "sub_event_seq")
    @SequenceGenerator(name = "sub_event_seq", sequenceName = "sub_event_seq", allocationSize = 50)
    private Long pk;

    @Column(name = "sub_id", nullable = false)
    private String subscriptionId;

    @Column(name = "event_number", nullable = false)
    private long eventNumber;

    @Column(name = "res_type", nullable = false)
    private String type;

    @Column(name = "res_id", nullable = false)
    private String resourceId;

    @Column(name = "version_id", nullable = false)
    private long versionId;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "attempts", nullable = false)
    private int attempts;

    /** Set (by a statement, the entity is insert-only) when a retained event was delivered. */
    @Column(name = "delivered_at", insertable = false, updatable = false)
    private Instant deliveredAt;

    /** Kept after delivery, for {@code $events} (topic Subscriptions). */
    @Column(name = "retain", nullable = false)
    private boolean retain;

    protected SubscriptionEventRow() {
    }

    SubscriptionEventRow(String subscriptionId, long eventNumber, String type, String resourceId, long versionId,
                         Instant createdAt, boolean retain) {
        this.retain = retain;
        this.subscriptionId = subscriptionId;
        this.eventNumber = eventNumber;
        this.type = type;
        this.resourceId = resourceId;
        this.versionId = versionId;
        this.createdAt = createdAt;
    }

    void attempted() {
        attempts++;
    }

    PendingEvent toPending() {
        return new PendingEvent(pk, subscriptionId, eventNumber, type, resourceId, versionId, attempts, createdAt,
                retain);
    }
}
