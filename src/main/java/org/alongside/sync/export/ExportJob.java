package org.alongside.sync.export;

import java.time.Instant;
import java.util.List;

/**
 * An export job as stored.
 *
 * @param requester       who kicked it off (the client, see {@code Caller#accountable}); only they may see it
 * @param transactionTime the instant whose state the export writes, fixed at kick-off
 * @param notBefore       when a worker may claim it (the transaction time)
 * @param writeMark       the store's write mark at kick-off ({@code WriteHorizon#mark}): work starts once every
 *                        transaction that was writing then has finished, so no version stamped before the
 *                        transaction time is missed; null for jobs queued before write marks existed
 * @param owner           the instance working on it (while running)
 * @param heartbeatAt     when the owner last said it is alive; an owner silent for too long loses the job
 * @param attempt         how many times the job was claimed; each attempt writes to a directory of its own
 * @param progress        a short text for the X-Progress header
 */
public record ExportJob(String id, String requester, State state, ExportRequest request, Instant transactionTime, Instant notBefore,
                        Long writeMark, Instant createdAt, String owner, Instant heartbeatAt, int attempt, String progress,
                        Instant finishedAt, String errorText, List<ExportFile> files) {

    public ExportJob {
        files = List.copyOf(files);
    }

    public enum State { QUEUED, RUNNING, COMPLETED, FAILED }

    /** A new job, waiting for a worker. */
    public static ExportJob queued(String id, String requester, ExportRequest request, Instant transactionTime,
                                   long writeMark) {
        return new ExportJob(id, requester, State.QUEUED, request, transactionTime, transactionTime, writeMark,
                transactionTime, null, null, 0,
                "queued", null, null, List.of());
    }
}
