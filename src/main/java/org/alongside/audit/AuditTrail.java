package org.alongside.audit;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.alongside.interaction.InteractionAudit;
import org.alongside.security.AccessGuard;
import org.alongside.security.Caller;
import org.alongside.security.RequestAccess;
import org.alongside.security.Role;
import org.alongside.store.ChangeListener;
import org.alongside.store.ResourceChange;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Records one audit event per audited interaction. Writes are recorded inside their own transaction (the
 * event is stored just before commit, so it commits with the write or not at all); everything else, and
 * every refused or failed request, is recorded when the request completes, in a transaction of its own.
 * A batch Bundle runs each entry in its own transaction, so each committed entry is an event of its own; the
 * other interactions inside a Bundle or an operation (reads, searches, refused or failed entries) are recorded
 * one event each when the request completes, so the accounting of disclosures sees every read that released records.
 */
@ApplicationScoped
public class AuditTrail implements ChangeListener, InteractionAudit {

    private static final Logger LOG = Logger.getLogger(AuditTrail.class.getName());
    private static final Object TRANSACTION_KEY = AuditTrail.class;

    @Resource
    TransactionSynchronizationRegistry transactions;

    @Inject
    AuditStore store;

    @Inject
    AuditWriter writer;

    @Inject
    AccessGuard guard;

    /** Every write is audited: a caller's with their request, the server's own (background work) as the server's. */
    @Override
    public boolean interestedIn(String resourceType) {
        return true;
    }

    /**
     * A write: collect it into the event of its transaction, stored before commit. Outside a request (the server's
     * own work) the event names the server as the agent.
     */
    @Override
    public void changed(ResourceChange change) {
        String type = change.type();
        String id = change.id();
        long version = change.version();
        IBaseResource resource = change.resource();
        @SuppressWarnings("unchecked")
        TransactionWrites writes = (TransactionWrites) transactions.getResource(TRANSACTION_KEY);
        if (writes == null) {
            AuditNotes notes = AuditNotes.current() != null ? AuditNotes.current()
                    : AuditNotes.serverWork(change.operation().name().toLowerCase(java.util.Locale.ROOT));
            writes = new TransactionWrites(notes, RequestAccess.current());
            transactions.putResource(TRANSACTION_KEY, writes);
            transactions.registerInterposedSynchronization(writes);
        }
        writes.references.add(type + "/" + id + "/_history/" + version);
        if (resource != null) {
            writes.patients.addAll(guard.patientsOf(resource));
        } else if ("Patient".equals(type)) {
            writes.patients.add(id);
        }
    }

    /** An interaction inside a Bundle or an operation, noted for its own event (a plain request is one already). */
    @Override
    public void record(String interaction, String resourceType, List<? extends IBaseResource> records, int status) {
        AuditNotes notes = AuditNotes.current();
        RequestAccess access = RequestAccess.current();
        if (notes == null || !notes.perInteraction || access == null || access.isServer()) {
            return;
        }
        String action = AuditInterceptor.action(interaction);
        if (status < 400 && !"R".equals(action)) {
            return; // a committed write is recorded with its transaction
        }
        Set<String> references = new LinkedHashSet<>();
        Set<String> patients = new LinkedHashSet<>();
        for (IBaseResource record : records) {
            references.add(record.fhirType() + "/" + record.getIdElement().getIdPart());
            patients.addAll(guard.patientsOf(record));
        }
        notes.entries.add(new AuditNotes.Entry(interaction, action, resourceType, references, patients, status));
    }

    /** A disclosure an operation declared (a billing export, for payment): an event of its own, whoever the caller. */
    @Override
    public void disclosed(String purpose, String resourceType, List<? extends IBaseResource> records) {
        AuditNotes notes = AuditNotes.current();
        RequestAccess access = RequestAccess.current();
        if (notes == null || access == null || access.isServer()) {
            return;
        }
        Set<String> references = new LinkedHashSet<>();
        Set<String> patients = new LinkedHashSet<>();
        for (IBaseResource record : records) {
            references.add(record.fhirType() + "/" + record.getIdElement().getIdPart());
            patients.addAll(guard.patientsOf(record));
        }
        notes.entries.add(new AuditNotes.Entry("operation", "R", resourceType, references, patients, 200, purpose));
    }

    /**
     * When a request is answered (or, refused or failed, when it ends): records it unless its writes already were (and
     * it did not fail after them). Returns once the events are committed, through the {@link AuditWriter}'s group
     * commit.
     */
    public void completed(AuditNotes notes, Caller caller, int status) {
        List<AuditRecord> records = new ArrayList<>();
        for (AuditNotes.Entry entry : notes.entries) {
            boolean disclosure = entry.disclosurePurpose() != null
                    || isDisclosure(entry.status(), entry.action(), caller, entry.patients());
            records.add(AuditEvents.record(notes.forEntry(entry), caller, entry.status(), entry.references(),
                    entry.patients(), disclosure, entry.disclosurePurpose()));
        }
        if (notes.recordedInTransactions == 0 || status >= 400) {
            // records leave the program when an outside system (an EHR) reads them
            boolean disclosure = isDisclosure(status, notes.action, caller, notes.patients);
            records.add(AuditEvents.record(notes, caller, status, notes.references, notes.patients, disclosure, null));
        }
        writer.write(records);
    }

    private static boolean isDisclosure(int status, String action, Caller caller, Set<String> patients) {
        return status < 400 && "R".equals(action) && caller != null && caller.has(Role.EHR_SYSTEM) && !patients.isEmpty();
    }

    /** The writes of one transaction of one request, stored as one event just before that transaction commits. */
    private final class TransactionWrites implements Synchronization {
        private final AuditNotes notes;
        private final Caller caller;
        private final Set<String> references = new LinkedHashSet<>();
        private final Set<String> patients = new LinkedHashSet<>();

        TransactionWrites(AuditNotes notes, RequestAccess access) {
            this.notes = notes;
            this.caller = access == null ? null : access.caller();
        }

        @Override
        public void beforeCompletion() {
            if (transactions.getRollbackOnly()) {
                return;
            }
            store.append(AuditEvents.record(notes, caller, 200, references, patients, false, null));
        }

        @Override
        public void afterCompletion(int status) {
            if (status == Status.STATUS_COMMITTED) {
                notes.recordedInTransactions++;
                notes.references.addAll(references);
                notes.patients.addAll(patients);
            } else if (LOG.isLoggable(Level.FINE)) {
                LOG.fine("A write transaction rolled back; its audit event went with it");
            }
        }
    }
}
