-- 1: the first schema (version 0 = an empty file, or a store from before versions).
CREATE TABLE IF NOT EXISTS entries(
  idx INTEGER PRIMARY KEY, leaf BLOB NOT NULL UNIQUE, device_key BLOB NOT NULL UNIQUE, entry TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS openings(
  idx INTEGER PRIMARY KEY REFERENCES entries(idx), account TEXT NOT NULL, r BLOB NOT NULL,
  contact TEXT, reason TEXT, received INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS nodes(
  level INTEGER NOT NULL, idx INTEGER NOT NULL, hash BLOB NOT NULL, PRIMARY KEY(level, idx)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS checkpoints(size INTEGER PRIMARY KEY, note TEXT NOT NULL);
