package org.alongside.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.hl7.fhir.r4.model.AuditEvent;
import org.junit.jupiter.api.Test;

class AuditWriterTest {

    /** Keeps what was committed, one list per transaction; refuses events whose request id starts with "bad". */
    static final class RecordingStore implements AuditStore {
        final List<List<String>> transactions = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void appendAll(List<AuditRecord> entries) {
            try {
                Thread.sleep(20); // a commit takes a while: requests gather behind it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (entries.stream().anyMatch(e -> e.requestId().startsWith("bad"))) {
                throw new IllegalStateException("refused");
            }
            transactions.add(entries.stream().map(AuditRecord::requestId).toList());
        }

        @Override
        public void append(AuditRecord record) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<AuditEvent> read(String id) {
            return Optional.empty();
        }

        @Override
        public Page search(Criteria criteria, int count, Long beforeKey) {
            return new Page(List.of(), null, false);
        }
    }

    private static AuditWriter writerOn(AuditStore store) {
        AuditWriter writer = new AuditWriter();
        writer.store = store;
        return writer;
    }

    private static List<AuditRecord> event(String requestId) {
        return List.of(new AuditRecord(requestId, Instant.now(), "read", "R", 200, false, "TREAT", null, false, null,
                null, requestId, List.of(), List.of()));
    }

    @Test
    void everyRequestReturnsOnlyOnceItsEventIsCommittedAndRequestsShareCommits() throws Exception {
        RecordingStore store = new RecordingStore();
        AuditWriter writer = writerOn(store);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> requests = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            String id = "request-" + i;
            requests.add(pool.submit(() -> {
                start.await();
                writer.write(event(id));
                // returned: the event is in a committed transaction
                assertThat(store.transactions.stream().anyMatch(t -> t.contains(id))).isTrue();
                return null;
            }));
        }
        start.countDown();
        for (Future<?> request : requests) {
            request.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(store.transactions.stream().mapToInt(List::size).sum()).isEqualTo(64);
        assertThat(store.transactions.size()).as("commits for 64 concurrent requests").isLessThan(64);
    }

    @Test
    void anEventThatCannotBeCommittedFailsOnlyItsOwnRequest() throws Exception {
        RecordingStore store = new RecordingStore();
        AuditWriter writer = writerOn(store);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> good = new ArrayList<>();
        Future<?> bad = pool.submit(() -> {
            start.await();
            writer.write(event("bad-1"));
            return null;
        });
        for (int i = 0; i < 7; i++) {
            String id = "good-" + i;
            good.add(pool.submit(() -> {
                start.await();
                writer.write(event(id));
                return null;
            }));
        }
        start.countDown();
        for (Future<?> request : good) {
            request.get(30, TimeUnit.SECONDS);
        }
        assertThatThrownBy(() -> bad.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(AuditWriter.AuditNotRecordedException.class);
        pool.shutdown();
        assertThat(store.transactions.stream().flatMap(List::stream)).hasSize(7).noneMatch(id -> id.startsWith("bad"));
    }
}
