#!/usr/bin/env python3
"""Rewrites entry INDEX of an intake's SQLite store with another signed entry
and its opening, then recomputes every Merkle node, as a dishonest log would
before signing its next checkpoint. For the verifier's tests only.

    rewrite_log.py LOG_SQLITE INDEX RECEIPT_JSON
"""
import hashlib
import json
import sqlite3
import sys

db_path, index, receipt_path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
receipt = json.load(open(receipt_path))
entry = json.dumps(receipt["entry"], sort_keys=True, separators=(",", ":"), ensure_ascii=False)
db = sqlite3.connect(db_path)
leaf = hashlib.sha256(b"\x00" + entry.encode()).digest()
device_key = __import__("base64").b64decode(receipt["entry"]["statement"]["device_key"])
r = __import__("base64").b64decode(receipt["opening"]["r"])
db.execute("UPDATE entries SET entry = ?, leaf = ?, device_key = ? WHERE idx = ?", (entry, leaf, device_key, index))
db.execute("UPDATE openings SET account = ?, r = ? WHERE idx = ?", (receipt["opening"]["account"], r, index))
leaves = [row[0] for row in db.execute("SELECT leaf FROM entries ORDER BY idx")]
db.execute("DELETE FROM nodes")
level, row = 0, leaves
while row:
    db.executemany("INSERT INTO nodes(level, idx, hash) VALUES(?,?,?)", [(level, i, h) for i, h in enumerate(row)])
    row = [hashlib.sha256(b"\x01" + row[i] + row[i + 1]).digest() for i in range(0, len(row) - 1, 2)]
    level += 1
db.commit()
