package org.alongside.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The last event number a Subscription handed out; locked by each writer that records an event. */
@Entity
@Table(name = "sub_counter")
public class SubscriptionCounterRow {

    @Id
    @Column(name = "sub_id")
    private String subscriptionId;

    @Column(name = "last_event", nullable = false)
    private long lastEvent;

    protected SubscriptionCounterRow() {
    }

    long last() {
        return lastEvent;
    }

    long next() {
        return ++lastEvent;
    }
}
