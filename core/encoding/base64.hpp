// Strict base64 (RFC 4648): standard alphabet with padding for JSON and
// notes, URL-safe without padding for URL paths. Decoding rejects anything
// that would not re-encode to the same text (whitespace, missing padding,
// non-zero trailing bits), so each value has exactly one encoding.
// Thread safety: pure functions.
#pragma once

#include <span>

#include "core/bytes.hpp"
#include "core/result.hpp"

namespace objector {

std::string base64_encode(ByteView bytes);
Result<Bytes> base64_decode(std::string_view text);

std::string base64url_encode(ByteView bytes);  // no padding
Result<Bytes> base64url_decode(std::string_view text);

// Standard base64 into `out`, without allocating: the number of bytes
// written, or (when they would not fit) the valid text's decoded length,
// larger than out.size(), with nothing useful in `out`.
Result<std::size_t> base64_decode_into(std::string_view text, std::span<std::uint8_t> out);

// Decodes exactly N bytes, e.g. a 32-byte key or hash.
template <std::size_t N>
Result<std::array<std::uint8_t, N>> base64_decode_fixed(std::string_view text) {
  std::array<std::uint8_t, N> out{};
  auto n = base64_decode_into(text, out);
  if (!n) return std::move(n).error();
  if (*n != N) {
    return make_error(errc::bad_length,
                      "expected base64 of " + std::to_string(N) + " bytes, got " + std::to_string(*n) + " bytes");
  }
  return out;
}

}  // namespace objector
