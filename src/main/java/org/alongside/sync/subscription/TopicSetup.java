package org.alongside.sync.subscription;

/**
 * What the outbox keeps for a topic Subscription when it is written.
 *
 * @param handshake        TRUE: send a handshake (written as requested); FALSE: none is due; null: keep what is
 *                         pending (the server marked the Subscription error after a failed handshake)
 * @param heartbeatSeconds the heartbeat period, or null for none
 * @param owner            who subscribed ({@link SubscriptionOwner}), or null to keep the previous owner (the
 *                         server's own status writes)
 */
public record TopicSetup(Boolean handshake, Integer heartbeatSeconds, String owner) {

    /** A plain R4 Subscription: no handshake, no heartbeat; the owner is still noted when given. */
    public static final TopicSetup NONE = new TopicSetup(Boolean.FALSE, null, null);
}
