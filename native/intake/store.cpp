#include "native/intake/store.hpp"

#include "native/intake/store_postgres.hpp"
#include "native/intake/store_sqlite.hpp"

namespace objector::intake {

Result<std::unique_ptr<Store>> Store::open(const StoreLocation& where, bool create) {
  if (where.shared()) return PostgresStore::open(where.uri, create);
  return SqliteStore::open(where.sqlite_file, create);
}

Error missing_node(const NodeId& id) {
  return make_error(errc::missing_node,
                    "no tree node at level " + std::to_string(id.level) + " index " + std::to_string(id.index));
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
