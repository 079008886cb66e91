-- Bulk Data $export jobs. Portable SQL: runs unchanged on H2 2.x and PostgreSQL 12+.

-- One row per export job: the request, its fixed transaction time, and who works on it.
CREATE TABLE export_job (
    job_id            VARCHAR(36)   NOT NULL PRIMARY KEY,
    state             VARCHAR(16)   NOT NULL,
    export_level      VARCHAR(16)   NOT NULL,
    res_types         VARCHAR(2000) NOT NULL,
    since_ts          TIMESTAMP WITH TIME ZONE,
    request_url       VARCHAR(4000) NOT NULL,
    transaction_time  TIMESTAMP WITH TIME ZONE NOT NULL,
    -- the job waits until every write stamped before transaction_time has committed (the settle window)
    not_before        TIMESTAMP WITH TIME ZONE NOT NULL,
    created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    owner             VARCHAR(64),
    heartbeat_at      TIMESTAMP WITH TIME ZONE,
    attempt           INTEGER       NOT NULL,
    progress          VARCHAR(200),
    finished_at       TIMESTAMP WITH TIME ZONE,
    error_text        VARCHAR(1000)
);
CREATE INDEX ix_export_job_state ON export_job (state, not_before);

-- The NDJSON files of a completed job.
CREATE TABLE export_file (
    job_id          VARCHAR(36)  NOT NULL REFERENCES export_job (job_id) ON DELETE CASCADE,
    file_name       VARCHAR(100) NOT NULL,
    res_type        VARCHAR(64)  NOT NULL,
    resource_count  BIGINT       NOT NULL,
    seq             INTEGER      NOT NULL,
    PRIMARY KEY (job_id, file_name)
);

-- Export reads each type in key order, page by page.
CREATE INDEX ix_res_type_pk ON res (res_type, pk);
