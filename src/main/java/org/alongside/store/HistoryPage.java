package org.alongside.store;

import java.time.Instant;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * One page of history: newest first, or oldest first as a change feed.
 *
 * @param nextCursor pass as {@link HistoryRequest#before()} for the next page; null on the last page
 */
public record HistoryPage(List<Entry> entries, Cursor nextCursor) {

    /**
     * Where a page ends, opaque to clients. Newest first: the last entry's lastUpdated (epoch milliseconds) and
     * storage key ({@code 1764072000000.42}); ordering by time first keeps history newest-first even when several
     * instances allocate keys in blocks. Change feed: the last entry's write order and key ({@code w8812.42}).
     */
    public record Cursor(boolean feed, long position, long key) {

        public static Cursor newestFirst(Instant lastUpdated, long key) {
            return new Cursor(false, lastUpdated.toEpochMilli(), key);
        }

        public static Cursor feed(long writeOrder, long key) {
            return new Cursor(true, writeOrder, key);
        }

        public Instant lastUpdated() {
            return Instant.ofEpochMilli(position);
        }

        @Override
        public String toString() {
            return (feed ? "w" : "") + position + "." + key;
        }

        /** Empty when the text is not a cursor this server wrote. */
        public static java.util.Optional<Cursor> parse(String text) {
            boolean feed = text.startsWith("w");
            String[] parts = (feed ? text.substring(1) : text).split("\\.");
            try {
                if (parts.length == 2) {
                    return java.util.Optional.of(new Cursor(feed, Long.parseLong(parts[0]), Long.parseLong(parts[1])));
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
