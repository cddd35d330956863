// c2sp.org/tlog-checkpoint: the signed tree head, a signed note whose text is
//   <origin>\n<decimal size>\n<base64 root>\n[extension lines]
// Thread safety: pure functions.
#pragma once

#include <vector>

#include "core/bytes.hpp"
#include "core/result.hpp"

namespace objector {

struct Checkpoint {
  std::string origin;
  std::uint64_t size = 0;
  Hash root{};
  std::vector<std::string> extensions;
};

std::string checkpoint_text(const Checkpoint& c);
// Strict: no leading zeros, a root of exactly 32 bytes, non-empty extension lines.
Result<Checkpoint> parse_checkpoint_text(std::string_view text);

// Parses a decimal with no sign and no leading zeros ("0" allowed).
Result<std::uint64_t> parse_decimal(std::string_view s, std::string_view what);

}  // namespace objector
