#include "native/intake/log/store.hpp"

#include <string>

#include "native/intake/log/store_postgres.hpp"
#include "native/intake/log/store_sqlite.hpp"

namespace objector::intake {

Result<std::unique_ptr<Store>> Store::open(const StoreLocation& where, bool create) {
  if (where.shared()) return PostgresStore::open(where.uri, create);
  return SqliteStore::open(where.sqlite_file, create);
}

Known known_by_device_key(const Submission& s, std::uint64_t index, const Hash& leaf) {
  Known k;
  if (leaf == s.entry.leaf) k.index = index;
  k.device_key_leaf = leaf;
  return k;
}

Error missing_node(const NodeId& id) {
  return make_error(errc::missing_node,
                    "no tree node at level " + std::to_string(id.level) + " index " + std::to_string(id.index));
}

Error corrupt_entry(std::uint64_t index, std::string_view hint) {
  return make_error(errc::storage_error, "corrupt entry row " + std::to_string(index) +
                                             ": its leaf or device key is not 32 bytes (hint: " + std::string(hint) +
                                             ")");
}

Result<Store::Snapshot> Store::read_snapshot() {
  OBJECTOR_RETURN_IF_ERROR(begin_snapshot());
  return Snapshot(this);
}

}  // namespace objector::intake
