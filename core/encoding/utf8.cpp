#include "core/encoding/utf8.hpp"

#include <cstdint>

namespace objector {
namespace {

// Decodes one code point at s[i]; returns -1 for invalid UTF-8 (overlong,
// surrogate, out of range, truncated).
std::int32_t decode(std::string_view s, std::size_t& i) {
  auto byte = [&](std::size_t k) { return static_cast<std::uint8_t>(s[k]); };
  std::uint8_t c = byte(i);
  int n = c < 0x80 ? 0 : (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 : (c & 0xF8) == 0xF0 ? 3 : -1;
  if (n < 0) return -1;
  std::int32_t cp = n == 0 ? c : c & (0x3F >> n);
  for (int k = 1; k <= n; ++k) {
    if (i + static_cast<std::size_t>(k) >= s.size() || (byte(i + k) & 0xC0) != 0x80) return -1;
    cp = cp << 6 | (byte(i + k) & 0x3F);
  }
  static constexpr std::int32_t kMin[] = {0, 0x80, 0x800, 0x10000};
  if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return -1;
  i += static_cast<std::size_t>(n) + 1;
  return cp;
}

bool is_unicode_space(std::int32_t cp) {
  switch (cp) {
    case 0x20:
    case 0x85:
    case 0xA0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
      return true;
    default:
      return (cp >= 0x09 && cp <= 0x0D) || (cp >= 0x2000 && cp <= 0x200A);
  }
}

}  // namespace

bool is_valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    if (decode(s, i) < 0) return false;
  }
  return true;
}

std::string to_valid_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    auto start = i;
    if (decode(s, i) < 0) {
      out += "\xEF\xBF\xBD";
      i = start + 1;
    } else {
      out.append(s.substr(start, i - start));
    }
  }
  return out;
}

bool contains_space_or_control(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    auto cp = decode(s, i);
    if (cp < 0x20 || cp == 0x7F || is_unicode_space(cp)) return true;  // invalid UTF-8 is negative
  }
  return false;
}

}  // namespace objector
