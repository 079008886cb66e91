-- rest-hook Subscriptions: a durable outbox written in the transaction of the change it reports.
-- Portable SQL: runs unchanged on H2 2.x and PostgreSQL 12+.

CREATE SEQUENCE sub_event_seq START WITH 1 INCREMENT BY 50;

-- A single row whose generation every Subscription write bumps: each instance compares it with the generation
-- of its cache of active Subscriptions and re-reads them when it changed (so all instances agree at once).
CREATE TABLE sub_registry (
    id          INT     NOT NULL PRIMARY KEY,
    generation  BIGINT  NOT NULL
);
INSERT INTO sub_registry (id, generation) VALUES (1, 0);

-- Per Subscription: the last event number handed out. A writer locks the row until it commits, so event numbers
-- follow commit order and a worker never sees event n+1 before event n. Never deleted: numbers never restart.
CREATE TABLE sub_counter (
    sub_id      VARCHAR(64) NOT NULL PRIMARY KEY,
    last_event  BIGINT      NOT NULL
);

-- Per Subscription: delivery state. Workers claim rows with FOR UPDATE SKIP LOCKED and lease them for a while;
-- a crashed instance's lease simply expires.
CREATE TABLE sub_delivery (
    sub_id        VARCHAR(64)  NOT NULL PRIMARY KEY,
    active        BOOLEAN      NOT NULL,
    next_attempt  TIMESTAMP WITH TIME ZONE NOT NULL,
    failures      INT          NOT NULL,
    lease_owner   VARCHAR(100),
    lease_until   TIMESTAMP WITH TIME ZONE
);

-- The outbox: one row per (Subscription, resource version) that matched, until it is delivered.
CREATE TABLE sub_event (
    pk            BIGINT       NOT NULL PRIMARY KEY,
    sub_id        VARCHAR(64)  NOT NULL,
    event_number  BIGINT       NOT NULL,
    res_type      VARCHAR(64)  NOT NULL,
    res_id        VARCHAR(64)  NOT NULL,
    version_id    BIGINT       NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    attempts      INT          NOT NULL,
    CONSTRAINT uq_sub_event UNIQUE (sub_id, event_number)
);
