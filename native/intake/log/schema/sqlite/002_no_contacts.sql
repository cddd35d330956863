-- 2: e-mail contacts were collected without a purpose (the receipt is the
-- confirmation): delete them and the column. Reasons expire (retention.reason_days).
UPDATE openings SET contact = NULL;
ALTER TABLE openings DROP COLUMN contact;
CREATE INDEX IF NOT EXISTS openings_with_reason ON openings(received) WHERE reason IS NOT NULL;
