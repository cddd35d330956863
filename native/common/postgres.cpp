#include "native/common/postgres.hpp"

#include <poll.h>

#include <cstring>

namespace objector::native::pg {

namespace {

// Type OIDs of pg_type (stable across PostgreSQL releases).
constexpr Oid kInt8 = 20, kBytea = 17, kText = 25, kInt8Array = 1016, kByteaArray = 1001, kTextArray = 1009;

void put32(std::string& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((v >> shift) & 0xff));
}

std::string big_endian(std::int64_t v) {
  std::string out;
  auto u = static_cast<std::uint64_t>(v);
  put32(out, static_cast<std::uint32_t>(u >> 32));
  put32(out, static_cast<std::uint32_t>(u));
  return out;
}

Error pg_error(const std::string& what, const char* message, bool unavailable = false) {
  std::string m = message ? message : "out of memory";
  while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
  return make_error(unavailable ? errc::store_unavailable : errc::storage_error, what + ": " + m);
}

// No answer, SQLSTATE class 08 (connection exception) or 57P01-57P03 (the
// server is shutting down, crashed or starting): the database, not the
// request, is the problem.
bool server_unavailable(PGconn* c, const Rows& rows) {
  // No SQLSTATE: the server never answered (libpq found the session closed).
  if (PQstatus(c) != CONNECTION_OK || rows.sqlstate().empty()) return true;
  auto state = rows.sqlstate();
  return state.starts_with("08") || state == "57P01" || state == "57P02" || state == "57P03";
}

Error query_error(PGconn* c, const Rows& rows, const char* what) {
  return pg_error(what, rows.message() && *rows.message() ? rows.message() : PQerrorMessage(c),
                  server_unavailable(c, rows));
}

}  // namespace

Params& Params::add(Oid type, const char* data, std::size_t size) {
  types_.push_back(type);
  values_.push_back(data);
  lengths_.push_back(static_cast<int>(size));
  formats_.push_back(1);
  return *this;
}

Params& Params::own(Oid type, std::string bytes) {
  owned_.push_back(std::move(bytes));
  return add(type, owned_.back().data(), owned_.back().size());
}

Params& Params::int8(std::int64_t v) { return own(kInt8, big_endian(v)); }
Params& Params::bytea(ByteView b) { return add(kBytea, reinterpret_cast<const char*>(b.data()), b.size()); }
Params& Params::text(std::string_view t) { return add(kText, t.data(), t.size()); }
Params& Params::null_text() { return add(kText, nullptr, 0); }

// The binary array format (array_recv): dimensions, a has-nulls flag, the
// element type, the dimension's length and lower bound, then each element
// as a length (-1 for NULL) and its bytes.
Params& Params::array(Oid array_type, Oid element, const std::vector<std::optional<std::string_view>>& elements) {
  std::string out;
  put32(out, 1);
  put32(out, 1);
  put32(out, element);
  put32(out, static_cast<std::uint32_t>(elements.size()));
  put32(out, 1);
  for (const auto& e : elements) {
    if (!e) {
      put32(out, 0xffffffffU);
      continue;
    }
    put32(out, static_cast<std::uint32_t>(e->size()));
    out.append(*e);
  }
  return own(array_type, std::move(out));
}

Params& Params::int8_array(const std::vector<std::int64_t>& v) {
  std::vector<std::string> encoded;
  encoded.reserve(v.size());
  for (auto x : v) encoded.push_back(big_endian(x));
  std::vector<std::optional<std::string_view>> views(encoded.begin(), encoded.end());
  return array(kInt8Array, kInt8, views);
}

Params& Params::bytea_array(const std::vector<ByteView>& v) {
  std::vector<std::optional<std::string_view>> views;
  views.reserve(v.size());
  for (auto b : v) views.emplace_back(std::string_view(reinterpret_cast<const char*>(b.data()), b.size()));
  return array(kByteaArray, kBytea, views);
}

Params& Params::text_array(const std::vector<std::optional<std::string_view>>& v) {
  return array(kTextArray, kText, v);
}

std::int64_t Rows::int8(int row, int col) const {
  const auto* p = reinterpret_cast<const std::uint8_t*>(PQgetvalue(r_.get(), row, col));
  if (PQgetlength(r_.get(), row, col) != 8) return 0;
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | p[i];
  return static_cast<std::int64_t>(v);
}

std::string Rows::text(int row, int col) const {
  return {PQgetvalue(r_.get(), row, col), static_cast<std::size_t>(PQgetlength(r_.get(), row, col))};
}

