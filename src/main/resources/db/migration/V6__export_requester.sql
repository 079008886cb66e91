-- An export job belongs to the client that kicked it off: only that client may poll it, fetch its files or cancel
-- it. Jobs queued before this migration have no requester and are reachable by nobody (they expire as before).
ALTER TABLE export_job ADD COLUMN requester VARCHAR(300);
