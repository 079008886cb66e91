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

    @Column(name = "handshake", nullable = false)
    private boolean handshake;

    @Column(name = "heartbeat_seconds")
    private Integer heartbeatSeconds;

    @Column(name = "heartbeat_due")
    private Instant heartbeatDue;

    @Column(name = "owner_caller")
    private String owner;

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

    /**
     * A topic Subscription's setup as last written: a handshake to send (null keeps what is pending, so a handshake
     * that failed is retried after the server marked the Subscription error), the heartbeat period, the owner (null
     * keeps the previous one: the server's own status writes do not change who subscribed).
     */
    void setup(Boolean handshake, Integer heartbeatSeconds, String owner, Instant now) {
        if (handshake != null) {
            this.handshake = handshake;
        }
        if (!java.util.Objects.equals(this.heartbeatSeconds, heartbeatSeconds)) {
            this.heartbeatSeconds = heartbeatSeconds;
            this.heartbeatDue = heartbeatSeconds == null ? null : now.plusSeconds(heartbeatSeconds);
        }
        if (owner != null) {
            this.owner = owner;
        }
    }

    boolean handshakePending() {
        return handshake;
    }

    Instant heartbeatDue() {
        return heartbeatDue;
    }

    String owner() {
        return owner;
    }

    /** Something reached the endpoint: the next heartbeat is due one period from now. */
    void sent(Instant now) {
        if (heartbeatSeconds != null) {
            heartbeatDue = now.plusSeconds(heartbeatSeconds);
        }
    }

    void handshakeDone(Instant now) {
        handshake = false;
        sent(now);
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