Bytes Rows::bytes(int row, int col) const {
  const auto* p = reinterpret_cast<const std::uint8_t*>(PQgetvalue(r_.get(), row, col));
  return {p, p + PQgetlength(r_.get(), row, col)};
}

bool Rows::hash(int row, int col, Hash& out) const {
  if (PQgetlength(r_.get(), row, col) != static_cast<int>(out.size())) return false;
  std::memcpy(out.data(), PQgetvalue(r_.get(), row, col), out.size());
  return true;
}

bool Rows::succeeded() const {
  auto s = PQresultStatus(r_.get());
  return r_ && (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK);
}

std::string_view Rows::sqlstate() const {
  const char* state = r_ ? PQresultErrorField(r_.get(), PG_DIAG_SQLSTATE) : nullptr;
  return state ? std::string_view(state) : std::string_view();
}

std::int64_t Rows::affected() const {
  const char* n = PQcmdTuples(r_.get());
  return (n && *n) ? std::stoll(n) : 0;
}

Result<Connection> Connection::open(const std::string& uri) {
  Connection c(PQconnectdb(uri.c_str()));
  if (!c.c_ || PQstatus(c.c_.get()) != CONNECTION_OK) {
    return pg_error("cannot connect to the PostgreSQL store", c.c_ ? PQerrorMessage(c.c_.get()) : nullptr, true);
  }
  return c;
}

Result<Rows> Connection::query(const char* sql, const Params& params, const char* what) {
  auto [it, first] = prepared_.try_emplace(sql, "q" + std::to_string(prepared_.size() + 1));
  const auto& name = it->second;
  if (first) {
    Rows made(PQprepare(c_.get(), name.c_str(), sql, params.size(), params.types()));
    if (!made.succeeded()) {
      prepared_.erase(it);
      return failed(made, what);
    }
  }
  Rows rows(
      PQexecPrepared(c_.get(), name.c_str(), params.size(), params.values(), params.lengths(), params.formats(), 1));
  if (rows.succeeded()) return rows;
  return failed(rows, what);
}

Status Connection::exec(const char* sql, const char* what) {
  Rows rows(PQexec(c_.get(), sql));
  if (rows.succeeded()) return Ok{};
  return failed(rows, what);
}

Error Connection::failed(const Rows& rows, const char* what) {
  if (rows.sqlstate().empty()) lost_ = true;
  return query_error(c_.get(), rows, what);
}

Result<std::vector<std::string>> Connection::wait_notifications(std::chrono::milliseconds timeout) {
  auto* conn = c_.get();
  std::vector<std::string> payloads;
  auto take = [&] {
    while (PGnotify* n = PQnotifies(conn)) {
      payloads.emplace_back(n->extra);
      PQfreemem(n);
    }
  };
  if (PQconsumeInput(conn) == 0) return pg_error("the store's notification session ended", PQerrorMessage(conn), true);
  take();
  if (!payloads.empty()) return payloads;
  pollfd fd{PQsocket(conn), POLLIN, 0};
  if (fd.fd < 0) return pg_error("the store's notification session ended", PQerrorMessage(conn), true);
  if (::poll(&fd, 1, static_cast<int>(timeout.count())) <= 0) return payloads;
  if (PQconsumeInput(conn) == 0) return pg_error("the store's notification session ended", PQerrorMessage(conn), true);
  take();
  return payloads;
}

Status check_uri(std::string_view uri, const std::string& field) {
  bool scheme = uri.rfind("postgresql://", 0) == 0 || uri.rfind("postgres://", 0) == 0;
  if (!scheme) {
    return make_error(errc::bad_config, field + ": expected \"sqlite\" or a postgresql:// connection URI");
  }
  auto rest = uri.substr(uri.find("//") + 2);
  auto authority = rest.substr(0, rest.find_first_of("/?"));
  auto at = authority.rfind('@');
  bool password = (at != std::string_view::npos && authority.substr(0, at).find(':') != std::string_view::npos) ||
                  uri.find("password=") != std::string_view::npos;
  if (password) {
    return make_error(errc::bad_config, field +
                                            ": the URI holds a password; config.json is not a place for secrets "
                                            "(hint: set PGPASSWORD, or put it in a password file named by PGPASSFILE)");
  }
  if (PQconninfoOption* opts = PQconninfoParse(std::string(uri).c_str(), nullptr)) {
    PQconninfoFree(opts);
    return Ok{};
  }
  return make_error(errc::bad_config, field + ": not a valid PostgreSQL connection URI");
}

}  // namespace objector::native::pg
