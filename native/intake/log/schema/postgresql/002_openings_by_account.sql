-- 2: an account's own objections (GET /v1/objections) without reading every opening.
CREATE INDEX IF NOT EXISTS openings_by_account ON openings(account);
