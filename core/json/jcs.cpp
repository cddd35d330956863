#include "core/json/jcs.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <type_traits>

#include "core/json/jcs_writer.hpp"

namespace objector {
namespace {

// UTF-16 code units of a valid UTF-8 string: JCS sorts keys by these, which
// differs from UTF-8 byte order for characters above U+FFFF.
std::u16string utf16(std::string_view s) {
  std::u16string out;
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    std::uint32_t cp = 0;
    int extra = 0;
    if (c < 0x80) {
      cp = c;
    } else if (c < 0xE0) {
      cp = c & 0x1F;
      extra = 1;
    } else if (c < 0xF0) {
      cp = c & 0x0F;
      extra = 2;
    } else {
      cp = c & 0x07;
      extra = 3;
    }
    ++i;
    for (; extra > 0 && i < s.size(); --extra, ++i) cp = cp << 6 | (static_cast<unsigned char>(s[i]) & 0x3F);
    if (cp >= 0x10000) {
      cp -= 0x10000;
      out += static_cast<char16_t>(0xD800 + (cp >> 10));
      out += static_cast<char16_t>(0xDC00 + (cp & 0x3FF));
    } else {
      out += static_cast<char16_t>(cp);
    }
  }
  return out;
}

Status write(const json& v, std::string& out) {
  switch (v.type()) {
    case json::value_t::null:
      out += "null";
      return Ok{};
    case json::value_t::boolean:
      out += v.get<bool>() ? "true" : "false";
      return Ok{};
    case json::value_t::number_integer:
      write_jcs_integer(v.get<std::int64_t>(), out);
      return Ok{};
    case json::value_t::number_unsigned:
      write_jcs_integer(v.get<std::uint64_t>(), out);
      return Ok{};
    case json::value_t::number_float: {
      double d = v.get<double>();
      if (!std::isfinite(d)) return make_error(errc::bad_number, "NaN and infinities have no JSON form");
      out += format_es6_number(d);
      return Ok{};
    }
    case json::value_t::string:
      write_jcs_string(v.get_ref<const std::string&>(), out);
      return Ok{};
    case json::value_t::array: {
      out += '[';
      bool first = true;
      for (const auto& item : v) {
        if (!first) out += ',';
        first = false;
        OBJECTOR_RETURN_IF_ERROR(write(item, out));
      }
      out += ']';
      return Ok{};
    }
    case json::value_t::object: {
      std::vector<std::pair<std::u16string, json::const_iterator>> members;
      members.reserve(v.size());
      for (auto it = v.begin(); it != v.end(); ++it) members.emplace_back(utf16(it.key()), it);
      std::sort(members.begin(), members.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
      out += '{';
      bool first = true;
      for (const auto& [_, it] : members) {
        if (!first) out += ',';
        first = false;
        write_jcs_string(it.key(), out);
        out += ':';
        OBJECTOR_RETURN_IF_ERROR(write(it.value(), out));
      }
      out += '}';
      return Ok{};
    }
    default:
      return make_error(errc::bad_value, "binary and discarded values have no JSON form");
  }
}

Status write(JsonValue v, std::string& out) {
  switch (v.type()) {
    case JsonType::null:
      out += "null";
      return Ok{};
    case JsonType::boolean:
      out += v.boolean() ? "true" : "false";
      return Ok{};
    case JsonType::integer:
      if (v.is_negative()) {
        write_jcs_integer(static_cast<std::int64_t>(0 - v.magnitude()), out);
      } else {
        write_jcs_integer(v.magnitude(), out);
      }
      return Ok{};
    case JsonType::fraction: {
      double d = v.as_double();
      if (!std::isfinite(d)) return make_error(errc::bad_number, "NaN and infinities have no JSON form");
      out += format_es6_number(d);
      return Ok{};
    }
    case JsonType::string:
      write_jcs_string(v.text(), out);
      return Ok{};
    case JsonType::array: {
      out += '[';
      bool first = true;
      for (auto item : v.elements()) {
        if (!first) out += ',';
        first = false;
        OBJECTOR_RETURN_IF_ERROR(write(item, out));
      }
      out += ']';
      return Ok{};
    }
    case JsonType::object: {
      std::vector<std::pair<std::u16string, JsonValue::Member>> members;
      members.reserve(v.size());
      for (auto m : v.members()) members.emplace_back(utf16(m.key), m);
      std::sort(members.begin(), members.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
      out += '{';
      bool first = true;
      for (const auto& [_, m] : members) {
        if (!first) out += ',';
        first = false;
        write_jcs_string(m.key, out);
        out += ':';
        OBJECTOR_RETURN_IF_ERROR(write(m.value, out));
      }
      out += '}';
      return Ok{};
    }
  }
  return Ok{};
}

}  // namespace

std::string format_es6_number(double value) {
  if (value == 0) return "0";  // also -0
  std::string sign = value < 0 ? "-" : "";
  value = std::fabs(value);

  // Shortest digits that round-trip: the first precision whose correctly
  // rounded decimal parses back to the same double (ES6 §7.1.12.1 picks the
  // closest such digits, which correct rounding gives).
  char buf[40];
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*e", precision - 1, value);
    if (std::strtod(buf, nullptr) == value) break;
  }
  // buf is "d.ddde±x": split into digits and decimal exponent.
  std::string text(buf);
  auto e = text.find('e');
  std::string digits = text.substr(0, 1) + (e > 1 ? text.substr(2, e - 2) : "");
  int exp10 = static_cast<int>(std::strtol(text.c_str() + e + 1, nullptr, 10));
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();

  const int k = static_cast<int>(digits.size());
  const int n = exp10 + 1;  // value = 0.digits × 10^n
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

Result<std::string> canonicalize(const json& value) {
  std::string out;
  OBJECTOR_RETURN_IF_ERROR(write(value, out));
  return out;
}

Result<std::string> canonicalize(JsonValue value) {
  std::string out;
  OBJECTOR_RETURN_IF_ERROR(write(value, out));
  return out;
}

}  // namespace objector
