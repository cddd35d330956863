#include "core/objection/entry.hpp"

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

void write_jcs(JcsWriter& w, const Entry& entry) {
  w.object().key("sig").base64(entry.sig).key("statement");
  write_jcs(w, entry.statement);
  w.end();
}

json to_json(const Entry& entry) { return parse_json(entry_bytes(entry)).value(); }

Result<Entry> entry_from_json(JsonValue j, std::string_view where) {
  OBJECTOR_RETURN_IF_ERROR(expect_object(j, where, {"statement", "sig"}));
  OBJECTOR_TRY(auto statement, statement_from_json(j.at("statement"), field_path(where, "statement")));
  OBJECTOR_TRY(auto sig, get_base64<64>(j, "sig", where));
  return Entry{std::move(statement), sig};
}

std::string entry_bytes(const Entry& entry) {
  JcsWriter w;
  write_jcs(w, entry);
  return w.take();
}

Hash entry_leaf_hash(const Entry& entry) { return leaf_hash(as_bytes(entry_bytes(entry))); }

Result<std::string> verified_entry_bytes(const Entry& entry) {
  auto bytes = entry_bytes(entry);
  // JCS sorts "sig" first, and base64 holds no quote: the first "statement"
  // key is the one, and its value runs to the entry's closing brace.
  constexpr std::string_view kKey = "\"statement\":";
  auto at = bytes.find(kKey) + kKey.size();
  OBJECTOR_RETURN_IF_ERROR(
      verify_statement_signature(entry, std::string_view(bytes).substr(at, bytes.size() - at - 1)));
  return bytes;
}

namespace {

// One reader per thread: its tape is reused, so reading an entry allocates
// nothing but the Statement's own strings.
JsonDocument& entry_reader() {
  thread_local JsonDocument doc;
  return doc;
}

Result<Entry> read_entry(std::string_view bytes, std::string_view& statement_bytes) {
  auto& doc = entry_reader();
  OBJECTOR_TRY(auto j, doc.parse(bytes, {.max_bytes = kMaxEntryBytes, .max_depth = 4}));
  OBJECTOR_TRY(auto entry, entry_from_json(j));
  // The schema holds only strings and integers, so the reader's check is
  // the whole of "these are the bytes canonicalize() writes".
  if (!doc.canonical()) {
    return make_error(errc::not_canonical, "entry: bytes are not in canonical (RFC 8785) form");
  }
  statement_bytes = j.at("statement").raw();
  return entry;
}

}  // namespace

Result<Entry> parse_entry_bytes(std::string_view bytes) {
  std::string_view statement;
  return read_entry(bytes, statement);
}

Result<Entry> verify_entry_bytes(std::string_view bytes) {
  std::string_view statement;
  OBJECTOR_TRY(auto entry, read_entry(bytes, statement));
  OBJECTOR_RETURN_IF_ERROR(verify_statement_signature(entry, statement));
  return entry;
}

}  // namespace objector
