// The C library's decimal <-> double conversions (glibc's are correctly
// rounded): the oracle the exact conversions in core/json/es6_number.* are
// checked against, by the unit test and the fuzz target.
#pragma once

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "core/json/es6_number.hpp"

namespace objector::test {

// What the C library makes of the same text.
inline double oracle_parse(const std::string& text) { return std::strtod(text.c_str(), nullptr); }

// The shortest round-tripping digits by printf and strtod, laid out as ES6
// does (by core's es6_layout, which jcs_test pins to RFC 8785's table).
inline std::string oracle_format(double value) {
  if (value == 0) return "0";
  bool sign = value < 0;
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
  return es6_layout(sign, digits, exp10 + 1);
}

}  // namespace objector::test
