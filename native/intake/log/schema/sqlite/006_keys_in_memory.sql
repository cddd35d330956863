-- 6: leaf hash, device key and account are looked up through the intake's
-- index in memory (log/key_index.hpp), not SQL indexes: SQLite writes a page
-- per key to such an index once it outgrows a batch. The tables are rebuilt
-- without them (a UNIQUE constraint's index cannot be dropped), and openings
-- without its foreign key, which would keep entries from being dropped.
CREATE TABLE entries_v6(idx INTEGER PRIMARY KEY, leaf BLOB NOT NULL, device_key BLOB NOT NULL, entry TEXT NOT NULL);
INSERT INTO entries_v6(idx, leaf, device_key, entry) SELECT idx, leaf, device_key, entry FROM entries ORDER BY idx;
CREATE TABLE openings_v6(
  idx INTEGER PRIMARY KEY, account TEXT NOT NULL, r BLOB NOT NULL, reason TEXT, received INTEGER NOT NULL);
INSERT INTO openings_v6(idx, account, r, reason, received) SELECT idx, account, r, reason, received FROM openings ORDER BY idx;
DROP TABLE openings;
DROP TABLE entries;
ALTER TABLE entries_v6 RENAME TO entries;
ALTER TABLE openings_v6 RENAME TO openings;
CREATE INDEX openings_with_reason ON openings(received) WHERE reason IS NOT NULL;
