// libFuzzer: signed notes. Parsing must never crash; whatever parses must
// re-serialize to the same bytes and survive verification against a key.
#include <cstdint>
#include <string_view>

#include "core/crypto/sodium.hpp"
#include "core/tlog/signed_note.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bool ready = objector::init_crypto();
  static const auto key =
      objector::parse_verifier_key("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW").value();
  (void)ready;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto note = objector::parse_note(text);
  if (!note) return 0;
  if (objector::format_note(*note) != text) __builtin_trap();
  (void)objector::verify_note(*note, {&key, 1});
  return 0;
}
