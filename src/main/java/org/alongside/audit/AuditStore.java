package org.alongside.audit;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.AuditEvent;

/**
 * Where audit events are kept. Contract: {@link #append} writes in the caller's transaction (so an audited
 * write and its event commit together); {@link #appendAll} writes several events in one transaction of their own,
 * committed when it returns; events are never updated or deleted; {@link #search} returns newest first, paged by the
 * storage key.
 */
public interface AuditStore {

    /** One event (its id is set) with the references it touched, of which {@code patients} are people. */
    record Entry(AuditEvent event, String requestId, List<String> references, List<String> patients) {
    }

    /** Stores the event (its id is set) with the references it touched, of which {@code patients} are people. */
    void append(AuditEvent event, String requestId, List<String> references, List<String> patients);

    /** Stores the events in one new transaction and commits it before returning. */
    void appendAll(List<Entry> entries);

    Optional<AuditEvent> read(String id);

    /** Events matching all given criteria (each may be null), newest first, from {@code beforeKey} down. */
    Page search(Criteria criteria, int count, Long beforeKey);

    record Criteria(String entity, String agent, String subtype, String outcome, String requestId,
                    Instant from, Instant to) {
    }

    record Page(List<AuditEvent> events, Long lastKey, boolean hasMore) {
    }
}
