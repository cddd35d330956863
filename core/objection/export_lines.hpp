// The JSONL lines of an intake export (FORMAT.md §7): openings, one JCS object
// {"account", "index", "r"} per entry, in index order; and checkpoints. Written by the intake,
// read by the verifier. Thread safety: pure functions.
#pragma once

#include "core/crypto/commitment.hpp"

namespace objector {

struct IndexedOpening {
  std::uint64_t index = 0;
  Opening opening;
};

std::string format_export_opening(std::uint64_t index, const Opening& opening);
Result<IndexedOpening> parse_export_opening(std::string_view line);

// checkpoints.jsonl: every checkpoint the log published, {"note", "size"},
// with the witnesses' cosignatures as the intake collected them.
struct ExportedCheckpoint {
  std::uint64_t size = 0;
  std::string note;
};
std::string format_export_checkpoint(std::uint64_t size, std::string_view note);
Result<ExportedCheckpoint> parse_export_checkpoint(std::string_view line);

}  // namespace objector
