// libFuzzer: tlog-witness add-checkpoint bodies and text/x.tlog.size answers.
// Parsing must never crash, and what parses must format to the same bytes
// (one spelling per request: canonical decimals and base64).
#include <cstdint>
#include <string_view>

#include "core/tlog/witness_request.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto r = objector::parse_add_checkpoint(text)) {
    if (objector::format_add_checkpoint(*r) != text) __builtin_trap();
    if (r->proof.size() > objector::kMaxWitnessProofLines) __builtin_trap();
  }
  if (auto n = objector::parse_tlog_size(text)) {
    if (objector::format_tlog_size(*n) != text) __builtin_trap();
  }
  return 0;
}
