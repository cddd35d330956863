// The C library's decimal <-> double conversions (glibc's are correctly
// rounded): the oracle the exact conversions in core/json/es6_number.* are
// checked against, by the unit test and the fuzz target.
#pragma once

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace objector::test {

// What the C library makes of the same text.
inline double oracle_parse(const std::string& text) { return std::strtod(text.c_str(), nullptr); }

// The shortest round-tripping digits by printf and strtod, laid out as ES6 does.
inline std::string oracle_format(double value) {
  if (value == 0) return "0";
  std::string sign = value < 0 ? "-" : "";
  value = std::fabs(value);
  char buf[40];
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*e", precision - 1, value);
    if (std::strtod(buf, nullptr) == value) break;
  }
  std::string text(buf);
  auto e = text.find('e');
  std::string digits = text.substr(0, 1) + (e > 1 ? text.substr(2, e - 2) : "");
  int exp10 = static_cast<int>(std::strtol(text.c_str() + e + 1, nullptr, 10));
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  const int k = static_cast<int>(digits.size());
  const int n = exp10 + 1;
  std::string out = sign;
  if (k <= n && n <= 21) {
    out += digits + std::string(static_cast<std::size_t>(n - k), '0');
  } else if (0 < n && n <= 21) {
    out += digits.substr(0, static_cast<std::size_t>(n)) + "." + digits.substr(static_cast<std::size_t>(n));
  } else if (-6 < n && n <= 0) {
    out += "0." + std::string(static_cast<std::size_t>(-n), '0') + digits;
  } else {
    out += digits.substr(0, 1);
    if (k > 1) out += "." + digits.substr(1);
    out += (n - 1 >= 0 ? "e+" : "e-") + std::to_string(std::abs(n - 1));
  }
  return out;
}

}  // namespace objector::test
