package org.alongside.store;

import java.time.Instant;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * One page of history, newest first.
 *
 * @param nextCursor pass as {@link HistoryRequest#before()} for the next page; null on the last page
 */
public record HistoryPage(List<Entry> entries, Cursor nextCursor) {

    /**
     * Where a page ends: the last entry's lastUpdated and storage key. Opaque to clients ({@code 1764072000000.42}).
     * Ordering by time first keeps history newest-first even when several instances allocate keys in blocks.
     */
    public record Cursor(Instant lastUpdated, long key) {

        @Override
        public String toString() {
            return lastUpdated.toEpochMilli() + "." + key;
        }

        /** Empty when the text is not a cursor this server wrote. */
        public static java.util.Optional<Cursor> parse(String text) {
            String[] parts = text.split("\\.");
            try {
                if (parts.length == 2) {
                    return java.util.Optional.of(new Cursor(Instant.ofEpochMilli(Long.parseLong(parts[0])),
                            Long.parseLong(parts[1])));
                }
            } catch (NumberFormatException ignored) {
                // not a cursor
            }
            return java.util.Optional.empty();
        }
    }

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
