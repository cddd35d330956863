// What a witness remembers, in DIR/witness.sqlite (WAL, synchronous=FULL):
//   logs         the logs it witnesses: origin and verifier key(s)
//   checkpoints  per origin, the latest checkpoint it cosigned (size, root,
//                and the note with the log's signature and its cosignature)
//   evidence     validly signed requests it refused as inconsistent: a log's
//                own signature on a fork is proof of its misbehaviour (with
//                the log's signatures only; bounded per log)
// add-checkpoint reads and writes inside one IMMEDIATE transaction
// (native::Transaction), so the size check and the new state are atomic: after a
// crash the witness is at one cosigned checkpoint or the next, never behind.
// Thread safety: one WitnessState per thread.
#pragma once

#include <optional>

#include "core/tlog/note_key.hpp"
#include "native/common/sqlite.hpp"

namespace objector::witness {

struct Cosigned {
  std::uint64_t size = 0;
  Hash root{};
  std::string note;  // the checkpoint with the log's signature(s) and this witness's cosignature
};

class WitnessState {
 public:
  static Result<WitnessState> open(const std::filesystem::path& file, bool create = false);

  // Trusts `key` for its origin (its name); adding a key twice is a no-op.
  Status add_log(const VerifierKey& key);
  Result<std::vector<VerifierKey>> log_keys(std::string_view origin);
  Result<std::vector<std::string>> origins();

  Result<std::optional<Cosigned>> latest(std::string_view origin);
  Status store(std::string_view origin, const Cosigned& c);
  // Keeps `request` as evidence against the log, unless the same request is
  // kept already or the log's evidence holds `max_count` requests or
  // `max_bytes` (returns whether it was kept).
  Result<bool> keep_evidence(std::string_view origin, std::int64_t received, std::string_view request,
                             std::size_t max_count, std::size_t max_bytes);

  // Reads and writes between begin() and commit() are one atomic step.
  Result<native::Transaction> begin() { return native::Transaction::begin(db_); }

 private:
  explicit WitnessState(native::Database db) : db_(std::move(db)) {}
  native::Database db_;
};

}  // namespace objector::witness
