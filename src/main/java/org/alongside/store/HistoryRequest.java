package org.alongside.store;

import java.time.Instant;

/**
 * A history query, newest first or as a change feed.
 *
 * @param type   resource type, or null for the whole system
 * @param id     logical id, or null for all resources of the type
 * @param since  only versions written at or after this instant (may be null)
 * @param before only versions past this cursor (from {@link HistoryPage#nextCursor()}; null for the first page):
 *               older ones newest first, newer ones in change-feed order
 * @param changeFeed in write order (oldest first), and only versions below the {@link WriteHorizon}: a version
 *               whose transaction may still be running is left for a later page, so none is ever skipped
 */
public record HistoryRequest(String type, String id, Instant since, int count, HistoryPage.Cursor before,
                             boolean changeFeed) {

    /** Newest first, the FHIR default. */
    public HistoryRequest(String type, String id, Instant since, int count, HistoryPage.Cursor before) {
        this(type, id, since, count, before, false);
    }
}
