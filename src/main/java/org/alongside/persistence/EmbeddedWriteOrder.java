package org.alongside.persistence;

import java.util.TreeSet;
import java.util.function.LongSupplier;

/**
 * The write order on the embedded database, which one server process owns: places are handed out from a counter,
 * and the server itself knows which of them are still open. Starts after the highest place stored, so the order
 * carries on across restarts.
 */
final class EmbeddedWriteOrder {

    private final LongSupplier highestStored;
    private final TreeSet<Long> open = new TreeSet<>();
    private long next;
    private boolean started;

    EmbeddedWriteOrder(LongSupplier highestStored) {
        this.highestStored = highestStored;
    }

    /** A new place, open until {@link #finished} is called with it. */
    synchronized long open() {
        long place = next();
        this.next = place + 1;
        open.add(place);
        return place;
    }

    synchronized void finished(long place) {
        open.remove(place);
    }

    /** The lowest place still open, or the next one to be handed out when none is. */
    synchronized long horizon() {
        return open.isEmpty() ? next() : open.first();
    }

    synchronized long mark() {
        return next();
    }

    private long next() {
        if (!started) {
            next = Math.max(next, highestStored.getAsLong() + 1);
            started = true;
        }
        return next;
    }
}
