package org.alongside.audit;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What is learnt about one HTTP request while it is served, for its audit event: what kind of interaction
 * it was, on what, which records it wrote or returned and whose they are. One per request, on its thread.
 */
public final class AuditNotes {

    private static final ThreadLocal<AuditNotes> CURRENT = new ThreadLocal<>();

    final String requestId;
    final String clientAddress;
    final String httpMethod;
    String interaction;
    String action;
    String resourceType;
    String operation;
    String query;
    final Set<String> references = new LinkedHashSet<>();
    final Set<String> patients = new LinkedHashSet<>();
    /** Events already recorded inside committed write transactions. */
    int recordedInTransactions;
    /** The request's events are committed (before its answer was sent): nothing is left to record when it ends. */
    boolean recorded;
    /** A Bundle or an operation: each interaction inside it is an event of its own (see {@link #entries}). */
    boolean perInteraction;
    /** The interactions of a Bundle or an operation, as the pipeline reported them. */
    final java.util.List<Entry> entries = new java.util.ArrayList<>();

    /**
     * One interaction inside the request: its code, action, type, what it touched and how it ended; for a disclosure
     * the operation declared itself (a billing export), its purpose of use, else null.
     */
    record Entry(String interaction, String action, String resourceType, Set<String> references,
                 Set<String> patients, int status, String disclosurePurpose) {

        Entry(String interaction, String action, String resourceType, Set<String> references, Set<String> patients,
              int status) {
            this(interaction, action, resourceType, references, patients, status, null);
        }
    }

    /** These notes as they describe one of the request's interactions. */
    AuditNotes forEntry(Entry entry) {
        AuditNotes copy = new AuditNotes(requestId, clientAddress, httpMethod);
        copy.interaction = entry.interaction();
        copy.action = entry.action();
        copy.resourceType = entry.resourceType();
        copy.operation = operation;
        return copy;
    }

    AuditNotes(String requestId, String clientAddress, String httpMethod) {
        this.requestId = requestId;
        this.clientAddress = clientAddress;
        this.httpMethod = httpMethod;
    }

    /** Set for the server's own work (no request): its events name the server as the agent. */
    boolean serverWork;

    /** Notes for a write the server makes on its own (background delivery), which is audited like any other. */
    static AuditNotes serverWork(String interaction) {
        AuditNotes notes = new AuditNotes(java.util.UUID.randomUUID().toString(), null, null);
        notes.serverWork = true;
        notes.interaction = interaction;
        notes.action = AuditInterceptor.action(interaction);
        return notes;
    }

    public static AuditNotes current() {
        return CURRENT.get();
    }

    static void begin(AuditNotes notes) {
        CURRENT.set(notes);
    }

    static void end() {
        CURRENT.remove();
    }
}
