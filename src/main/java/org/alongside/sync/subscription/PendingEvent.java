package org.alongside.sync.subscription;

import java.time.Instant;

/**
 * A notification event: resource version {@code type/id/_history/version} matched Subscription
 * {@code subscriptionId}, which numbers its events 1, 2, 3... in commit order.
 *
 * @param key      the outbox row
 * @param attempts failed delivery attempts so far
 * @param recorded when the change was recorded (the event's timestamp in a topic notification)
 * @param retained kept after delivery for {@code $events} (events of topic Subscriptions)
 */
public record PendingEvent(long key, String subscriptionId, long eventNumber, String type, String id, long version,
                           int attempts, Instant recorded, boolean retained) {

    public PendingEvent(long key, String subscriptionId, long eventNumber, String type, String id, long version,
                        int attempts) {
        this(key, subscriptionId, eventNumber, type, id, version, attempts, Instant.EPOCH, false);
    }
}
