package org.alongside.sync.subscription;

import java.time.Duration;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The durable outbox of notifications. The first group of methods runs inside the transaction of the change being
 * recorded; the second serves the delivery worker, each call in a short transaction of its own.
 */
public interface Outbox {

    // ---------------------------------------------------------------- inside the writing transaction

    /** Changes whenever a Subscription is written anywhere (any instance), once that write commits. */
    long registryGeneration();

    /** A Subscription was created or updated; {@code deliver} says whether its events may be delivered now. */
    default void subscriptionWritten(String subscriptionId, boolean deliver) {
        subscriptionWritten(subscriptionId, deliver, TopicSetup.NONE);
    }

    /** The same, with what a topic Subscription adds (handshake, heartbeat, owner). */
    void subscriptionWritten(String subscriptionId, boolean deliver, TopicSetup topic);

    /** A Subscription was deleted: its undelivered events are dropped (its event numbers never restart). */
    void subscriptionDeleted(String subscriptionId);

    /** Records one event; returns its number, the Subscription's previous number plus one. */
    default long record(String subscriptionId, String type, String id, long version) {
        return record(subscriptionId, type, id, version, false);
    }

    /** Records one event, kept after delivery when {@code retain} (a topic Subscription's, for $events). */
    long record(String subscriptionId, String type, String id, long version, boolean retain);

    // ---------------------------------------------------------------- the delivery worker

    /**
     * Claims up to {@code max} Subscriptions that have due events and are not claimed by anyone else, for
     * {@code lease}. Other instances skip what this one holds; a claim that is not renewed expires.
     */
    List<String> claim(String owner, int max, Duration lease);

    /** The oldest undelivered events of a Subscription, in event-number order. */
    List<PendingEvent> pending(String subscriptionId, int max);

    /** Extends the claim; false when it was lost (expired and taken by another instance). */
    boolean renew(String subscriptionId, String owner, Duration lease);

    /** The event reached the endpoint: it leaves the outbox and the Subscription's failure count resets. */
    void delivered(PendingEvent event);

    /**
     * The delivery failed: the event stays, the Subscription's next attempt waits {@code backoff} of its consecutive
     * failure count, and the claim is released. Returns that count.
     */
    int failed(PendingEvent event, String owner, IntFunction<Duration> backoff);

    /** The handshake or a heartbeat (no event) could not be delivered: like {@link #failed}, without an event. */
    int failedWithoutEvent(String subscriptionId, String owner, IntFunction<Duration> backoff);

    /** The topic state of a Subscription: pending handshake, heartbeat due, owner, events so far. */
    TopicState topicState(String subscriptionId);

    /** The handshake was accepted. */
    void handshakeDone(String subscriptionId);

    /** A heartbeat was accepted. */
    void heartbeatSent(String subscriptionId);

    /**
     * The kept events of a Subscription numbered {@code since} to {@code until} (inclusive), delivered or not, in
     * order, at most {@code max}.
     */
    List<PendingEvent> events(String subscriptionId, long since, long until, int max);

    /** Drops kept events delivered before {@code before}. */
    void forgetDelivered(String subscriptionId, java.time.Instant before);

    /** Ends the claim (no-op when it is no longer this owner's). */
    void release(String subscriptionId, String owner);
}
