// The opening lines of an intake export (FORMAT.md §7): one JCS object
// {"account", "index", "r"} per entry, in index order. Written by the intake,
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

}  // namespace objector
