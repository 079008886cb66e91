package org.alongside.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class OutageGateTest {

    private static final long INTERVAL = 1_000;

    private final AtomicLong clock = new AtomicLong(5_000);
    private final AtomicBoolean databaseAnswers = new AtomicBoolean(false);
    private final AtomicInteger probes = new AtomicInteger();
    private final List<Runnable> pendingProbes = new ArrayList<>();
    private final List<Long> recoveries = new ArrayList<>();

    /** Probes run when the test says so, as they would on their own thread. */
    private final OutageGate gate = new OutageGate(clock::get, INTERVAL, pendingProbes::add, () -> {
        probes.incrementAndGet();
        return databaseAnswers.get();
    }, recoveries::add);

    @Test
    void requestsPassUntilAnOutageIsSeen() {
        assertThat(gate.admits()).isTrue();
        assertThat(gate.refusing()).isFalse();
        assertThat(pendingProbes).isEmpty();
    }

    @Test
    void afterAnOutageRequestsAreRefusedWithoutAskingTheDatabaseUntilTheIntervalEnds() {
        assertThat(gate.outageSeen()).isTrue();
        assertThat(gate.outageSeen()).as("already closed").isFalse();
        clock.addAndGet(INTERVAL - 1);
        for (int i = 0; i < 100; i++) {
            assertThat(gate.admits()).isFalse();
        }
        assertThat(gate.refusing()).isTrue();
        assertThat(pendingProbes).isEmpty();
    }

    @Test
    void onceTheIntervalEndsOneProbeAsksTheDatabaseWhileRequestsAreStillRefused() {
        gate.outageSeen();
        clock.addAndGet(INTERVAL);
        assertThat(gate.admits()).as("the request that starts the probe does not wait for it").isFalse();
        assertThat(gate.admits()).isFalse();
        clock.addAndGet(10 * INTERVAL);
        assertThat(gate.admits()).as("a probe under way is not doubled, however long it takes").isFalse();
        assertThat(pendingProbes).hasSize(1);
    }

    @Test
    void aProbeWithoutAnAnswerWaitsAnotherIntervalFromItsEndBeforeTheNext() {
        gate.outageSeen();
        clock.addAndGet(INTERVAL);
        gate.admits();
        clock.addAndGet(3 * INTERVAL); // the probe waited out the driver's timeouts
        runProbes();
        assertThat(probes).hasValue(1);
        clock.addAndGet(INTERVAL - 1);
        assertThat(gate.admits()).isFalse();
        assertThat(pendingProbes).isEmpty();
        clock.addAndGet(1);
        assertThat(gate.admits()).isFalse();
        assertThat(pendingProbes).hasSize(1);
    }

    @Test
    void theFirstProbeThatGetsAnAnswerLetsRequestsThroughAndReportsHowManyWereRefused() {
        gate.outageSeen();
        clock.addAndGet(INTERVAL);
        gate.admits();
        gate.admits();
        gate.admits();
        databaseAnswers.set(true);
        runProbes();
        assertThat(gate.refusing()).isFalse();
        assertThat(gate.admits()).isTrue();
        assertThat(recoveries).containsExactly(3L);

        gate.outageSeen();
        clock.addAndGet(INTERVAL);
        gate.admits();
        runProbes();
        assertThat(recoveries).as("each outage counts its own refusals").containsExactly(3L, 1L);
    }

    @Test
    void aProbeThatFailsCountsAsNoAnswer() {
        OutageGate failing = new OutageGate(clock::get, INTERVAL, Runnable::run, () -> {
            throw new IllegalStateException("pool closed");
        }, recoveries::add);
        failing.outageSeen();
        clock.addAndGet(INTERVAL);
        assertThat(failing.admits()).isFalse();
        assertThat(failing.refusing()).isTrue();
        clock.addAndGet(INTERVAL);
        assertThat(failing.admits()).as("probes go on").isFalse();
        assertThat(recoveries).isEmpty();
    }

    @Test
    void aProbeThatCannotBeStartedIsTriedAgainAfterTheInterval() {
        AtomicInteger attempts = new AtomicInteger();
        OutageGate stopping = new OutageGate(clock::get, INTERVAL, task -> {
            attempts.incrementAndGet();
            throw new RejectedExecutionException();
        }, () -> true, recoveries::add);
        stopping.outageSeen();
        clock.addAndGet(INTERVAL);
        assertThat(stopping.admits()).isFalse();
        assertThat(stopping.admits()).isFalse();
        assertThat(attempts).hasValue(1);
        clock.addAndGet(INTERVAL);
        stopping.admits();
        assertThat(attempts).hasValue(2);
    }

    @Test
    void manyRequestsAtOnceStartOneProbe() throws Exception {
        CountDownLatch probeMayEnd = new CountDownLatch(1);
        AtomicInteger started = new AtomicInteger();
        ExecutorService probeThread = Executors.newSingleThreadExecutor();
        ExecutorService requests = Executors.newFixedThreadPool(8);
        try {
            OutageGate shared = new OutageGate(clock::get, INTERVAL, probeThread, () -> {
                started.incrementAndGet();
                try {
                    return probeMayEnd.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    return false;
                }
            }, recoveries::add);
            shared.outageSeen();
            clock.addAndGet(INTERVAL);
            AtomicInteger admitted = new AtomicInteger();
            CountDownLatch done = new CountDownLatch(8 * 1000);
            for (int i = 0; i < 8 * 1000; i++) {
                requests.execute(() -> {
                    if (shared.admits()) {
                        admitted.incrementAndGet();
                    }
                    done.countDown();
                });
            }
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(admitted).hasValue(0);
            probeMayEnd.countDown();
            probeThread.shutdown();
            assertThat(probeThread.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            assertThat(started).hasValue(1);
            assertThat(shared.admits()).isTrue();
            assertThat(recoveries).containsExactly(8000L);
        } finally {
            requests.shutdownNow();
            probeThread.shutdownNow();
        }
    }

    private void runProbes() {
        List<Runnable> due = new ArrayList<>(pendingProbes);
        pendingProbes.clear();
        due.forEach(Runnable::run);
    }
}
