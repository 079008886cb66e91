-- Search plans that do not depend on fresh planner statistics (issue 14, item 3).
-- Every value index ends with the resource key, so that whichever way the planner joins a search's conditions
-- (the matches of one condition probed against another's, in a nested loop, the plan PostgreSQL picks when a
-- freshly loaded table has no statistics yet), each probe is an index lookup and never a scan of every row with
-- that parameter. A search on a date's upper end (ge, gt, sa and eb prefixes compare high_ts) gets an index of
-- its own: it was a filter over every value of the parameter.
DROP INDEX ix_token_value;
CREATE INDEX ix_token_value ON idx_token (res_type, param, code, sys, res_pk);

DROP INDEX ix_string_norm;
CREATE INDEX ix_string_norm ON idx_string (res_type, param, value_norm, res_pk);

DROP INDEX ix_date_low;
CREATE INDEX ix_date_low ON idx_date (res_type, param, low_ts, res_pk);
CREATE INDEX ix_date_high ON idx_date (res_type, param, high_ts, res_pk);

DROP INDEX ix_reference_target;
CREATE INDEX ix_reference_target ON idx_reference (res_type, param, target_id, target_type, res_pk);
