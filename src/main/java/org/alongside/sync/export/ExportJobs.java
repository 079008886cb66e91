package org.alongside.sync.export;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Durable, cluster-safe storage of export jobs. Several instances share it: {@link #claimNext} hands a job to one
 * of them only, and every later write of the worker names the attempt it holds, so a worker that lost its job (it
 * was cancelled, or taken over after a silence) learns so at its next heartbeat and writes nothing more.
 */
public interface ExportJobs {

    void create(ExportJob job);

    /** The job with its files; empty when unknown or deleted. */
    Optional<ExportJob> find(String id);

    /**
     * Claims one job for {@code owner}: a queued job whose {@code notBefore} has passed, or a running job whose owner
     * has not sent a heartbeat since {@code staleBefore}. The claim increments the attempt. Empty when none is due.
     */
    Optional<ExportJob> claimNext(String owner, Instant now, Instant staleBefore);

    /** Records progress; false when the attempt no longer holds the job (cancelled or taken over). */
    boolean heartbeat(String id, int attempt, String progress, Instant now);

    /** Marks the job completed with its files; false when the attempt no longer holds it. */
    boolean complete(String id, int attempt, List<ExportFile> files, Instant now);

    /** Marks the job failed; false when the attempt no longer holds it. */
    boolean fail(String id, int attempt, String errorText, Instant now);

    /** Removes the job and its file list; false when there was none. */
    boolean delete(String id);

    /** Completed and failed jobs that finished before {@code cutoff}. */
    List<String> finishedBefore(Instant cutoff);

    /** Which of these ids name an existing job. */
    List<String> existing(List<String> ids);
}
