#include "core/base64.hpp"

#include <sodium.h>

namespace objector {
namespace {

std::string encode(ByteView bytes, int variant) {
  std::string out(sodium_base64_encoded_len(bytes.size(), variant), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes.data(), bytes.size(), variant);
  out.pop_back();  // libsodium writes a terminating NUL
  return out;
}

Result<Bytes> decode(std::string_view text, int variant, const char* hint) {
  Bytes out(text.size() / 4 * 3 + 3);
  std::size_t len = 0;
  const char* end = nullptr;
  // libsodium rejects bad characters, bad padding and non-zero trailing bits;
  // the end check rejects anything after the padding.
  if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &len, &end, variant) != 0 ||
      end != text.data() + text.size()) {
    return make_error("bad_base64", "invalid base64 \"" + std::string(text.substr(0, 48)) +
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
