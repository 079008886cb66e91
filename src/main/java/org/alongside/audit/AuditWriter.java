package org.alongside.audit;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;

/**
 * Group commit for the audit events of reads, searches and refused requests: each request hands its events over and
 * waits until they are committed, and one writer thread commits whatever has gathered meanwhile in one transaction.
 * Under load one commit then carries the events of many requests (what every event cost before: a transaction of its
 * own, begun, enlisted and committed, was the largest part of a read). Nothing is answered before its audit is
 * durable: a request whose events could not be committed fails with the store's error (a lost database: 503).
 */
@ApplicationScoped
public class AuditWriter {

    private static final Logger LOG = Logger.getLogger(AuditWriter.class.getName());
    /** At most this many events in one transaction: the next batch starts at once. */
    static final int MAX_BATCH = 400;
    /** Longer than the data source's own timeouts: a wait this long means the writer is gone. */
    private static final long WAIT_SECONDS = 120;

    @Resource(lookup = "java:comp/DefaultManagedThreadFactory")
    ManagedThreadFactory threads;

    @Inject
    AuditStore store;

    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private Thread writer;
    private volatile boolean stopped;

    /** Some events of one request, and the promise that they are committed. */
    private record Pending(List<AuditStore.Entry> entries, CompletableFuture<Void> committed) {
    }

    /** Commits the events (in a transaction shared with other requests' events) and returns once they are durable. */
    public void write(List<AuditStore.Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        if (!ensureWriter()) {
            store.appendAll(entries); // shutting down, or no managed thread: the caller commits its own
            return;
        }
        Pending pending = new Pending(entries, new CompletableFuture<>());
        queue.add(pending);
        try {
            pending.committed().get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AuditNotRecordedException(e.getCause());
        } catch (TimeoutException e) {
            throw new AuditNotRecordedException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AuditNotRecordedException(e);
        }
    }

    private synchronized boolean ensureWriter() {
        if (stopped) {
            return false;
        }
        if (writer == null || !writer.isAlive()) {
            try {
                writer = threads.newThread(this::run);
                writer.setName("alongside-audit-writer");
                writer.setDaemon(true);
                writer.start();
            } catch (RuntimeException e) {
                LOG.warning("Could not start the audit writer (" + e.getClass().getSimpleName()
                        + "); requests commit their own audit events");
                writer = null;
                return false;
            }
        }
        return true;
    }

    private void run() {
        List<Pending> batch = new ArrayList<>();
        while (!stopped) {
            try {
                Pending first = queue.poll(500, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                int events = first.entries().size();
                while (events < MAX_BATCH && queue.peek() != null) {
                    Pending next = queue.poll();
                    batch.add(next);
                    events += next.entries().size();
                }
                commit(batch);
            } catch (InterruptedException e) {
                break;
            } finally {
                batch.clear();
            }
        }
        failAll(new IllegalStateException("The server is stopping"));
    }

    private void commit(List<Pending> batch) {
        List<AuditStore.Entry> entries = new ArrayList<>();
        batch.forEach(pending -> entries.addAll(pending.entries()));
        try {
            store.appendAll(entries);
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

    private void failAll(RuntimeException reason) {
        for (Pending pending = queue.poll(); pending != null; pending = queue.poll()) {
            pending.committed().completeExceptionally(reason);
        }
    }

    /** At shutdown: the writer finishes the batch in hand, and requests still waiting fail instead of hanging. */
    @PreDestroy
    synchronized void stop() {
        stopped = true;
        if (writer != null) {
            writer.interrupt();
        }
        failAll(new IllegalStateException("The server is stopping"));
    }

    /** The events of a request could not be committed: the request must not be answered as if they were. */
    public static final class AuditNotRecordedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        AuditNotRecordedException(Throwable cause) {
            super("The audit event could not be recorded", cause);
        }
    }
}
