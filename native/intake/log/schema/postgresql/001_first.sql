-- The SQLite store's version 3 plus what several nodes need.
CREATE TABLE entries(
  idx bigint PRIMARY KEY, leaf bytea NOT NULL UNIQUE, device_key bytea NOT NULL UNIQUE, entry text NOT NULL);
CREATE TABLE openings(
  idx bigint PRIMARY KEY REFERENCES entries(idx), account text NOT NULL, r bytea NOT NULL, reason text,
  received bigint NOT NULL);
CREATE INDEX openings_with_reason ON openings(received) WHERE reason IS NOT NULL;
CREATE TABLE nodes(level bigint NOT NULL, idx bigint NOT NULL, hash bytea NOT NULL, PRIMARY KEY(level, idx));
CREATE TABLE checkpoints(size bigint PRIMARY KEY, note text NOT NULL);
CREATE TABLE witness_sizes(witness text PRIMARY KEY, size bigint NOT NULL);
-- The latest checkpoint's size (NULL before the first): what a batch compares and swaps.
CREATE TABLE log_head(one boolean PRIMARY KEY DEFAULT true CHECK (one), size bigint);
INSERT INTO log_head VALUES (true, NULL);
-- Submissions accepted by a node that does not sequence; one row per leaf across all nodes.
-- UNLOGGED (no WAL, so queueing costs no flush): nothing in it has been acknowledged, and
-- after a crash of the database, or on a standby, it is empty; senders are told to send again.
-- A few batches' worth at most: sorted without an index.
CREATE UNLOGGED TABLE pending(
  leaf bytea PRIMARY KEY, device_key bytea NOT NULL, entry text NOT NULL, account text NOT NULL, r bytea NOT NULL,
  reason text, received bigint NOT NULL, queued bigserial);
