-- Versioned FHIR resource store. Portable SQL: runs unchanged on H2 2.x and PostgreSQL 12+.

CREATE SEQUENCE res_seq START WITH 1 INCREMENT BY 50;
CREATE SEQUENCE res_version_seq START WITH 1 INCREMENT BY 50;
CREATE SEQUENCE idx_seq START WITH 1 INCREMENT BY 50;

-- One row per logical resource: its current state.
CREATE TABLE res (
    pk            BIGINT       NOT NULL PRIMARY KEY,
    res_type      VARCHAR(64)  NOT NULL,
    res_id        VARCHAR(64)  NOT NULL,
    version_id    BIGINT       NOT NULL,
    last_updated  TIMESTAMP WITH TIME ZONE NOT NULL,
    deleted       BOOLEAN      NOT NULL,
    content       VARCHAR,
    CONSTRAINT uq_res_type_id UNIQUE (res_type, res_id)
);
CREATE INDEX ix_res_type_updated ON res (res_type, last_updated);

-- Every version ever written, including deletions (content NULL).
CREATE TABLE res_version (
    pk            BIGINT       NOT NULL PRIMARY KEY,
    res_pk        BIGINT       NOT NULL REFERENCES res (pk),
    res_type      VARCHAR(64)  NOT NULL,
    res_id        VARCHAR(64)  NOT NULL,
    version_id    BIGINT       NOT NULL,
    last_updated  TIMESTAMP WITH TIME ZONE NOT NULL,
    method        VARCHAR(8)   NOT NULL,
    content       VARCHAR,
    CONSTRAINT uq_res_version UNIQUE (res_pk, version_id)
);
CREATE INDEX ix_version_updated ON res_version (last_updated);
CREATE INDEX ix_version_type_updated ON res_version (res_type, last_updated);

-- Search index of the current version, one table per value kind.
CREATE TABLE idx_token (
    pk        BIGINT       NOT NULL PRIMARY KEY,
    res_pk    BIGINT       NOT NULL REFERENCES res (pk),
    res_type  VARCHAR(64)  NOT NULL,
    param     VARCHAR(100) NOT NULL,
    sys       VARCHAR(255),
    code      VARCHAR(255)
);
CREATE INDEX ix_token_value ON idx_token (res_type, param, code, sys);
CREATE INDEX ix_token_res ON idx_token (res_pk);

CREATE TABLE idx_string (
    pk          BIGINT       NOT NULL PRIMARY KEY,
    res_pk      BIGINT       NOT NULL REFERENCES res (pk),
    res_type    VARCHAR(64)  NOT NULL,
    param       VARCHAR(100) NOT NULL,
    value_norm  VARCHAR(255) NOT NULL,
    value_exact VARCHAR(255) NOT NULL
);
CREATE INDEX ix_string_norm ON idx_string (res_type, param, value_norm);
CREATE INDEX ix_string_res ON idx_string (res_pk);

CREATE TABLE idx_date (
    pk        BIGINT       NOT NULL PRIMARY KEY,
    res_pk    BIGINT       NOT NULL REFERENCES res (pk),
    res_type  VARCHAR(64)  NOT NULL,
    param     VARCHAR(100) NOT NULL,
    low_ts    TIMESTAMP WITH TIME ZONE NOT NULL,
    high_ts   TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX ix_date_low ON idx_date (res_type, param, low_ts);
CREATE INDEX ix_date_res ON idx_date (res_pk);

CREATE TABLE idx_reference (
    pk          BIGINT       NOT NULL PRIMARY KEY,
    res_pk      BIGINT       NOT NULL REFERENCES res (pk),
    res_type    VARCHAR(64)  NOT NULL,
    param       VARCHAR(100) NOT NULL,
    target_type VARCHAR(64),
    target_id   VARCHAR(64),
    target_url  VARCHAR(512)
);
CREATE INDEX ix_reference_target ON idx_reference (res_type, param, target_id, target_type);
CREATE INDEX ix_reference_url ON idx_reference (res_type, param, target_url);
CREATE INDEX ix_reference_res ON idx_reference (res_pk);

-- One row per resource type: conditional writes lock it so that "search then create" is atomic.
CREATE TABLE type_lock (
    res_type  VARCHAR(64) NOT NULL PRIMARY KEY
);
