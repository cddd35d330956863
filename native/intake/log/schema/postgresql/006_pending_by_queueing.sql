-- 6: a pending row per queueing, not per submission (log/pending_row.hpp):
-- the database's cost is per row (the heap, two indexes, the probe into
-- entries, their vacuum), and a follower queues tens of submissions at once.
-- The leader settles duplicates (antispam.hpp), as it does for its own queue.
-- Still UNLOGGED: nothing in it has been acknowledged. Rows of version 5 are
-- dropped with their table: their senders are told 503 and send again.
-- `submissions` is stored out of line without compression (EXTERNAL): the
-- row is read once and compressing it costs more than it saves.
DROP TABLE IF EXISTS pending;
CREATE UNLOGGED TABLE pending(id bigserial PRIMARY KEY, count bigint NOT NULL, submissions bytea NOT NULL);
ALTER TABLE pending ALTER COLUMN submissions SET STORAGE EXTERNAL;
