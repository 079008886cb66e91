package org.alongside.mentorship;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.alongside.config.AlongsideConfig;
import org.alongside.store.SingleInstance;

/**
 * Runs {@link EngagementAlerts} every {@code alongside.engagement.interval-seconds} (900 s; 0 turns it off) on a
 * thread of Jakarta Concurrency's managed thread factory, on one instance at a time ({@link SingleInstance}). Stopped
 * at server stop: the thread is interrupted and the run ends after the mentorship it is at.
 */
@ApplicationScoped
public class EngagementAlertJob {

    static final String JOB = "engagement-alerts";
    private static final Logger LOG = Logger.getLogger(EngagementAlertJob.class.getName());

    @Resource(lookup = "java:comp/DefaultManagedThreadFactory")
    ManagedThreadFactory threads;

    @Inject
    AlongsideConfig config;

    @Inject
    SingleInstance single;

    @Inject
    EngagementAlerts alerts;

    private ScheduledExecutorService scheduler;
    private volatile boolean reportedFailure;

    void onStart(@Observes @Initialized(ApplicationScoped.class) Object event) {
        int interval = config.engagementIntervalSeconds();
        if (interval > 0) {
            scheduler = Executors.newSingleThreadScheduledExecutor(threads);
            scheduler.scheduleWithFixedDelay(this::runOnce, interval, interval, TimeUnit.SECONDS);
        }
    }

    @PreDestroy
    void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    void runOnce() {
        try {
            boolean ran = single.runAlone(JOB, () -> {
                EngagementAlerts.Run run = alerts.run(Instant.now());
                if (run.opened() + run.closed() + run.failed() > 0) {
                    LOG.info("Engagement alerts: " + run.mentorships() + " mentorships looked at, " + run.opened()
                            + " alerts opened, " + run.closed() + " closed, " + run.failed() + " not written");
                }
            });
            if (ran) {
                reportedFailure = false;
            }
        } catch (RuntimeException e) { // e.g. the database is unreachable: once, not every interval
            if (!reportedFailure) {
                LOG.warning("Engagement alert run failed: " + e.getClass().getName());
                reportedFailure = true;
            }
        }
    }
}
