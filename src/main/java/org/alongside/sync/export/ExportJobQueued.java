package org.alongside.sync.export;

/**
 * Fired when a job is queued on this instance, so the local worker can claim it at once instead of at its next
 * poll. Other instances still find it by polling.
 */
public record ExportJobQueued(String jobId) {
}
