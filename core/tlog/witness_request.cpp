#include "core/tlog/witness_request.hpp"

#include "core/encoding/base64.hpp"
#include "core/encoding/decimal.hpp"

namespace objector {
namespace {

Error malformed(const std::string& what) {
  return make_error(errc::bad_request, "add-checkpoint: " + what + " (hint: c2sp.org/tlog-witness)");
}

}  // namespace

std::string format_add_checkpoint(const AddCheckpointRequest& request) {
  std::string out = "old " + std::to_string(request.old_size) + "\n";
  for (const auto& h : request.proof) out += base64_encode(h) + "\n";
  out += "\n";
  out += request.checkpoint;
  return out;
}

Result<AddCheckpointRequest> parse_add_checkpoint(std::string_view body) {
  AddCheckpointRequest out;
  auto next_line = [&](std::string_view& line) {
    auto nl = body.find('\n');
    if (nl == std::string_view::npos) return false;
    line = body.substr(0, nl);
    body.remove_prefix(nl + 1);
    return true;
  };
  std::string_view line;
  if (!next_line(line) || !line.starts_with("old ")) return malformed("the first line must be \"old <size>\"");
  auto old = parse_decimal(line.substr(4), "old size");
  if (!old) return malformed("the old size is not a decimal number without leading zeros");
  out.old_size = *old;
  while (true) {
    if (!next_line(line)) return malformed("no blank line before the checkpoint");
    if (line.empty()) break;
    if (out.proof.size() == kMaxWitnessProofLines) return malformed("more than 63 consistency proof lines");
    auto hash = base64_decode_fixed<32>(line);
    if (!hash) return malformed("proof line " + std::to_string(out.proof.size() + 1) + " is not a base64 SHA-256 hash");
    out.proof.push_back(*hash);
  }
  if (body.empty()) return malformed("no checkpoint after the blank line");
  out.checkpoint = std::string(body);
  return out;
}

std::string format_tlog_size(std::uint64_t size) { return std::to_string(size) + "\n"; }

Result<std::uint64_t> parse_tlog_size(std::string_view body) {
  if (body.empty() || body.back() != '\n') return malformed("a text/x.tlog.size body ends in a newline");
  auto size = parse_decimal(body.substr(0, body.size() - 1), "tree size");
  if (!size) return malformed("a text/x.tlog.size body is a decimal tree size");
  return *size;
}

}  // namespace objector
