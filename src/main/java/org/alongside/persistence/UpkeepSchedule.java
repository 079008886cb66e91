package org.alongside.persistence;

import java.sql.SQLException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Runs an upkeep task of the store's database (planner statistics, the embedded file's housekeeping) at a fixed
 * delay on a thread of its own, until stopped at shutdown. A failure, such as the database being out of reach, is
 * logged once (class and SQL state, never a message), and again only after the task has succeeded since.
 */
final class UpkeepSchedule {

    /** One run of the task; true when it did something. */
    interface Task {
        boolean run() throws SQLException;
    }

    private final Logger log;
    private final String failure;
    private ScheduledExecutorService scheduler;
    private volatile boolean reportedFailure;

    /** @param failure what the log says when a run fails, e.g. "Checking table statistics failed" */
    UpkeepSchedule(Logger log, String failure) {
        this.log = log;
        this.failure = failure;
    }

    synchronized void start(ThreadFactory threads, long delaySeconds, Task task) {
        scheduler = Executors.newSingleThreadScheduledExecutor(threads);
        scheduler.scheduleWithFixedDelay(() -> attempt(task), delaySeconds, delaySeconds, TimeUnit.SECONDS);
    }

    synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    /** Runs the task once; false when it did nothing or failed. */
    boolean attempt(Task task) {
        try {
            boolean done = task.run();
            reportedFailure = false;
            return done;
        } catch (SQLException | RuntimeException e) {
            if (!reportedFailure) { // e.g. the database is unreachable: once, not every interval
                log.warning(failure + ": " + e.getClass().getName() + " (SQL state "
                        + (e instanceof SQLException sql ? sql.getSQLState() : "-") + ")");
                reportedFailure = true;
            }
            return false;
        }
    }
}
