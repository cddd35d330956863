// Byte containers shared by every core module.
// Thread safety: plain values; safe to use from any thread.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace objector {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;
using Hash = std::array<std::uint8_t, 32>;  // SHA-256 or BLAKE2b-256 output

inline ByteView as_bytes(std::string_view s) { return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()}; }

inline std::string_view as_chars(ByteView b) { return {reinterpret_cast<const char*>(b.data()), b.size()}; }

// Move-only bytes that are wiped (sodium_memzero) when destroyed or
// overwritten: seeds, blinding values, token secrets. Copying must be explicit
// (clone()) so that a secret is never duplicated by accident.
class SecretBytes {
 public:
  SecretBytes() = default;
  explicit SecretBytes(std::size_t n) : bytes_(n) {}
  explicit SecretBytes(ByteView b) : bytes_(b.begin(), b.end()) {}
  SecretBytes(const SecretBytes&) = delete;
  SecretBytes& operator=(const SecretBytes&) = delete;
  SecretBytes(SecretBytes&& o) noexcept : bytes_(std::move(o.bytes_)) { o.bytes_.clear(); }
  SecretBytes& operator=(SecretBytes&& o) noexcept;
  ~SecretBytes() { wipe(); }

  SecretBytes clone() const { return SecretBytes(view()); }
  ByteView view() const { return bytes_; }
  std::uint8_t* data() { return bytes_.data(); }
  std::size_t size() const { return bytes_.size(); }
  void wipe();

 private:
  Bytes bytes_;
};

// Wipes any buffer that held a secret (strings from JSON, stack arrays).
void wipe(void* p, std::size_t n);
inline void wipe(std::string& s) {
  wipe(s.data(), s.size());
  s.clear();
}

std::string to_hex(ByteView b);

}  // namespace objector
