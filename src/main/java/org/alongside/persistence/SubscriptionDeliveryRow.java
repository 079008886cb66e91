package org.alongside.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** Delivery state of one Subscription: whether to deliver, when next, consecutive failures, who holds the claim. */
@Entity
@Table(name = "sub_delivery")
public class SubscriptionDeliveryRow {

    @Id
    @Column(name = "sub_id")
    private String subscriptionId;

    @Column(name = "active", nullable = false)
    private boolean active;

    @Column(name = "next_attempt", nullable = false)
    private Instant nextAttempt;

    @Column(name = "failures", nullable = false)
    private int failures;

    @Column(name = "lease_owner")
    private String leaseOwner;

    @Column(name = "lease_until")
    private Instant leaseUntil;

    protected SubscriptionDeliveryRow() {
    }

    SubscriptionDeliveryRow(String subscriptionId, boolean active, Instant now) {
        this.subscriptionId = subscriptionId;
        this.active = active;
        this.nextAttempt = now;
    }

    void setActive(boolean active) {
        this.active = active;
    }

    int failures() {
        return failures;
    }

    void succeeded(Instant now) {
        failures = 0;
        nextAttempt = now;
    }

    int failed(Instant nextAttempt) {
        this.nextAttempt = nextAttempt;
        return ++failures;
    }

    boolean heldBy(String owner) {
        return owner.equals(leaseOwner);
    }

    void release() {
        leaseOwner = null;
        leaseUntil = null;
    }
}
