package org.alongside.store;

import java.util.Optional;
import org.alongside.search.SearchQuery;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * The versioned FHIR resource store. The contract every implementation keeps:
 * <ul>
 *   <li>Each call is one atomic unit: it joins the caller's transaction or runs in its own; a failure
 *       leaves nothing written.</li>
 *   <li>The store assigns {@code meta.versionId} (1, 2, 3... per resource) and {@code meta.lastUpdated};
 *       whatever the client sent there is replaced. Every version stays readable by {@link #readVersion}.</li>
 *   <li>A delete writes a new version that marks the resource deleted; reading it then fails with
 *       {@code ResourceGoneException} (410). Updating a deleted resource brings it back.</li>
 *   <li>Conditional writes ({@code ifNoneExist}, {@link #updateMatching}) evaluate their condition and write
 *       under a lock on the resource type, so concurrent identical conditional creates store one resource.</li>
 *   <li>An update whose content equals the current version is a no-op: no new version is written.</li>
 *   <li>Errors are HAPI server exceptions carrying the HTTP status: 404 unknown, 410 deleted, 412 version
 *       or condition mismatch, 409 concurrent conflicting write, 400 invalid input.</li>
 * </ul>
 */
public interface ResourceStore {

    /** Creates the resource with a server-assigned id, unless {@code ifNoneExist} matches an existing one. */
    WriteResult create(IBaseResource resource, Optional<SearchQuery> ifNoneExist);

    /**
     * Creates the resource under an id the caller chose from a UUID (transactions must know ids before they
     * write, to resolve references between entries). With {@code ifNoneExist}, the condition is checked again
     * under the type lock and a match that appeared meanwhile fails with 409 rather than storing a duplicate.
     */
    WriteResult createWithId(IBaseResource resource, String id, Optional<SearchQuery> ifNoneExist);

    /**
     * Updates {@code type/id}, or creates it with that id when it does not exist (update-as-create).
     *
     * @param expectedVersion the version the client last saw (If-Match); a different current version fails with 412
     */
    WriteResult update(String type, String id, IBaseResource resource, Optional<Long> expectedVersion);

    /** Conditional update: updates the single match, creates when none matches, 412 when several match. */
    WriteResult updateMatching(SearchQuery condition, IBaseResource resource);

    /**
     * Deletes {@code type/id}; deleting a deleted resource changes nothing. 404 when it never existed.
     *
     * @param expectedVersion the version the client last saw (If-Match); a different current version fails with 412
     */
    WriteResult delete(String type, String id, Optional<Long> expectedVersion);

    /** Conditional delete of the single match; 412 when several match, 404 when none. */
    WriteResult deleteMatching(SearchQuery condition);

    IBaseResource read(String type, String id);

    /**
     * The current content, or empty when the resource does not exist or is deleted. Never throws for absence,
     * so it is safe inside a transaction that must not be marked for rollback by a miss.
     */
    java.util.Optional<IBaseResource> find(String type, String id);

    /**
     * Holds a write lock on {@code type/id} until the surrounding transaction ends, so that rules spanning
     * several resources (a peer's caseload) are checked and acted on without a concurrent writer in between.
     * 404 when the resource does not exist.
     */
    void lockForUpdate(String type, String id);

    IBaseResource readVersion(String type, String id, long version);

    SearchPage search(SearchQuery query);

    HistoryPage history(HistoryRequest request);
}
