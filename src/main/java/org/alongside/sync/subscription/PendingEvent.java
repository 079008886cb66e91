package org.alongside.sync.subscription;

/**
 * An undelivered notification: resource version {@code type/id/_history/version} matched Subscription
 * {@code subscriptionId}, which numbers its events 1, 2, 3... in commit order.
 *
 * @param key      the outbox row
 * @param attempts failed delivery attempts so far
 */
public record PendingEvent(long key, String subscriptionId, long eventNumber, String type, String id, long version,
                           int attempts) {
}
