package org.alongside.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One CDS Hooks referral suggestion offered to an EHR (table {@code cds_suggestion}). */
@Entity
@Table(name = "cds_suggestion")
public class CdsSuggestionRow {

    @Id
    @Column(name = "suggestion_id")
    String id;

    @Column(name = "issuer", nullable = false)
    String issuer;

    @Column(name = "client_id", nullable = false)
    String clientId;

    @Column(name = "care_plan_id", nullable = false)
    String carePlanId;

    @Column(name = "peer_ref", nullable = false)
    String peer;

    @Column(name = "assigner_ref", nullable = false)
    String assigner;

    @Column(name = "expires_at", nullable = false)
    Instant expiresAt;

    @Column(name = "accepted_at")
    Instant acceptedAt;
}
