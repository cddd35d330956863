-- 3: witnesses. Their cosignatures join the checkpoint's note; each
-- witness's last cosigned size is the next request's "old".
CREATE TABLE IF NOT EXISTS witness_sizes(witness TEXT PRIMARY KEY, size INTEGER NOT NULL);
