// Typed, bounded access to the fields of a JSON object, for the schemas of
// the statement, entry, opening and receipt. Every error names the field
// ("statement.services: ...").
// Thread safety: pure functions.
#pragma once

#include <initializer_list>

#include "core/encoding/base64.hpp"
#include "core/json/json_reader.hpp"

namespace objector {

// `obj` must be an object with every key of `required`, any of `optional`,
// and nothing else; `unknown_hint` is what the error for another key advises.
inline constexpr std::string_view kSignedDocumentHint = "remove it; signed documents allow no extra fields";
Status expect_object(JsonValue obj, std::string_view where, std::initializer_list<std::string_view> required,
                     std::initializer_list<std::string_view> optional = {},
                     std::string_view unknown_hint = kSignedDocumentHint);

// A string of 1..max_bytes bytes with no control characters.
Status check_text(std::string_view value, std::string_view path, std::size_t max_bytes);
Result<std::string> as_text(JsonValue value, std::string_view path, std::size_t max_bytes);
Result<std::string> get_text(JsonValue obj, std::string_view key, std::string_view where, std::size_t max_bytes);
// The same, as a view of the document's text (valid while the document is).
Result<std::string_view> get_text_view(JsonValue obj, std::string_view key, std::string_view where,
                                       std::size_t max_bytes);

// An array of at most max_items such strings.
Result<std::vector<std::string>> get_text_list(JsonValue obj, std::string_view key, std::string_view where,
                                               std::size_t max_items, std::size_t max_bytes);

// The largest integer every JSON reader holds exactly (I-JSON, RFC 7493):
// JCS writes larger ones as the double they become.
inline constexpr std::int64_t kMaxExactInteger = (std::int64_t{1} << 53) - 1;

// An integer in [min, max].
Result<std::int64_t> get_integer(JsonValue obj, std::string_view key, std::string_view where, std::int64_t min,
                                 std::int64_t max);

// Base64 of exactly N bytes.
template <std::size_t N>
Result<std::array<std::uint8_t, N>> get_base64(JsonValue obj, std::string_view key, std::string_view where) {
  auto text = get_text_view(obj, key, where, (N + 2) / 3 * 4);
  if (!text) return std::move(text).error();
  auto bytes = base64_decode_fixed<N>(*text);
  if (!bytes) return std::move(bytes).error().at(std::string(where) + "." + std::string(key));
  return bytes;
}

// Base64 of exactly `n` secret bytes (a seed, a blinding value): the decoded
// bytes live only in the returned SecretBytes.
Result<SecretBytes> get_secret(JsonValue obj, std::string_view key, std::string_view where, std::size_t n);

std::string field_path(std::string_view where, std::string_view key);

}  // namespace objector
