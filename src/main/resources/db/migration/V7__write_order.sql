-- The change feed orders versions by the place of their writing transaction in the write order (the transaction
-- id on PostgreSQL) and hands out only those below the oldest transaction still running: no settle window.
-- Versions written before this migration keep place 0 and follow one another in key order.
ALTER TABLE res_version ADD COLUMN write_order BIGINT DEFAULT 0 NOT NULL;
CREATE INDEX ix_version_write_order ON res_version (write_order, pk);
CREATE INDEX ix_version_type_write_order ON res_version (res_type, write_order, pk);

-- An export starts once every transaction that had its place when it was kicked off has finished, so a version
-- stamped before its transaction time is never missed. Jobs queued before this migration have none and start as
-- their not_before says.
ALTER TABLE export_job ADD COLUMN write_mark BIGINT;
