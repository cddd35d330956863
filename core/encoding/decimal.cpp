#include "core/encoding/decimal.hpp"

#include <string>

namespace objector {

Result<std::uint64_t> parse_decimal(std::string_view s, std::string_view what) {
  auto bad = [&] {
    return make_error(errc::bad_number, std::string(what) + ": \"" + std::string(s.substr(0, 24)) +
                                            "\" is not a decimal number without leading zeros");
  };
  if (s.empty() || s.size() > 20 || (s.size() > 1 && s[0] == '0')) return bad();
  std::uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return bad();
    auto d = static_cast<std::uint64_t>(c - '0');
    if (v > (UINT64_MAX - d) / 10) return bad();
    v = v * 10 + d;
  }
  return v;
}

}  // namespace objector
