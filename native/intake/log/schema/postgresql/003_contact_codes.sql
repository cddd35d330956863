-- 3: one-time codes for people who object with an e-mail address
-- (contact/contact_codes.hpp): a keyed hash of the address, never the address.
CREATE TABLE contact_codes(
  id bigserial PRIMARY KEY,
  address_key bytea NOT NULL,
  sent bigint NOT NULL,
  expires bigint NOT NULL,
  code_hash bytea,
  state smallint NOT NULL,
  attempts bigint NOT NULL DEFAULT 0
);
CREATE INDEX contact_codes_by_address ON contact_codes(address_key);
