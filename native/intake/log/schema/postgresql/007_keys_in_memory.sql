-- 7: leaf hash, device key and account are looked up through each node's
-- index in memory (log/key_index.hpp, log/key_lookups.hpp), as on SQLite
-- since its version 6, not through SQL indexes on random keys: they took
-- about a third of the database's CPU per objection. The sequencer's commit
-- refuses a leaf or device key already logged, as their UNIQUE constraints did.
ALTER TABLE entries DROP CONSTRAINT IF EXISTS entries_leaf_key, DROP CONSTRAINT IF EXISTS entries_device_key_key;
DROP INDEX IF EXISTS openings_by_account;
