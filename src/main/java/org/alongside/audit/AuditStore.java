package org.alongside.audit;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.AuditEvent;

/**
 * Where audit events are kept. Contract: {@link #append} writes in the caller's transaction (so an audited
 * write and its event commit together); {@link #appendAll} writes several events in one transaction of their own,
 * committed when it returns; events are never updated or deleted; {@link #search} returns newest first, paged by the
 * storage key; what is read back is the FHIR AuditEvent of each record ({@link AuditEvents#toFhir}).
 */
public interface AuditStore {

    /** Stores the record in the caller's transaction. */
    void append(AuditRecord record);

    /** Stores the records in one new transaction and commits it before returning. */
    void appendAll(List<AuditRecord> records);

    Optional<AuditEvent> read(String id);

    /** Events matching all given criteria (each may be null), newest first, from {@code beforeKey} down. */
    Page search(Criteria criteria, int count, Long beforeKey);

    record Criteria(String entity, String agent, String subtype, String outcome, String requestId,
                    Instant from, Instant to) {
    }

    record Page(List<AuditEvent> events, Long lastKey, boolean hasMore) {
    }
}
