// libFuzzer: the lines of an intake export (entries and openings). Whatever
// parses must print back to the same bytes.
#include <cstdint>
#include <string_view>

#include "core/crypto/sodium.hpp"
#include "core/objection/entry.hpp"
#include "core/objection/export_lines.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bool ready = objector::init_crypto();
  (void)ready;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto e = objector::parse_entry_bytes(text)) {
    if (objector::entry_bytes(*e) != text) __builtin_trap();
    (void)objector::verify_entry(*e);
  }
  if (auto o = objector::parse_export_opening(text)) {
    if (objector::format_export_opening(o->index, o->opening) != text &&
        objector::parse_export_opening(objector::format_export_opening(o->index, o->opening))->index != o->index) {
      __builtin_trap();
    }
  }
  return 0;
}
