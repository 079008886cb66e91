-- The audit trail: one row per audited interaction, append-only (no code path updates a committed row or
-- deletes one; the API serves it read-only). Production deployments can also revoke UPDATE and DELETE on
-- these tables from the application's database user (docs/security.md).
CREATE SEQUENCE audit_seq START WITH 1 INCREMENT BY 50;
CREATE SEQUENCE audit_entity_seq START WITH 1 INCREMENT BY 50;

CREATE TABLE audit_event (
    seq        BIGINT       NOT NULL PRIMARY KEY,
    id         VARCHAR(64)  NOT NULL,
    recorded   TIMESTAMP WITH TIME ZONE NOT NULL,
    agent      VARCHAR(256),
    subtype    VARCHAR(256) NOT NULL,
    outcome    VARCHAR(4)   NOT NULL,
    request_id VARCHAR(128),
    content    VARCHAR      NOT NULL,
    CONSTRAINT uq_audit_event_id UNIQUE (id)
);
CREATE INDEX ix_audit_event_recorded ON audit_event (recorded);
CREATE INDEX ix_audit_event_request ON audit_event (request_id);

-- What each event touched: resource references, and the patients they belong to (for accounting).
CREATE TABLE audit_entity (
    pk         BIGINT       NOT NULL PRIMARY KEY,
    audit_seq  BIGINT       NOT NULL REFERENCES audit_event (seq),
    reference  VARCHAR(256) NOT NULL,
    is_patient BOOLEAN      NOT NULL
);
CREATE INDEX ix_audit_entity_reference ON audit_entity (reference, audit_seq);
