#include "core/objection/entry.hpp"

#include "core/json/jcs.hpp"
#include "core/json/json_fields.hpp"
#include "core/tlog/merkle.hpp"

namespace objector {

Entry sign_statement(Statement statement, const SigningKey& device_key) {
  auto sig = device_key.sign(as_bytes(canonical_bytes(statement)));
  return Entry{std::move(statement), sig};
}

namespace {

Status verify_statement_signature(const Entry& entry, std::string_view statement_bytes) {
  if (!verify_signature(entry.statement.device_key, as_bytes(statement_bytes), entry.sig)) {
    // libsodium rejects malformed keys in the verification itself; the
    // subgroup check that names the cause costs a scalar multiplication, so
    // it runs only on failure.
    if (!is_valid_public_key(entry.statement.device_key)) {
      return make_error(errc::bad_key, "statement.device_key: not a valid Ed25519 public key");
    }
    return make_error(errc::bad_signature,
                      "entry.sig: statement signature invalid (the statement was changed after "
                      "signing, or signed by another key)");
  }
  return Ok{};
}

}  // namespace

Status verify_entry(const Entry& entry) { return verify_statement_signature(entry, canonical_bytes(entry.statement)); }

json to_json(const Entry& entry) {
  return {{"statement", to_json(entry.statement)}, {"sig", base64_encode(entry.sig)}};
}

Result<Entry> entry_from_json(const json& j, std::string_view where) {
  OBJECTOR_RETURN_IF_ERROR(expect_object(j, where, {"statement", "sig"}));
  OBJECTOR_TRY(auto statement, statement_from_json(j.at("statement"), field_path(where, "statement")));
  OBJECTOR_TRY(auto sig, get_base64<64>(j, "sig", where));
  return Entry{std::move(statement), sig};
}

std::string entry_bytes(const Entry& entry) { return canonicalize(to_json(entry)).value(); }

Hash entry_leaf_hash(const Entry& entry) { return leaf_hash(as_bytes(entry_bytes(entry))); }

Result<Entry> parse_entry_bytes(std::string_view bytes) {
  OBJECTOR_TRY(auto j, parse_json(bytes, {.max_bytes = kMaxEntryBytes, .max_depth = 4}));
  OBJECTOR_TRY(auto entry, entry_from_json(j));
  if (entry_bytes(entry) != bytes) {
    return make_error(errc::not_canonical, "entry: bytes are not in canonical (RFC 8785) form");
  }
  return entry;
}

Result<Entry> verify_entry_bytes(std::string_view bytes) {
  OBJECTOR_TRY(auto entry, parse_entry_bytes(bytes));
  // Canonical: {"sig":"<88 base64 characters>","statement":<statement JCS>}
  constexpr std::string_view kStatementKey = ",\"statement\":";
  auto at = bytes.find(kStatementKey);
  auto start = at + kStatementKey.size();
  OBJECTOR_RETURN_IF_ERROR(verify_statement_signature(entry, bytes.substr(start, bytes.size() - start - 1)));
  return entry;
}

}  // namespace objector
