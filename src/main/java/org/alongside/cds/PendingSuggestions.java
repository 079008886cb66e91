package org.alongside.cds;

import java.time.Instant;
import java.util.Optional;

/**
 * The referral suggestions Alongside has offered and not yet seen accepted: the storage contract
 * ({@code persistence.JpaPendingSuggestions} implements it on the {@code cds_suggestion} table).
 */
public interface PendingSuggestions {

    /** What one suggestion would do when accepted: assign {@code peer} in the care plan, as {@code assigner}. */
    record Pending(String id, String issuer, String clientId, String carePlanId, String peer, String assigner,
                   Instant expiresAt) {
    }

    void save(Pending pending);

    /**
     * Marks the suggestion accepted, within the caller's transaction, and returns it; empty when there is no such
     * suggestion for this EHR client, it expired, or it was accepted before.
     */
    Optional<Pending> accept(String id, String issuer, String clientId, Instant now);

    /** Forgets suggestions that expired before this instant. */
    void removeExpired(Instant before);
}
