// Moving a log from one store to another (objector-intake migrate: SQLite
// to PostgreSQL): every checkpoint is replayed in order through the target's
// own commit (so the copy is written as the log was: whole checkpoints, each
// a compare-and-swap), its root recomputed from the copied leaves and its
// signature checked; then the copy is read back and compared with the
// source: checkpoints byte for byte, the root from the target's nodes, every
// entry and opening. An interrupted copy resumes where it stopped.
// Thread safety: the caller owns both stores for the duration.
#pragma once

#include "core/tlog/note_key.hpp"
#include "native/intake/log/store.hpp"

namespace objector::intake {

struct MigrationReport {
  std::uint64_t tree_size = 0;
  std::size_t checkpoints = 0;  // all of them, in the target
  std::size_t copied = 0;       // by this run
  Hash root{};
};

// `witnesses`: the key names whose last cosigned size is carried over.
Result<MigrationReport> migrate_store(Store& from, Store& to, const VerifierKey& log_key,
                                      const std::vector<std::string>& witnesses);

}  // namespace objector::intake
