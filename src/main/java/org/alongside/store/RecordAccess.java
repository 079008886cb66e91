package org.alongside.store;

import java.util.Optional;
import org.alongside.search.SearchQuery;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Who may see and change which records: consulted by everything that serves records to a caller (REST
 * interactions, Bundles, includes, history), so each path applies the same policy. Writes are checked
 * by a {@link WriteCheck}. Outside a caller's request (start-up, background work) everything is allowed.
 * A refusal is a HAPI {@code ForbiddenOperationException} (403).
 */
public interface RecordAccess {

    /** Refuses reading this record. */
    void checkRead(IBaseResource resource);

    /** Whether this record may be shown (for leaving it out of bundles silently). */
    boolean canRead(IBaseResource resource);

    /** Refuses deleting a record of the type ({@code current}: its content, empty when absent or deleted). */
    void checkDelete(String resourceType, Optional<IBaseResource> current);

    /**
     * Refuses a conditional update or delete (whose target is chosen by a search) unless the caller may touch
     * every patient's records of the type with that interaction.
     */
    void checkConditionalWrite(String resourceType, boolean delete);

    /** Whether the caller may see every record of the type (deletions in history carry no content to check). */
    boolean seesAllOf(String resourceType);

    /** The search limited to what the caller may see; empty when nothing may match. Refuses unscoped searches. */
    Optional<SearchQuery> restrict(SearchQuery query);

    /** Refuses listing records of a type (its history, or a search of the audit trail); null: the whole system. */
    void checkListing(String resourceType);
}
