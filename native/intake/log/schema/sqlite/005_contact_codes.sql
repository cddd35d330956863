-- 5: one-time codes for people who object with an e-mail address
-- (contact/contact_codes.hpp): a keyed hash of the address, never the address.
CREATE TABLE contact_codes(
  id INTEGER PRIMARY KEY,
  address_key BLOB NOT NULL,
  sent INTEGER NOT NULL,
  expires INTEGER NOT NULL,
  code_hash BLOB,
  state INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX contact_codes_by_address ON contact_codes(address_key);
