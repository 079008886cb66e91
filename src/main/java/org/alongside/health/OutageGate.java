package org.alongside.health;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * Whether a request should try the database, once the database was found unreachable. Without it, every request of
 * an outage waits out the driver's bounds (connect, SSL request, login, socket: tens of seconds behind a link that
 * drops packets) before it can answer 503, and holds a thread and a pool slot meanwhile. Once an outage is seen,
 * requests are refused at once; one probe at a time, in the background, asks the database again a probe interval after
 * the last one ended, and the first that gets an answer lets requests through again.
 *
 * <p>Pure: the clock (nanoseconds), the probe, where it runs and who hears of the recovery are given.
 */
public final class OutageGate {

    private static final long PASSING = Long.MIN_VALUE;
    private static final long PROBING = Long.MAX_VALUE;

    private final LongSupplier nanoClock;
    private final long probeIntervalNanos;
    private final Executor probeRunner;
    private final BooleanSupplier databaseAnswers;
    private final LongConsumer recovered;
    /** PASSING, PROBING, or the clock's time of the next probe while requests are refused. */
    private final AtomicLong state = new AtomicLong(PASSING);
    private final AtomicLong refused = new AtomicLong();

    public OutageGate(LongSupplier nanoClock, long probeIntervalNanos, Executor probeRunner,
                      BooleanSupplier databaseAnswers, LongConsumer recovered) {
        this.nanoClock = nanoClock;
        this.probeIntervalNanos = probeIntervalNanos;
        this.probeRunner = probeRunner;
        this.databaseAnswers = databaseAnswers;
        this.recovered = recovered;
    }

    /** True when the request may go to the database; false while an outage lasts (counted for the recovery). */
    public boolean admits() {
        long next = state.get();
        if (next == PASSING) {
            return true;
        }
        if (next != PROBING && nanoClock.getAsLong() - next >= 0 && state.compareAndSet(next, PROBING)) {
            probe();
        }
        refused.incrementAndGet();
        return false;
    }

    /**
     * A request found the database unreachable: refuse the next ones until a probe gets an answer. True when this
     * closed the gate (the first report of an outage), false when it was closed already.
     */
    public boolean outageSeen() {
        return state.compareAndSet(PASSING, nanoClock.getAsLong() + probeIntervalNanos);
    }

    /** Whether requests are refused now. */
    public boolean refusing() {
        return state.get() != PASSING;
    }

    private void probe() {
        try {
            probeRunner.execute(() -> {
                boolean answered = false;
                try {
                    answered = databaseAnswers.getAsBoolean();
                } catch (RuntimeException e) {
                    // still unreachable
                } finally {
                    state.set(answered ? PASSING : nanoClock.getAsLong() + probeIntervalNanos);
                }
                if (answered) {
                    recovered.accept(refused.getAndSet(0));
                }
            });
        } catch (RuntimeException notRun) { // no thread at the moment (e.g. stopping): try again later
            state.set(nanoClock.getAsLong() + probeIntervalNanos);
        }
    }
}
