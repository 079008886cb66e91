-- Search plans that do not depend on fresh planner statistics (issue 14, item 3), continued from V10.
-- ix_reference_url began with (res_type, param), as ix_reference_target does. Without statistics PostgreSQL costs
-- both the same for a search by reference id (subject=Patient/x) and took the URL index: a scan of every reference
-- of that parameter, filtered by id, whose cost grows with the table rather than with the matches. Led by the URL,
-- the index serves only searches that give a URL, and a search by id has just the index that fits it.
DROP INDEX ix_reference_url;
CREATE INDEX ix_reference_url ON idx_reference (target_url, res_type, param);
