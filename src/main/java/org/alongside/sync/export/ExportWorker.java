package org.alongside.sync.export;

import ca.uhn.fhir.context.FhirContext;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.alongside.config.AlongsideConfig;
import org.alongside.store.SnapshotReader;
import org.alongside.store.WriteHorizon;

/**
 * Runs export jobs on this instance. Every second it removes jobs past their retention and claims due jobs while
 * fewer than {@code alongside.export.max-concurrent-jobs} run here, on threads from Jakarta Concurrency's
 * {@code ManagedThreadFactory}. The claim is a database row lock taken with
 * SKIP LOCKED plus a conditional update, so several instances never run one attempt twice; a job whose owner has not
 * sent a heartbeat for {@code alongside.export.stale-after} is claimed again (the owner died or hangs).
 */
@ApplicationScoped
public class ExportWorker {

    private static final Logger LOG = Logger.getLogger(ExportWorker.class.getName());
    private static final long ORPHAN_SWEEP_MILLIS = 60_000;

    /**
     * Threads of our own, with the application's context, rather than Liberty's shared executor (where managed
     * executors run): an export holds its thread for minutes, and a poll completing every second on the shared pool
     * would look like progress to Liberty's pool controller, which then never adds threads when requests block one
     * another (seen with HTTP/2 cleartext clients: the server stopped answering).
     */
    @Resource(lookup = "java:comp/DefaultManagedThreadFactory")
    ManagedThreadFactory threads;

    @Inject
    AlongsideConfig config;

    @Inject
    ExportJobs jobs;

    @Inject
    BulkExportService service;

    @Inject
    SnapshotReader snapshots;

    @Inject
    WriteHorizon writes;

    @Inject
    FhirContext fhirContext;

    private final Clock clock = Clock.systemUTC();
    private final String owner = hostName() + "/" + UUID.randomUUID().toString().substring(0, 8);
    private final AtomicInteger running = new AtomicInteger();
    private final Set<Future<?>> tasks = ConcurrentHashMap.newKeySet();
    private ExportRunner runner;
    private volatile ScheduledExecutorService scheduler;
    private ExecutorService executor;
    private volatile boolean reportedPollFailure;
    private long lastSweep;

    void onStart(@Observes @Initialized(ApplicationScoped.class) Object event) {
        runner = new ExportRunner(snapshots, writes, jobs, service.directory(), service.compartment(), fhirContext,
                config.exportPageSize(), config.exportMaxResourcesPerFile(), clock);
        scheduler = Executors.newSingleThreadScheduledExecutor(threads);
        executor = Executors.newFixedThreadPool(config.exportMaxConcurrentJobs(), threads);
        // the first poll waits for start-up (schema migration runs on the same event)
        scheduler.scheduleWithFixedDelay(this::poll, 5, 1, TimeUnit.SECONDS);
    }

    /**
     * A job queued here is claimed now rather than at the next poll, up to a second later (a third of a small
     * export's time). After the commit: before it, the poll could not see the job's row yet.
     */
    void onQueued(@Observes(during = TransactionPhase.AFTER_SUCCESS) ExportJobQueued queued) {
        ScheduledExecutorService polling = scheduler;
        if (polling == null) {
            return; // not started yet: the first poll finds it
        }
        try {
            polling.execute(this::poll); // on the poll's own thread, so polls never overlap
        } catch (RejectedExecutionException e) {
            // stopping: the job stays queued for whichever instance polls next
        }
    }

    @PreDestroy
    void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        // running jobs stop at their next row; they stay claimed and are taken over once their heartbeat is stale
        tasks.forEach(task -> task.cancel(true));
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    void poll() {
        try {
            removeExpired();
            while (running.get() < config.exportMaxConcurrentJobs()) {
                Instant now = clock.instant();
                Optional<ExportJob> claimed = jobs.claimNext(owner, now, now.minus(config.exportStaleAfter()));
                if (claimed.isEmpty()) {
                    break;
                }
                start(claimed.get());
            }
            reportedPollFailure = false;
        } catch (RuntimeException e) {
            if (!reportedPollFailure) { // e.g. while the schema is still migrating; once, not every second
                LOG.log(Level.WARNING, "Export worker poll failed: " + ExportRunner.describeWithoutMessages(e));
                reportedPollFailure = true;
            }
        }
    }

    private void start(ExportJob job) {
        running.incrementAndGet();
        Future<?>[] self = new Future<?>[1];
        try {
            self[0] = executor.submit(() -> {
                try {
                    runner.run(job);
                } finally {
                    running.decrementAndGet();
                    if (self[0] != null) {
                        tasks.remove(self[0]);
                    }
                }
            });
            tasks.add(self[0]);
        } catch (RuntimeException e) {
            running.decrementAndGet(); // not started: the heartbeat goes stale and the job is claimed again
            throw e;
        }
    }

    private void removeExpired() {
        Instant now = clock.instant();
        for (String jobId : jobs.finishedBefore(now.minus(config.exportRetention()))) {
            service.remove(jobId);
        }
        if (now.toEpochMilli() - lastSweep > ORPHAN_SWEEP_MILLIS) {
            lastSweep = now.toEpochMilli();
            sweepOrphans();
        }
    }

    /** Directories of deleted jobs and of attempts that lost their job (another instance may have left them). */
    private void sweepOrphans() {
        ExportDirectory directory = service.directory();
        List<String> onDisk = directory.jobIds();
        if (onDisk.isEmpty()) {
            return;
        }
        List<String> known = jobs.existing(onDisk);
        for (String jobId : onDisk) {
            if (!known.contains(jobId)) {
                directory.deleteJob(jobId);
                continue;
            }
            jobs.find(jobId).ifPresent(job -> directory.attempts(jobId).stream()
                    .filter(attempt -> attempt != job.attempt())
                    .forEach(attempt -> directory.deleteAttempt(jobId, attempt)));
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown-host";
        }
    }
}
