-- PostgreSQL only (the embedded database plans without such statistics). Issue 14, item 5: a peer's caseload.
-- The planner takes the columns of an index row as independent. A token condition fixes res_type, param, code and
-- sys together, so it multiplied four selectivities: for ServiceRequest?code=<assignment> it expected one row where
-- a million-resource store held 20,000, started its plan there and probed the other conditions 20,000 times
-- (600 ms). Statistics over the columns together (their most common combinations and how one column determines
-- another) give the real count, and the plan starts from the narrowest condition (3.6 ms on the same store).
CREATE STATISTICS st_token_value (dependencies, mcv) ON res_type, param, code, sys FROM idx_token;
CREATE STATISTICS st_reference_target (dependencies, mcv) ON res_type, param, target_type, target_id FROM idx_reference;
CREATE STATISTICS st_date_param (dependencies, mcv) ON res_type, param FROM idx_date;
CREATE STATISTICS st_string_param (dependencies, mcv) ON res_type, param FROM idx_string;

-- Built now, so that a store upgraded in place does not wait for its next change of a tenth of its rows.
ANALYZE idx_token;
ANALYZE idx_reference;
ANALYZE idx_date;
ANALYZE idx_string;
