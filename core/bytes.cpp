#include "core/bytes.hpp"

#include <sodium.h>

namespace objector {

SecretBytes& SecretBytes::operator=(SecretBytes&& o) noexcept {
  if (this != &o) {
    wipe();
    bytes_ = std::move(o.bytes_);
    o.bytes_.clear();
  }
  return *this;
}

void SecretBytes::wipe() {
  objector::wipe(bytes_.data(), bytes_.size());
  bytes_.clear();
}

void wipe(void* p, std::size_t n) {
  if (n != 0) sodium_memzero(p, n);
}

std::string to_hex(ByteView b) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(b.size() * 2);
  for (auto c : b) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

}  // namespace objector
