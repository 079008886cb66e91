package org.alongside.sync.export;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.LenientErrorHandler;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.alongside.index.PatientCompartment;
import org.alongside.store.SnapshotQuery;
import org.alongside.store.SnapshotReader;
import org.alongside.store.SnapshotRow;
import org.alongside.store.WriteHorizon;

/**
 * Runs one claimed job: for each type, reads the snapshot at the job's transaction time page by page and streams it
 * into NDJSON files, sending a heartbeat every few seconds. When a heartbeat says the job is no longer this
 * attempt's (cancelled, or taken over after a silence), it stops and removes what it wrote.
 */
public final class ExportRunner {

    private static final Logger LOG = Logger.getLogger(ExportRunner.class.getName());
    private static final long HEARTBEAT_MILLIS = 2000;
    private static final long WAIT_STEP_MILLIS = 25;

    private final SnapshotReader reader;
    private final WriteHorizon writes;
    private final ExportJobs jobs;
    private final ExportDirectory directory;
    private final PatientCompartment compartment;
    private final FhirContext fhirContext;
    private final int pageSize;
    private final long maxPerFile;
    private final Clock clock;

    public ExportRunner(SnapshotReader reader, WriteHorizon writes, ExportJobs jobs, ExportDirectory directory,
                        PatientCompartment compartment, FhirContext fhirContext, int pageSize, long maxPerFile,
                        Clock clock) {
        this.reader = reader;
        this.writes = writes;
        this.jobs = jobs;
        this.directory = directory;
        this.compartment = compartment;
        this.fhirContext = fhirContext;
        this.pageSize = pageSize;
        this.maxPerFile = maxPerFile;
        this.clock = clock;
    }

    public void run(ExportJob job) {
        Attempt attempt = new Attempt(job);
        try {
            if (!awaitWritesInFlight(job, attempt)) {
                return;
            }
            Path out = directory.prepare(job.id(), job.attempt());
            List<ExportFile> files = new ArrayList<>();
            for (String type : job.request().types()) {
                files.addAll(exportType(job, type, out, attempt));
                if (attempt.stopped) {
                    break;
                }
            }
            if (attempt.stopped || !jobs.complete(job.id(), job.attempt(), files, clock.instant())) {
                directory.deleteAttempt(job.id(), job.attempt());
            }
        } catch (RuntimeException e) {
            String incident = UUID.randomUUID().toString();
            // classes and code locations only: messages of drivers and parsers can quote resource content
            LOG.log(Level.SEVERE, "Export job " + job.id() + " failed, incident " + incident + ": "
                    + describeWithoutMessages(e));
            jobs.fail(job.id(), job.attempt(), "Export failed; incident " + incident, clock.instant());
            directory.deleteAttempt(job.id(), job.attempt());
        }
    }

    /**
     * Waits until every transaction that was writing at kick-off has finished (milliseconds, normally; never longer
     * than the transaction timeout). False when this attempt lost the job or the server is stopping meanwhile.
     */
    private boolean awaitWritesInFlight(ExportJob job, Attempt attempt) {
        while (job.writeMark() != null && !writes.passed(job.writeMark())) {
            if (!attempt.alive("(waiting for writes in flight at the transaction time)")) {
                return false;
            }
            try {
                Thread.sleep(WAIT_STEP_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private List<ExportFile> exportType(ExportJob job, String type, Path out, Attempt attempt) {
        boolean patientLevel = job.request().level() == ExportLevel.PATIENT;
        SnapshotQuery query = new SnapshotQuery(type, job.transactionTime(), job.request().since(),
                patientLevel ? compartment.paramNames(type) : List.of(), pageSize);
        IParser parser = fhirContext.newJsonParser().setParserErrorHandler(new LenientErrorHandler(false));
        try (NdjsonFileWriter writer = new NdjsonFileWriter(out, type, maxPerFile)) {
            reader.read(query, (SnapshotRow row) -> {
                // a version older than the current one is not described by the index: check it here
                if (patientLevel && !row.indexed() && !compartment.contains(parser.parseResource(row.json()), type)) {
                    return attempt.alive(type);
                }
                writer.write(row.json());
                attempt.written++;
                return attempt.alive(type);
            });
            return writer.finish();
        }
    }

    /** The state of this attempt: how much it wrote and whether it still holds the job. */
    private final class Attempt {
        private final ExportJob job;
        private long written;
        private long lastBeat;
        private boolean stopped;

        Attempt(ExportJob job) {
            this.job = job;
        }

        boolean alive(String type) {
            if (Thread.currentThread().isInterrupted()) {
                stopped = true; // the server is stopping: the job stays running and another attempt takes it over
                return false;
            }
            long now = clock.millis();
            if (now - lastBeat >= HEARTBEAT_MILLIS) {
                lastBeat = now;
                if (!jobs.heartbeat(job.id(), job.attempt(), "exporting " + type + "; " + written
                        + " resources written", Instant.ofEpochMilli(now))) {
                    stopped = true;
                }
            }
            return !stopped;
        }
    }

    static String describeWithoutMessages(Throwable exception) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = exception; t != null && t.getCause() != t; t = t.getCause()) {
            text.append(t == exception ? "" : " caused by ").append(t.getClass().getName());
            StackTraceElement[] frames = t.getStackTrace();
            if (frames.length > 0) {
                text.append(" at ").append(frames[0]);
            }
        }
        return text.toString();
    }
}
