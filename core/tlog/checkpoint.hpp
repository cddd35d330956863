// c2sp.org/tlog-checkpoint: the signed tree head, a signed note whose text is
//   <origin>\n<decimal size>\n<base64 root>\n[extension lines]
// Thread safety: pure functions.
#pragma once

#include <vector>

#include "core/bytes.hpp"
#include "core/json/json.hpp"
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
// {"origin", "size", "root" (base64)}: how every JSON output names a checkpoint.
json to_json(const Checkpoint& c);

// Origin and key-name rule shared with signed notes: printable ASCII, no
// spaces, no '+', at most kMaxOriginBytes.
inline constexpr std::size_t kMaxOriginBytes = 128;
Status check_origin(std::string_view origin, std::string_view where);

}  // namespace objector
