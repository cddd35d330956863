// libFuzzer: verifier and signer key text. Whatever parses must format back
// to the same text.
#include <cstdint>
#include <string_view>

#include "core/crypto/sodium.hpp"
#include "core/tlog/note_key.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bool ready = objector::init_crypto();
  (void)ready;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto v = objector::parse_verifier_key(text)) {
    if (objector::format_verifier_key(*v) != text) __builtin_trap();
  }
  if (auto s = objector::parse_signer_key(text)) {
    auto back = objector::format_signer_key(*s);
    if (back != text) __builtin_trap();
    objector::wipe(back);
  }
  return 0;
}
