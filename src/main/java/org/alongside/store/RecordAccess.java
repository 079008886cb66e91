package org.alongside.store;

import java.util.Optional;
import java.util.function.Supplier;
import org.alongside.search.SearchQuery;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * The access policy the interaction pipeline consults for the caller of the work on this thread: scopes, role,
 * whose records (reach), authorship and 42 CFR Part 2 consent. Only the pipeline calls it, so that every path
 * applies it in the same order. There is no implicit caller: work outside a caller's request (background
 * delivery, start-up) runs inside {@link #asServer}, and any check without a caller fails rather than allows.
 * A refusal is a HAPI {@code ForbiddenOperationException} (403) whose text names no patient data.
 */
public interface RecordAccess {

    /**
     * Refuses an interaction (create, read, update, delete, search) on the type outright: scope and role, before any
     * record is looked at or any condition matched, so a refusal never depends on what exists.
     */
    void checkInteraction(String resourceType, String interaction);

    /** Refuses reading this record: scope, role, reach and, for Part 2 records, the person's consent. */
    void checkRead(IBaseResource resource);

    /** Whether this record may be shown (for leaving it out of results silently). Never throws for a denial. */
    boolean canRead(IBaseResource resource);

    /**
     * Refuses writing {@code proposed} over {@code current} (empty: a create). An update is checked against both,
     * so a record can be moved neither into nor out of the caller's reach, nor taken over by naming oneself.
     */
    void checkWrite(Optional<IBaseResource> current, IBaseResource proposed);

    /** Refuses deleting a record of the type ({@code current}: its content, empty when absent or deleted). */
    void checkDelete(String resourceType, Optional<IBaseResource> current);

    /**
     * Refuses a conditional update or delete (whose target is chosen by a search) unless the caller may touch
     * every patient's records of the type with that interaction.
     */
    void checkConditionalWrite(String resourceType, boolean delete);

    /** Whether the caller may see every record of the type (deletions in history carry no content to check). */
    boolean seesAllOf(String resourceType);

    /**
     * The search limited to what the caller may see; empty when nothing may match. Refuses searches the caller
     * may not run, including chained and {@code _has} criteria over types they may not search.
     */
    Optional<SearchQuery> restrict(SearchQuery query);

    /**
     * Whether records of the type that {@link #restrict} lets through may still be hidden record by record
     * (consent decisions cannot be made in SQL), so counts must be made of what the filter lets through.
     */
    boolean filtersRecords(String resourceType);

    /** Refuses listing records of a type (its history, or a search of the audit trail); null: the whole system. */
    void checkListing(String resourceType);

    /** Marks a record that leaves through this caller as the rules require (Part 2: no redisclosure). */
    void label(IBaseResource resource);

    /** Runs internal work as the server itself (all records, no caller), explicitly. */
    <T> T asServer(Supplier<T> work);
}
