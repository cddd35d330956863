// libFuzzer: the strict JSON reader. Whatever it accepts canonicalizes to
// text it reads back as canonical (fractions aside), and its canonical()
// verdict agrees with canonicalize(): a canonical text is its own JCS form.
// The DOM built from its tape says the same.
#include <cstdint>
#include <string_view>

#include "core/json/jcs.hpp"
#include "core/json/json_reader.hpp"

namespace {

bool has_fraction(objector::JsonValue v) {
  using objector::JsonType;
  switch (v.type()) {
    case JsonType::fraction:
      return true;
    case JsonType::array:
      for (auto item : v.elements()) {
        if (has_fraction(item)) return true;
      }
      return false;
    case JsonType::object:
      for (auto m : v.members()) {
        if (has_fraction(m.value)) return true;
      }
      return false;
    default:
      return false;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  objector::JsonDocument doc;
  auto value = doc.parse(text, {.max_bytes = 1 << 16, .max_depth = 16});
  if (!value) return 0;
  auto jcs = objector::canonicalize(*value);
  if (!jcs) return 0;  // a number beyond double range
  if (doc.canonical() && *jcs != text) __builtin_trap();
  auto dom = objector::parse_json(text, {.max_bytes = 1 << 16, .max_depth = 16});
  if (!dom || objector::canonicalize(*dom).value() != *jcs) __builtin_trap();
  objector::JsonDocument again;
  auto back = again.parse(*jcs, {.max_bytes = 1 << 20, .max_depth = 16});
  if (!back || objector::canonicalize(*back).value() != *jcs) __builtin_trap();
  // Integers beyond 2^53 are written as doubles, which read as fractions.
  if (!has_fraction(*back) && !again.canonical()) __builtin_trap();
  return 0;
}
