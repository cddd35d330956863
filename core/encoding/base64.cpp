#include "core/encoding/base64.hpp"

#include <sodium.h>

#include <algorithm>

namespace objector {
namespace {

std::string encode(ByteView bytes, int variant) {
  std::string out(sodium_base64_encoded_len(bytes.size(), variant), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes.data(), bytes.size(), variant);
  out.pop_back();  // libsodium writes a terminating NUL
  return out;
}

bool in_alphabet(char c, bool url_safe) {
  if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return true;
  return url_safe ? (c == '-' || c == '_') : (c == '+' || c == '/' || c == '=');
}

Result<Bytes> decode(std::string_view text, int variant, const char* hint) {
  // libsodium 1.0.18 maps some bytes >= 0x80 to base64 digits, so the
  // alphabet is checked here first.
  bool url_safe = variant == sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  bool alphabet_ok = std::all_of(text.begin(), text.end(), [&](char c) { return in_alphabet(c, url_safe); });
  Bytes out(text.size() / 4 * 3 + 3);
  std::size_t len = 0;
  const char* end = nullptr;
  // libsodium rejects bad characters, bad padding and non-zero trailing bits;
  // the end check rejects anything after the padding.
  if (!alphabet_ok ||
      sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &len, &end, variant) != 0 ||
      end != text.data() + text.size()) {
    return make_error(errc::bad_base64, "invalid base64 \"" + std::string(text.substr(0, 48)) +
                                            (text.size() > 48 ? "…" : "") + "\" (hint: " + std::string(hint) + ")");
  }
  out.resize(len);
  return out;
}

}  // namespace

std::string base64_encode(ByteView bytes) { return encode(bytes, sodium_base64_VARIANT_ORIGINAL); }
Result<Bytes> base64_decode(std::string_view text) {
  return decode(text, sodium_base64_VARIANT_ORIGINAL, "standard alphabet, padded, no whitespace");
}
std::string base64url_encode(ByteView bytes) { return encode(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING); }
Result<Bytes> base64url_decode(std::string_view text) {
  return decode(text, sodium_base64_VARIANT_URLSAFE_NO_PADDING, "URL-safe alphabet, no padding");
}

}  // namespace objector
