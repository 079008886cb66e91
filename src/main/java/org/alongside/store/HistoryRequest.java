package org.alongside.store;

import java.time.Instant;

/**
 * A history query, newest first.
 *
 * @param type   resource type, or null for the whole system
 * @param id     logical id, or null for all resources of the type
 * @param since  only versions written at or after this instant (may be null)
 * @param before only versions past this cursor (from {@link HistoryPage#nextCursor()}; null for the first page):
 *               older ones newest first, newer ones in change-feed order
 * @param changeFeed oldest first, and only versions written before {@code settledBefore}
 * @param settledBefore with {@code changeFeed}: versions at or after this instant are left for a later page,
 *               because transactions that started before it may still commit earlier-stamped versions
 */
public record HistoryRequest(String type, String id, Instant since, int count, HistoryPage.Cursor before,
                             boolean changeFeed, Instant settledBefore) {

    /** Newest first, the FHIR default. */
    public HistoryRequest(String type, String id, Instant since, int count, HistoryPage.Cursor before) {
        this(type, id, since, count, before, false, null);
    }
}
