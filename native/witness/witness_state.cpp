#include "native/witness/witness_state.hpp"

namespace objector::witness {

using native::db_error;
using native::Stmt;

namespace {

constexpr const char* kMigrations[] = {
    R"(
CREATE TABLE logs(origin TEXT NOT NULL, vkey TEXT NOT NULL, PRIMARY KEY(origin, vkey));
CREATE TABLE checkpoints(origin TEXT PRIMARY KEY, size INTEGER NOT NULL, root BLOB NOT NULL, note TEXT NOT NULL);
CREATE TABLE evidence(id INTEGER PRIMARY KEY, origin TEXT NOT NULL, received INTEGER NOT NULL, request TEXT NOT NULL);
)",
};

}  // namespace

Result<WitnessState> WitnessState::open(const std::filesystem::path& file, bool create) {
  OBJECTOR_TRY(auto db, native::Database::open(file, create, kMigrations, "objector-witness"));
  return WitnessState(std::move(db));
}

Status WitnessState::add_log(const VerifierKey& key) {
  Stmt s(db_.get(), "INSERT OR IGNORE INTO logs(origin, vkey) VALUES(?, ?)");
  auto text = format_verifier_key(key);
  s.bind_text(1, key.name).bind_text(2, text);
  if (s.step() != SQLITE_DONE) return db_error(db_.get(), "cannot add the log");
  return Ok{};
}

Result<std::vector<VerifierKey>> WitnessState::log_keys(std::string_view origin) {
  Stmt s(db_.get(), "SELECT vkey FROM logs WHERE origin = ? ORDER BY vkey");
  s.bind_text(1, origin);
  std::vector<VerifierKey> keys;
  OBJECTOR_RETURN_IF_ERROR(native::each_row(s, "log keys", [&]() -> Status {
    OBJECTOR_TRY(auto key, parse_verifier_key(s.text(0)));
    keys.push_back(std::move(key));
    return Ok{};
  }));
  return keys;
}

Result<std::vector<std::string>> WitnessState::origins() {
  Stmt s(db_.get(), "SELECT DISTINCT origin FROM logs ORDER BY origin");
  std::vector<std::string> out;
  OBJECTOR_RETURN_IF_ERROR(native::each_row(s, "logs", [&]() -> Status {
    out.push_back(s.text(0));
    return Ok{};
  }));
  return out;
}

Result<std::optional<Cosigned>> WitnessState::latest(std::string_view origin) {
  Stmt s(db_.get(), "SELECT size, root, note FROM checkpoints WHERE origin = ?");
  s.bind_text(1, origin);
  int rc = s.step();
  if (rc == SQLITE_DONE) return std::optional<Cosigned>();
  Cosigned c;
  if (rc != SQLITE_ROW || !s.hash(1, c.root)) return db_error(db_.get(), "cannot read the latest checkpoint");
  c.size = static_cast<std::uint64_t>(s.integer(0));
  c.note = s.text(2);
  return std::optional<Cosigned>(std::move(c));
}

Status WitnessState::store(std::string_view origin, const Cosigned& c) {
  Stmt s(db_.get(), "INSERT OR REPLACE INTO checkpoints(origin, size, root, note) VALUES(?, ?, ?, ?)");
  s.bind_text(1, origin).bind(2, static_cast<std::int64_t>(c.size)).bind(3, c.root).bind_text(4, c.note);
  if (s.step() != SQLITE_DONE) return db_error(db_.get(), "cannot store the cosigned checkpoint");
  return Ok{};
}

Result<bool> WitnessState::keep_evidence(std::string_view origin, std::int64_t received, std::string_view request,
                                         std::size_t max_count, std::size_t max_bytes) {
  Stmt held(db_.get(),
            "SELECT count(*), coalesce(sum(length(request)), 0), coalesce(sum(request = ?2), 0) FROM evidence WHERE "
            "origin = ?1");
  held.bind_text(1, origin).bind_text(2, request);
  if (held.step() != SQLITE_ROW) return db_error(db_.get(), "cannot read the evidence");
  auto count = static_cast<std::size_t>(held.integer(0));
  auto bytes = static_cast<std::size_t>(held.integer(1));
  if (held.integer(2) != 0 || count >= max_count || bytes + request.size() > max_bytes) return false;
  Stmt s(db_.get(), "INSERT INTO evidence(origin, received, request) VALUES(?, ?, ?)");
  s.bind_text(1, origin).bind(2, received).bind_text(3, request);
  if (s.step() != SQLITE_DONE) return db_error(db_.get(), "cannot keep the evidence");
  return true;
}

}  // namespace objector::witness
