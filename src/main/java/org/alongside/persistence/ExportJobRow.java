package org.alongside.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One Bulk Data export job (table {@code export_job}); its files are rows of {@code export_file}. */
@Entity
@Table(name = "export_job")
public class ExportJobRow {

    @Id
    @Column(name = "job_id")
    String id;

    @Column(name = "state", nullable = false)
    String state;

    @Column(name = "export_level", nullable = false)
    String level;

    @Column(name = "res_types", nullable = false)
    String types;

    @Column(name = "since_ts")
    Instant since;

    @Column(name = "request_url", nullable = false)
    String requestUrl;

    @Column(name = "requester")
    String requester;

    @Column(name = "transaction_time", nullable = false)
    Instant transactionTime;

    @Column(name = "not_before", nullable = false)
    Instant notBefore;

    @Column(name = "write_mark")
    Long writeMark;

    @Column(name = "created_at", nullable = false)
    Instant createdAt;

    @Column(name = "owner")
    String owner;

    @Column(name = "heartbeat_at")
    Instant heartbeatAt;

    @Column(name = "attempt", nullable = false)
    int attempt;

    @Column(name = "progress")
    String progress;

    @Column(name = "finished_at")
    Instant finishedAt;

    @Column(name = "error_text")
    String errorText;
}
