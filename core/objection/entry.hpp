// A log entry (FORMAT.md §3): a statement and its device signature. The entry
// bytes are the JCS of {"statement": ..., "sig": ...}; the leaf hash is
// RFC 9162's SHA-256(0x00 || entry bytes).
// Thread safety: pure functions; Entry is a plain value.
#pragma once

#include "core/objection/statement.hpp"

namespace objector {

inline constexpr std::size_t kMaxEntryBytes = 4096;

struct Entry {
  Statement statement;
  Signature sig{};
};

Entry sign_statement(Statement statement, const SigningKey& device_key);
Status verify_entry(const Entry& entry);  // the signature, by statement.device_key

void write_jcs(JcsWriter& w, const Entry& entry);
json to_json(const Entry& entry);  // a DOM of entry_bytes()
Result<Entry> entry_from_json(JsonValue j, std::string_view where = "entry");

std::string entry_bytes(const Entry& entry);
Hash entry_leaf_hash(const Entry& entry);
// entry_bytes() of an entry whose signature verify_entry() accepts (its
// error otherwise): the signature is checked over the statement's bytes
// within them, so the statement is serialized once.
Result<std::string> verified_entry_bytes(const Entry& entry);

// Parses bytes stored in the log; they must already be canonical JCS, so one
// entry has exactly one byte form and one leaf hash.
Result<Entry> parse_entry_bytes(std::string_view bytes);

// parse_entry_bytes and verify_entry in one: the signature is checked over
// the statement's bytes as they stand in the canonical entry, so the
// statement is not serialized a second time.
Result<Entry> verify_entry_bytes(std::string_view bytes);

}  // namespace objector
