// libFuzzer: receipts, as people will hand them to objector-verify. A parsed
// receipt must serialize to canonical JSON that parses back identically.
#include <cstdint>
#include <string_view>

#include "core/objection/receipt.hpp"
#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto& policy = objector::fuzz::policy();
  auto r = objector::parse_receipt({reinterpret_cast<const char*>(data), size});
  if (!r) return 0;
  auto text = objector::serialize(*r);
  auto again = objector::parse_receipt(text);
  if (!again || objector::serialize(*again) != text) __builtin_trap();
  (void)objector::verify_receipt(*r, policy);
  return 0;
}
