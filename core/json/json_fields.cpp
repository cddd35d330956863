#include "core/json/json_fields.hpp"

#include <algorithm>

namespace objector {

std::string field_path(std::string_view where, std::string_view key) {
  return where.empty() ? std::string(key) : std::string(where) + "." + std::string(key);
}

Status expect_object(const json& obj, std::string_view where, std::initializer_list<std::string_view> required,
                     std::initializer_list<std::string_view> optional, std::string_view unknown_hint) {
  if (!obj.is_object()) {
    return make_error(errc::wrong_type, std::string(where) + ": expected a JSON object, got " + obj.type_name());
  }
  for (auto key : required) {
    if (!obj.contains(key)) {
      return make_error(errc::missing_field, field_path(where, key) + ": required field is missing");
    }
  }
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    const auto& key = it.key();
    auto known = [&key](std::initializer_list<std::string_view> keys) {
      return std::find(keys.begin(), keys.end(), key) != keys.end();
    };
    if (!known(required) && !known(optional)) {
      return make_error(errc::unknown_field,
                        field_path(where, key) + ": unknown field (hint: " + std::string(unknown_hint) + ")");
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

Result<std::string> as_text(const json& v, std::string_view path, std::size_t max_bytes) {
  if (!v.is_string()) {
    return make_error(errc::wrong_type, std::string(path) + ": expected a string, got " + v.type_name());
  }
  const auto& s = v.get_ref<const std::string&>();
  OBJECTOR_RETURN_IF_ERROR(check_text(s, path, max_bytes));
  return s;
}

Result<std::string> get_text(const json& obj, std::string_view key, std::string_view where, std::size_t max_bytes) {
  return as_text(obj.at(key), field_path(where, key), max_bytes);
}

Result<std::vector<std::string>> get_text_list(const json& obj, std::string_view key, std::string_view where,
                                               std::size_t max_items, std::size_t max_bytes) {
  const auto& v = obj.at(key);
  auto path = field_path(where, key);
  if (!v.is_array()) return make_error(errc::wrong_type, path + ": expected an array of strings, got " + v.type_name());
  if (v.size() > max_items) {
    return make_error(errc::too_many, path + ": at most " + std::to_string(max_items) + " entries");
  }
  std::vector<std::string> out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    OBJECTOR_TRY(auto s, as_text(v[i], path + "[" + std::to_string(i) + "]", max_bytes));
    out.push_back(std::move(s));
  }
  return out;
}

Result<std::int64_t> get_integer(const json& obj, std::string_view key, std::string_view where, std::int64_t min,
                                 std::int64_t max) {
  const auto& v = obj.at(key);
  auto path = field_path(where, key);
  if (!v.is_number_integer()) {
    return make_error(errc::wrong_type,
                      path + ": expected an integer, got " +
                          (v.is_number_float() ? std::string("a fraction") : std::string(v.type_name())));
  }
  bool in_range = v.is_number_unsigned() ? v.get<std::uint64_t>() <= static_cast<std::uint64_t>(max)
                                         : v.get<std::int64_t>() >= min && v.get<std::int64_t>() <= max;
  if (!in_range || (v.is_number_unsigned() && static_cast<std::int64_t>(v.get<std::uint64_t>()) < min)) {
    // The value as text without nlohmann's serializer (kept out of the wasm build).
    auto value =
        v.is_number_unsigned() ? std::to_string(v.get<std::uint64_t>()) : std::to_string(v.get<std::int64_t>());
    return make_error(errc::out_of_range,
                      path + ": " + value + " is outside [" + std::to_string(min) + ", " + std::to_string(max) + "]");
  }
  return v.get<std::int64_t>();
}

Result<SecretBytes> get_secret(const json& obj, std::string_view key, std::string_view where, std::size_t n) {
  OBJECTOR_TRY(auto text, get_text(obj, key, where, (n + 2) / 3 * 4));
  auto bytes = base64_decode(text);
  wipe(text);
  if (!bytes) return std::move(bytes).error().at(field_path(where, key));
  SecretBytes out(*bytes);
  wipe(bytes->data(), bytes->size());
  if (out.size() != n) {
    return make_error(errc::bad_length, field_path(where, key) + ": expected base64 of " + std::to_string(n) +
                                            " bytes, got " + std::to_string(out.size()) + " bytes");
  }
  return out;
}

}  // namespace objector
