package org.alongside.sync.export;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;
import org.alongside.config.AlongsideConfig;
import org.alongside.index.PatientCompartment;
import org.alongside.search.SearchParamRegistry;
import org.alongside.store.WriteHorizon;

/**
 * Bulk Data export as the HTTP edge needs it: kick off a job, look at it, cancel it, find its files. The work
 * itself is done by {@link ExportWorker} on whichever instance claims the job.
 */
@ApplicationScoped
public class BulkExportService {

    @Inject
    AlongsideConfig config;

    @Inject
    ExportJobs jobs;

    @Inject
    SearchParamRegistry registry;

    @Inject
    PatientCompartment compartment;

    @Inject
    WriteHorizon writes;

    @Inject
    Event<ExportJobQueued> queued;

    private final Clock clock = Clock.systemUTC();
    private KickoffParser parser;
    private ExportDirectory directory;

    @PostConstruct
    void setUp() {
        parser = new KickoffParser(registry.resourceTypes(), compartment.types());
        directory = new ExportDirectory(config.exportDirectory());
    }

    public KickoffParser parser() {
        return parser;
    }

    /**
     * Queues a job whose transaction time is now, with the store's write mark taken first: work starts once every
     * transaction writing at kick-off has finished, so the export misses no version stamped before its time.
     */
    public ExportJob kickOff(ExportRequest request, String requester) {
        long writeMark = writes.mark();
        Instant transactionTime = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        ExportJob job = ExportJob.queued(UUID.randomUUID().toString(), requester, request, transactionTime, writeMark);
        jobs.create(job);
        queued.fire(new ExportJobQueued(job.id()));
        return job;
    }

    /**
     * The job, if {@code requester} kicked it off. Anyone else is told it does not exist: a status URL or file
     * link that leaks (a log, a proxy) gives another client nothing.
     */
    public Optional<ExportJob> find(String jobId, String requester) {
        return (validId(jobId) ? jobs.find(jobId) : Optional.<ExportJob>empty())
                .filter(job -> job.requester() != null && job.requester().equals(requester));
    }

    /** Cancels (or, when done, deletes) the requester's job and removes its files; false when unknown. */
    public boolean cancel(String jobId, String requester) {
        return find(jobId, requester).isPresent() && remove(jobId);
    }

    /** Removes a job and its files, whoever started it (retention); false when it was gone already. */
    boolean remove(String jobId) {
        if (!jobs.delete(jobId)) {
            return false;
        }
        directory.deleteJob(jobId); // a worker still writing notices at its next heartbeat and removes its own files
        return true;
    }

    /** The file of a completed job, when the job lists it and it is still on disk. */
    public Optional<Path> file(String jobId, String fileName, String requester) {
        return find(jobId, requester).filter(job -> job.state() == ExportJob.State.COMPLETED)
                .flatMap(job -> job.files().stream().filter(f -> f.name().equals(fileName)).findFirst()
                        .map(f -> directory.file(job, f)))
                .filter(Files::isRegularFile);
    }

    /** When a finished job and its files are removed. */
    public Instant expiresAt(ExportJob job) {
        return job.finishedAt().plus(config.exportRetention());
    }

    public PatientCompartment compartment() {
        return compartment;
    }

    public ExportDirectory directory() {
        return directory;
    }

    private static boolean validId(String jobId) {
        try {
            return jobId != null && UUID.fromString(jobId).toString().equals(jobId);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
