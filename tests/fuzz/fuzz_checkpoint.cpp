// libFuzzer: checkpoint text and signed checkpoints under a policy.
#include <cstdint>
#include <string_view>

#include "core/tlog/signed_checkpoint.hpp"
#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto& policy = objector::fuzz::policy();
  std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto c = objector::parse_checkpoint_text(text)) {
    if (objector::checkpoint_text(*c) != text) __builtin_trap();
  }
  (void)objector::open_checkpoint(text, policy);
  (void)objector::parse_policy(text);
  return 0;
}
