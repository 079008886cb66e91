package org.alongside.store;

import java.time.Instant;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * One page of history, newest first.
 *
 * @param nextCursor pass as {@link HistoryRequest#before()} for the next page; null on the last page
 */
public record HistoryPage(List<Entry> entries, Long nextCursor) {

    /**
     * One version.
     *
     * @param resource the version's content; null when the version is a deletion
     * @param method   the HTTP verb that wrote it: POST, PUT or DELETE
     */
    public record Entry(String type, String id, long version, Instant lastUpdated, String method,
                        IBaseResource resource) {
    }
}
