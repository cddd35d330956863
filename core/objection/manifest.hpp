// Training manifests (FORMAT.md §8): the checkpoint a training run applied and
// the accounts whose content it used. Only the header is parsed here; the
// account lines are scanned by the verifier, in parallel.
// Thread safety: pure functions.
#pragma once

#include <optional>

#include "core/tlog/checkpoint.hpp"

namespace objector {

inline constexpr std::string_view kManifestHeader = "objector-training-manifest/v1";

struct ManifestHeader {
  Checkpoint checkpoint;                 // origin, size and root (no signature)
  std::optional<std::uint64_t> started;  // "started <Unix seconds>": when the run began
  std::size_t accounts_offset = 0;       // byte offset of the first account line
  std::size_t first_line = 6;            // its line number
};

// Errors name the line: "3: size: ...".
Result<ManifestHeader> parse_manifest_header(std::string_view text);
// One account line: 1..256 bytes, no control characters.
Status check_manifest_account(std::string_view account);

}  // namespace objector
