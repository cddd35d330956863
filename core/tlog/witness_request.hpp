// c2sp.org/tlog-witness: the add-checkpoint request body
//   old <size>\n<base64 proof hash>\n...\n\n<signed checkpoint>
// and the body of a 409 answer (Content-Type text/x.tlog.size): the size the
// witness last cosigned, in decimal, and a newline. The intake writes both
// sides' formats through here; the witness parses them.
// Thread safety: pure functions.
#pragma once

#include <vector>

#include "core/bytes.hpp"
#include "core/result.hpp"

namespace objector {

inline constexpr std::size_t kMaxWitnessProofLines = 63;
inline constexpr std::string_view kTlogSizeType = "text/x.tlog.size";

struct AddCheckpointRequest {
  std::uint64_t old_size = 0;
  std::vector<Hash> proof;  // consistency proof from old_size to the checkpoint's size
  std::string checkpoint;   // signed note, verbatim (parsed by the witness)
};

std::string format_add_checkpoint(const AddCheckpointRequest& request);
// Strict: "old" and one space, a canonical decimal, at most 63 proof lines of
// exactly 32 bytes, then the blank line. The checkpoint is not parsed here.
Result<AddCheckpointRequest> parse_add_checkpoint(std::string_view body);

std::string format_tlog_size(std::uint64_t size);
Result<std::uint64_t> parse_tlog_size(std::string_view body);

}  // namespace objector
