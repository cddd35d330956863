// A thin RAII layer over libpq (why not libpqxx: it reports errors by
// exceptions, and Objector's native code keeps errors as values; what the
// intake needs is a dozen calls). Every query uses the binary protocol both
// ways: int8, bytea and text parameters go as bytes (no quoting, no escaping),
// whole batches as one-dimensional arrays for unnest().
// Thread safety: a Connection and its results belong to one thread at a time.
#pragma once

#include <libpq-fe.h>

#include <chrono>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/bytes.hpp"
#include "core/result.hpp"

namespace objector::native::pg {

// Query parameters, appended in order ($1, $2, ...).
class Params {
 public:
  Params& int8(std::int64_t v);
  Params& bytea(ByteView b);
  Params& text(std::string_view t);
  Params& null_text();
  // One-dimensional arrays (int8[], bytea[], text[]) for unnest() and ANY().
  Params& int8_array(const std::vector<std::int64_t>& v);
  Params& bytea_array(const std::vector<ByteView>& v);
  // Null elements where an optional is empty.
  Params& text_array(const std::vector<std::optional<std::string_view>>& v);

  int size() const { return static_cast<int>(values_.size()); }
  const Oid* types() const { return types_.data(); }
  const char* const* values() const { return values_.data(); }
  const int* lengths() const { return lengths_.data(); }
  const int* formats() const { return formats_.data(); }

 private:
  Params& add(Oid type, const char* data, std::size_t size);
  Params& own(Oid type, std::string bytes);
  Params& array(Oid array_type, Oid element, const std::vector<std::optional<std::string_view>>& elements);
  std::vector<Oid> types_;
  std::vector<const char*> values_;
  std::vector<int> lengths_;
  std::vector<int> formats_;
  std::deque<std::string> owned_;  // encoded values; a deque keeps their addresses
};

// The rows of a finished query (binary format).
class Rows {
 public:
  explicit Rows(PGresult* r) : r_(r, PQclear) {}
  int size() const { return PQntuples(r_.get()); }
  bool null(int row, int col) const { return PQgetisnull(r_.get(), row, col) != 0; }
  std::int64_t int8(int row, int col) const;
  std::string text(int row, int col) const;  // also bytea, as bytes
  Bytes bytes(int row, int col) const;
  bool hash(int row, int col, Hash& out) const;
  std::int64_t affected() const;  // rows an INSERT/UPDATE/DELETE touched
  bool succeeded() const;
  const char* message() const { return r_ ? PQresultErrorMessage(r_.get()) : nullptr; }
  std::string_view sqlstate() const;  // "" when there is none (the session broke first)

 private:
  std::unique_ptr<PGresult, void (*)(PGresult*)> r_;
};

class Connection {
 public:
  // `uri` as libpq takes it; a password comes from PGPASSWORD or a password
  // file, never from Objector's config.
  static Result<Connection> open(const std::string& uri);
  Connection(Connection&&) noexcept = default;
  Connection& operator=(Connection&&) noexcept = default;

  // `what` says what failed in the error ("cannot store entries: <server
  // message>"). A server that cannot be reached, has gone or is shutting
  // down gives store_unavailable (retry later); anything else storage_error.
  // `sql` is a fixed text with $n placeholders: it is prepared once per
  // session (values in the text would prepare a statement per value).
  Result<Rows> query(const char* sql, const Params& params, const char* what);
  Result<Rows> query(const char* sql, const char* what) { return query(sql, Params{}, what); }
  // Statements without parameters, several allowed (the simple protocol).
  Status exec(const char* sql, const char* what);
  // Whether the session is still usable (a server that ended it, a broken
  // socket). libpq reports a session the server closed as still open until
  // a second query fails: a query that failed without a SQLSTATE (libpq's
  // own error, not the server's answer) ends it here at once.
  bool alive() const { return !lost_ && PQstatus(c_.get()) == CONNECTION_OK; }

  // LISTEN/NOTIFY: waits up to `timeout` for notifications on the channels
  // this session listens to; their payloads (none: the time passed).
  Result<std::vector<std::string>> wait_notifications(std::chrono::milliseconds timeout);

 private:
  explicit Connection(PGconn* c) : c_(c, PQfinish) {}
  // The error of a failed query, marking the session lost when the server gave no answer.
  Error failed(const Rows& rows, const char* what);
  std::unique_ptr<PGconn, void (*)(PGconn*)> c_;
  bool lost_ = false;
  // Each query's text, prepared on first use under a name of this session:
  // parsed and planned once (a tenth of the database's time, measured), and
  // planned without the batch's size, so never as a scan of a whole table.
  std::unordered_map<std::string, std::string> prepared_;
};

// A connection URI Objector accepts in config.json: postgresql:// or
// postgres://, without a password in it.
Status check_uri(std::string_view uri, const std::string& field);

}  // namespace objector::native::pg
