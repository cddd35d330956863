#include "core/encoding/base64.hpp"

#include <sodium.h>

#include <array>

namespace objector {
namespace {

std::string encode(ByteView bytes, int variant) {
  std::string out(sodium_base64_encoded_len(bytes.size(), variant), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes.data(), bytes.size(), variant);
  out.pop_back();  // libsodium writes a terminating NUL
  return out;
}

// 0..63 for a digit of the alphabet, 64 for anything else.
struct Alphabet {
  std::array<std::uint8_t, 256> value{};
  constexpr explicit Alphabet(bool url_safe) {
    for (auto& v : value) v = 64;
    constexpr std::string_view kDigits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    for (std::size_t i = 0; i < kDigits.size(); ++i)
      value[static_cast<unsigned char>(kDigits[i])] = static_cast<std::uint8_t>(i);
    value[url_safe ? '-' : '+'] = 62;
    value[url_safe ? '_' : '/'] = 63;
  }
};
constexpr Alphabet kStandard(false);
constexpr Alphabet kUrlSafe(true);

// The one valid encoding only: padding exactly when the variant has it, no
// other character, and zero bits after the last byte.
bool decode_into(std::string_view text, bool url_safe, std::uint8_t* out, std::size_t capacity, std::size_t& length) {
  const auto& table = (url_safe ? kUrlSafe : kStandard).value;
  std::size_t n = text.size();
  if (!url_safe) {
    if (n % 4 != 0) return false;
    if (n > 0 && text[n - 1] == '=') --n;
    if (n > 0 && text[n - 1] == '=' && n + 1 == text.size()) --n;
  } else if (n % 4 == 1) {
    return false;
  }
  length = n / 4 * 3 + (n % 4 == 0 ? 0 : n % 4 - 1);
  if (length > capacity) return false;
  std::size_t o = 0;
  std::uint32_t acc = 0;
  int bits = 0;
  for (std::size_t i = 0; i < n; ++i) {
    auto v = table[static_cast<unsigned char>(text[i])];
    if (v == 64) return false;
    acc = acc << 6 | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = static_cast<std::uint8_t>(acc >> bits);
      acc &= (1u << bits) - 1;
    }
  }
  if (bits >= 6) return false;  // a lone digit: not a whole byte
  return acc == 0;
}

Error invalid(std::string_view text, const char* hint) {
  return make_error(errc::bad_base64, "invalid base64 \"" + std::string(text.substr(0, 48)) +
                                          (text.size() > 48 ? "…" : "") + "\" (hint: " + std::string(hint) + ")");
}

Result<Bytes> decode(std::string_view text, bool url_safe, const char* hint) {
  Bytes out(text.size() / 4 * 3 + 3);
  std::size_t length = 0;
  if (!decode_into(text, url_safe, out.data(), out.size(), length)) return invalid(text, hint);
  out.resize(length);
  return out;
}

constexpr const char* kStandardHint = "standard alphabet, padded, no whitespace";

}  // namespace

std::string base64_encode(ByteView bytes) { return encode(bytes, sodium_base64_VARIANT_ORIGINAL); }
Result<Bytes> base64_decode(std::string_view text) { return decode(text, false, kStandardHint); }
std::string base64url_encode(ByteView bytes) { return encode(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING); }
Result<Bytes> base64url_decode(std::string_view text) { return decode(text, true, "URL-safe alphabet, no padding"); }

Result<std::size_t> base64_decode_into(std::string_view text, std::span<std::uint8_t> out) {
  std::size_t length = 0;
  if (!decode_into(text, false, out.data(), out.size(), length)) {
    // Valid base64 of another length says so; anything else is invalid.
    // (The bytes may be a secret of the wrong length: wiped.)
    auto any = base64_decode(text);
    if (!any) return std::move(any).error();
    wipe(any->data(), any->size());
    return any->size();
  }
  return length;
}

}  // namespace objector
