-- Topic-based Subscriptions (Subscriptions Backport IG, docs/sync.md): on top of the rest-hook outbox of V4.
-- Portable SQL: runs unchanged on H2 2.x and PostgreSQL 12+.

-- Per Subscription: a handshake still to send (a topic Subscription written as requested), the heartbeat period
-- and when the next heartbeat is due, and who subscribed (the caller whose access decides what a notification may
-- carry; JSON without any token), kept across the server's own status writes.
ALTER TABLE sub_delivery ADD COLUMN handshake BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE sub_delivery ADD COLUMN heartbeat_seconds INT;
ALTER TABLE sub_delivery ADD COLUMN heartbeat_due TIMESTAMP WITH TIME ZONE;
ALTER TABLE sub_delivery ADD COLUMN owner_caller VARCHAR(4000);

-- A topic Subscription's events stay after delivery (delivered_at set) so that $events can hand out a missed one;
-- they are dropped after the retention period. Events of plain R4 Subscriptions are still deleted on delivery.
ALTER TABLE sub_event ADD COLUMN delivered_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE sub_event ADD COLUMN retain BOOLEAN DEFAULT FALSE NOT NULL;
