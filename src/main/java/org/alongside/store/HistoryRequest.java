package org.alongside.store;

import java.time.Instant;

/**
 * A history query, newest first.
 *
 * @param type   resource type, or null for the whole system
 * @param id     logical id, or null for all resources of the type
 * @param since  only versions written at or after this instant (may be null)
 * @param before only versions older than this cursor (from {@link HistoryPage#nextCursor()}; null for the first page)
 */
public record HistoryRequest(String type, String id, Instant since, int count, HistoryPage.Cursor before) {
}
