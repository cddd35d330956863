#include "core/json/json_fields.hpp"

#include <algorithm>

namespace objector {

std::string field_path(std::string_view where, std::string_view key) {
  return where.empty() ? std::string(key) : std::string(where) + "." + std::string(key);
}

Status expect_object(JsonValue obj, std::string_view where, std::initializer_list<std::string_view> required,
                     std::initializer_list<std::string_view> optional, std::string_view unknown_hint) {
  if (!obj.is_object()) {
    return make_error(errc::wrong_type,
                      std::string(where) + ": expected a JSON object, got " + std::string(obj.type_name()));
  }
  for (auto key : required) {
    if (!obj.contains(key)) {
      return make_error(errc::missing_field, field_path(where, key) + ": required field is missing");
    }
  }
  for (auto m : obj.members()) {
    auto key = m.key;
    auto known = [&key](std::initializer_list<std::string_view> keys) {
      return std::find(keys.begin(), keys.end(), key) != keys.end();
    };
    if (!known(required) && !known(optional)) {
      return make_error(errc::unknown_field, field_path(where, key.substr(0, 64)) +
                                                 ": unknown field (hint: " + std::string(unknown_hint) + ")");
    }
  }
  return Ok{};
}

Status check_text(std::string_view s, std::string_view path, std::size_t max_bytes) {
  auto control = [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7F; };
  // The hot case (every line of a training manifest) builds no string.
  if (!s.empty() && s.size() <= max_bytes && std::none_of(s.begin(), s.end(), control)) return Ok{};
  auto where = std::string(path);
  if (s.empty()) return make_error(errc::empty_field, where + ": must not be empty");
  if (s.size() > max_bytes) {
    return make_error(errc::too_long, where + ": " + std::to_string(s.size()) + " bytes is over the limit of " +
                                          std::to_string(max_bytes));
  }
  return make_error(errc::control_character, where + ": control characters are not allowed");
}

Result<std::string> as_text(JsonValue v, std::string_view path, std::size_t max_bytes) {
  if (!v.is_string()) {
    return make_error(errc::wrong_type, std::string(path) + ": expected a string, got " + std::string(v.type_name()));
  }
  auto s = v.text();
  OBJECTOR_RETURN_IF_ERROR(check_text(s, path, max_bytes));
  return std::string(s);
}

Result<std::string_view> get_text_view(JsonValue obj, std::string_view key, std::string_view where,
                                       std::size_t max_bytes) {
  auto v = obj.at(key);
  // The hot case (every field of every entry) builds no path.
  if (v.is_string() && check_text(v.text(), {}, max_bytes).ok()) return v.text();
  OBJECTOR_RETURN_IF_ERROR(as_text(v, field_path(where, key), max_bytes));
  return v.text();
}

Result<std::string> get_text(JsonValue obj, std::string_view key, std::string_view where, std::size_t max_bytes) {
  OBJECTOR_TRY(auto text, get_text_view(obj, key, where, max_bytes));
  return std::string(text);
}

Result<std::vector<std::string>> get_text_list(JsonValue obj, std::string_view key, std::string_view where,
                                               std::size_t max_items, std::size_t max_bytes) {
  auto v = obj.at(key);
  auto path = [&] { return field_path(where, key); };
  if (!v.is_array()) {
    return make_error(errc::wrong_type, path() + ": expected an array of strings, got " + std::string(v.type_name()));
  }
  if (v.size() > max_items) {
    return make_error(errc::too_many, path() + ": at most " + std::to_string(max_items) + " entries");
  }
  std::vector<std::string> out;
  out.reserve(v.size());
  std::size_t i = 0;
  for (auto item : v.elements()) {
    if (!item.is_string() || !check_text(item.text(), {}, max_bytes).ok()) {
      return as_text(item, path() + "[" + std::to_string(i) + "]", max_bytes).error();
    }
    out.emplace_back(item.text());
    ++i;
  }
  return out;
}

Result<std::int64_t> get_integer(JsonValue obj, std::string_view key, std::string_view where, std::int64_t min,
                                 std::int64_t max) {
  auto v = obj.at(key);
  if (!v.is_integer()) {
    return make_error(errc::wrong_type,
                      field_path(where, key) + ": expected an integer, got " +
                          (v.type() == JsonType::fraction ? std::string("a fraction") : std::string(v.type_name())));
  }
  auto m = v.magnitude();
  // Within [INT64_MIN, INT64_MAX] the value is exact; beyond, out of range.
  bool fits = v.is_negative() ? m <= std::uint64_t{1} << 63 : m <= static_cast<std::uint64_t>(INT64_MAX);
  auto value = v.is_negative() ? static_cast<std::int64_t>(0 - m) : static_cast<std::int64_t>(m);
  if (!fits || value < min || value > max) {
    return make_error(errc::out_of_range, field_path(where, key) + ": " + (v.is_negative() ? "-" : "") +
                                              std::to_string(m) + " is outside [" + std::to_string(min) + ", " +
                                              std::to_string(max) + "]");
  }
  return value;
}

Result<SecretBytes> get_secret(JsonValue obj, std::string_view key, std::string_view where, std::size_t n) {
  OBJECTOR_TRY(auto text, get_text_view(obj, key, where, (n + 2) / 3 * 4));
  SecretBytes out(n);  // decoded straight into wiped memory
  auto got = base64_decode_into(text, std::span(out.data(), out.size()));
  if (!got) return std::move(got).error().at(field_path(where, key));
  if (*got != n) {
    return make_error(errc::bad_length, field_path(where, key) + ": expected base64 of " + std::to_string(n) +
                                            " bytes, got " + std::to_string(*got) + " bytes");
  }
  return out;
}

}  // namespace objector
