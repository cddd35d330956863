#include "core/json/jcs.hpp"

#include <algorithm>
#include <cmath>
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
