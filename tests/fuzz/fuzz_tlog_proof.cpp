// libFuzzer: tlog-proofs and receipts, the documents people keep.
#include <cstdint>
#include <string_view>

#include "core/objection/receipt.hpp"
#include "core/tlog/tlog_proof.hpp"
#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto& policy = objector::fuzz::policy();
  std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto p = objector::parse_tlog_proof(text)) {
    if (objector::format_tlog_proof(*p) != text) __builtin_trap();
    (void)objector::verify_tlog_proof(*p, objector::Hash{}, policy);
  }
  if (auto r = objector::parse_receipt(text)) (void)objector::verify_receipt(*r, policy);
  return 0;
}
