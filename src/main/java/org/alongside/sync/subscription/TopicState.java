package org.alongside.sync.subscription;

import java.time.Instant;

/**
 * A topic Subscription's delivery state, as the worker and {@code $status} read it.
 *
 * @param heartbeatDue     when a heartbeat is due if nothing else was sent, or null
 * @param owner            who subscribed ({@link SubscriptionOwner} form), or null when unknown
 * @param eventsSinceStart the events recorded so far (the last event number handed out)
 */
public record TopicState(boolean handshakePending, Instant heartbeatDue, String owner, long eventsSinceStart) {
}
