#include "native/intake/store.hpp"

#include "native/intake/store_postgres.hpp"
#include "native/intake/store_sqlite.hpp"

namespace objector::intake {

Result<std::unique_ptr<Store>> Store::open(const StoreLocation& where, bool create) {
  if (where.shared()) return PostgresStore::open(where.uri, create);
  return SqliteStore::open(where.sqlite_file, create);
}

NodeReader Store::reader() {
  return [this](int level, std::uint64_t index) { return node(level, index); };
}

Result<std::vector<Hash>> Store::nodes_at(std::span<const std::pair<int, std::uint64_t>> at) {
  std::vector<Hash> out;
  out.reserve(at.size());
  for (const auto& [level, index] : at) {
    OBJECTOR_TRY(auto h, node(level, index));
    out.push_back(h);
  }
  return out;
}

Result<Store::Snapshot> Store::read_snapshot() {
  OBJECTOR_RETURN_IF_ERROR(begin_snapshot());
  return Snapshot(this);
}

Result<std::vector<bool>> Store::add_pending(std::span<const Submission* const> submissions) {
  (void)submissions;
  return make_error(errc::internal_error, "this store has one node, which always sequences");
}

Result<bool> Store::wait_for_change(std::chrono::milliseconds timeout) {
  (void)timeout;
  return make_error(errc::internal_error, "this store has one node: nothing else changes it");
}

}  // namespace objector::intake
