package org.alongside.audit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit for the audit events of reads, searches and refused requests. Each request queues its events and
 * takes the turn to commit when it is free: whoever holds the turn commits every event queued so far, its own and
 * those of the requests that queued meanwhile, in one transaction, and those requests wake when it is done. Under
 * load one commit then carries the events of many requests (what each event cost before: a transaction of its own,
 * begun, enlisted and committed, was the largest part of a read), with no thread in between to wait for. Nothing is
 * answered before its audit is durable: a request whose events could not be committed fails with the store's error
 * (a lost database: 503).
 */
@ApplicationScoped
public class AuditWriter {

    /** At most this many events in one transaction; the rest wait for the next turn. */
    static final int MAX_BATCH = 400;
    /** A waiting request looks again after this long even if not woken (it always is: a safety net only). */
    private static final long SAFETY_WAIT_MILLIS = 100;

    @Inject
    AuditStore store;

    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final ReentrantLock turn = new ReentrantLock();
    /** Notified each time a commit ends and its turn is released. */
    private final Object turnReleased = new Object();

    /** Some events of one request, and the promise that they are committed. */
    private record Pending(List<AuditRecord> records, CompletableFuture<Void> committed) {
    }

    /** Commits the events (in a transaction shared with other requests' events) and returns once they are durable. */
    public void write(List<AuditRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        Pending mine = new Pending(records, new CompletableFuture<>());
        queue.add(mine);
        while (!mine.committed().isDone()) {
            if (turn.tryLock()) {
                try {
                    if (!mine.committed().isDone()) {
                        commit(takeBatch());
                    }
                } finally {
                    turn.unlock();
                }
                synchronized (turnReleased) {
                    turnReleased.notifyAll(); // the requests it carried return; the others try for the next turn
                }
            } else {
                awaitTurn(mine);
            }
        }
        try {
            mine.committed().get();
        } catch (ExecutionException e) {
            throw new AuditNotRecordedException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AuditNotRecordedException(e);
        }
    }

    /** Until the commit under way ends: it may carry these events; if not, the next turn is there to take. */
    private void awaitTurn(Pending mine) {
        synchronized (turnReleased) {
            // checked under the monitor that the committer notifies under, after unlocking: no wake-up is missed
            if (!mine.committed().isDone() && turn.isLocked()) {
                try {
                    turnReleased.wait(SAFETY_WAIT_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AuditNotRecordedException(e);
                }
            }
        }
    }

    /** What is queued, oldest first, up to {@link #MAX_BATCH} events (always at least one request's). */
    private List<Pending> takeBatch() {
        List<Pending> batch = new ArrayList<>();
        int events = 0;
        for (Pending next = queue.peek(); next != null && (batch.isEmpty() || events + next.records().size() <= MAX_BATCH);
                next = queue.peek()) {
            queue.poll();
            batch.add(next);
            events += next.records().size();
        }
        return batch;
    }

    private void commit(List<Pending> batch) {
        List<AuditRecord> records = new ArrayList<>();
        batch.forEach(pending -> records.addAll(pending.records()));
        try {
            store.appendAll(records);
        } catch (RuntimeException e) {
            if (batch.size() == 1) {
                batch.get(0).committed().completeExceptionally(e);
                return;
            }
            // one request's events may be what failed: each on its own, so only that request fails
            batch.forEach(pending -> commit(List.of(pending)));
            return;
        }
        batch.forEach(pending -> pending.committed().complete(null));
    }

    /** The events of a request could not be committed: the request must not be answered as if they were. */
    public static final class AuditNotRecordedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        AuditNotRecordedException(Throwable cause) {
            super("The audit event could not be recorded", cause);
        }
    }
}
