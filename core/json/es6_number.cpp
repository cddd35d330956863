#include "core/json/es6_number.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace objector {
namespace {

// A natural number in 32-bit limbs, least significant first: only what exact
// decimal <-> binary conversion needs.
class BigNat {
 public:
  explicit BigNat(std::uint64_t v = 0) {
    for (; v != 0; v >>= 32) limbs_.push_back(static_cast<std::uint32_t>(v));
  }
  bool is_zero() const { return limbs_.empty(); }

  // *this = *this * m + a
  void mul_add(std::uint32_t m, std::uint32_t a) {
    std::uint64_t carry = a;
    for (auto& limb : limbs_) {
      std::uint64_t t = std::uint64_t{limb} * m + carry;
      limb = static_cast<std::uint32_t>(t);
      carry = t >> 32;
    }
    if (carry != 0) limbs_.push_back(static_cast<std::uint32_t>(carry));
  }
  void mul_pow5(int n) {
    static constexpr std::array<std::uint32_t, 14> kPow5 = {
        1, 5, 25, 125, 625, 3125, 15625, 78125, 390625, 1953125, 9765625, 48828125, 244140625, 1220703125};
    for (; n >= 13; n -= 13) mul_add(kPow5[13], 0);
    if (n > 0) mul_add(kPow5[static_cast<std::size_t>(n)], 0);
  }
  void shl(int bits) {
    if (is_zero() || bits == 0) return;
    auto words = static_cast<std::size_t>(bits / 32);
    int rest = bits % 32;
    if (rest != 0) {
      std::uint32_t carry = 0;
      for (auto& limb : limbs_) {
        std::uint32_t next = limb >> (32 - rest);
        limb = (limb << rest) | carry;
        carry = next;
      }
      if (carry != 0) limbs_.push_back(carry);
    }
    limbs_.insert(limbs_.begin(), words, 0);
  }
  // *this -= b, for b <= *this.
  void sub(const BigNat& b) {
    std::int64_t borrow = 0;
    for (std::size_t i = 0; i < limbs_.size(); ++i) {
      std::int64_t t = std::int64_t{limbs_[i]} - (i < b.limbs_.size() ? b.limbs_[i] : 0) - borrow;
      borrow = t < 0 ? 1 : 0;
      limbs_[i] = static_cast<std::uint32_t>(t + (borrow << 32));
    }
    trim();
  }
  // The remainder of division by d; *this becomes the quotient.
  std::uint32_t divmod(std::uint32_t d) {
    std::uint64_t rem = 0;
    for (auto it = limbs_.rbegin(); it != limbs_.rend(); ++it) {
      std::uint64_t cur = (rem << 32) | *it;
      *it = static_cast<std::uint32_t>(cur / d);
      rem = cur % d;
    }
    trim();
    return static_cast<std::uint32_t>(rem);
  }
  int bit_length() const {
    if (is_zero()) return 0;
    int top = 32;
    for (auto v = limbs_.back(); (v & 0x80000000U) == 0; v <<= 1) --top;
    return static_cast<int>(32 * (limbs_.size() - 1)) + top;
  }
  friend int compare(const BigNat& a, const BigNat& b) {
    if (a.limbs_.size() != b.limbs_.size()) return a.limbs_.size() < b.limbs_.size() ? -1 : 1;
    for (auto i = a.limbs_.size(); i-- > 0;) {
      if (a.limbs_[i] != b.limbs_[i]) return a.limbs_[i] < b.limbs_[i] ? -1 : 1;
    }
    return 0;
  }
  // Decimal digits, most significant first ("0" for zero).
  std::string decimal() const {
    BigNat n = *this;
    std::string out;
    while (!n.is_zero()) {
      auto chunk = n.divmod(1000000000);
      for (int i = 0; i < 9; ++i, chunk /= 10) out += static_cast<char>('0' + chunk % 10);
    }
    while (out.size() > 1 && out.back() == '0') out.pop_back();
    if (out.empty()) out = "0";
    std::reverse(out.begin(), out.end());
    return out;
  }

 private:
  void trim() {
    while (!limbs_.empty() && limbs_.back() == 0) limbs_.pop_back();
  }
  std::vector<std::uint32_t> limbs_;
};

constexpr int kMantissaBits = 52;
constexpr int kMinExponent = -1074;  // of the least subnormal, 2^-1074
constexpr std::uint64_t kHidden = std::uint64_t{1} << kMantissaBits;

double from_bits(std::uint64_t bits) {
  double d = 0;
  std::memcpy(&d, &bits, sizeof d);
  return d;
}

// The double nearest to q * 2^e (q < 2^57; `sticky`: the true value is a
// little more than that), ties to even, subnormals and overflow included.
double nearest_double(std::uint64_t q, int e, bool sticky) {
  int length = 64 - __builtin_clzll(q);
  int shift = std::max(length - (kMantissaBits + 1), kMinExponent - e);
  std::uint64_t m = q;
  if (shift > 0) {
    if (shift > 58) return 0;  // far below half of the least subnormal
    m = q >> shift;
    bool half = ((q >> (shift - 1)) & 1) != 0;
    bool rest = sticky || (q & ((std::uint64_t{1} << (shift - 1)) - 1)) != 0;
    if (half && (rest || (m & 1) != 0)) ++m;
    e += shift;
  }
  if (m == 2 * kHidden) {  // rounding carried into the next binade
    m = kHidden;
    ++e;
  }
  if (m < kHidden) return from_bits(m);  // subnormal (e is kMinExponent)
  std::int64_t biased = e + 1075;
  if (biased >= 2047) return from_bits(std::uint64_t{2047} << kMantissaBits);
  return from_bits((static_cast<std::uint64_t>(biased) << kMantissaBits) | (m - kHidden));
}

// The double nearest to digits * 10^exp10 (positive digits).
double nearest_double(BigNat num, int exp10) {
  BigNat den(1);
  int e = 0;
  if (exp10 >= 0) {
    num.mul_pow5(exp10);
    num.shl(exp10);
  } else {
    den.mul_pow5(-exp10);  // 10^-k = 5^-k * 2^-k
    e = exp10;
  }
  // Scale so that the quotient has 55 or 56 bits: two beyond the mantissa,
  // the rest of the remainder a sticky bit.
  int s = 55 - (num.bit_length() - den.bit_length());
  if (s >= 0) {
    num.shl(s);
  } else {
    den.shl(-s);
  }
  e -= s;
  std::uint64_t q = 0;
  for (int i = 56; i >= 0; --i) {
    BigNat part = den;
    part.shl(i);
    if (compare(num, part) >= 0) {
      num.sub(part);
      q |= std::uint64_t{1} << i;
    }
  }
  return nearest_double(q, e, !num.is_zero());
}

// Significant digits kept exactly; beyond them only whether any is non-zero
// matters (a 1 appended stands for them), since 768 digits already tell
// apart every pair of doubles and the point halfway between.
constexpr int kMaxDigits = 800;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

double parse_json_number(std::string_view text) {
  std::size_t i = 0;
  bool negative = i < text.size() && text[i] == '-';
  if (negative) ++i;
  BigNat digits;
  int kept = 0;
  bool dropped = false;  // a non-zero digit beyond kMaxDigits
  long exp10 = 0;
  auto take = [&](char c, bool fraction) {
    if (kept == 0 && c == '0') {
      if (fraction) --exp10;
      return;
    }
    if (kept < kMaxDigits) {
      digits.mul_add(10, static_cast<std::uint32_t>(c - '0'));
      ++kept;
      if (fraction) --exp10;
    } else {
      dropped = dropped || c != '0';
      if (!fraction) ++exp10;
    }
  };
  for (; i < text.size() && is_digit(text[i]); ++i) take(text[i], false);
  if (i < text.size() && text[i] == '.') {
    for (++i; i < text.size() && is_digit(text[i]); ++i) take(text[i], true);
  }
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool minus = i < text.size() && text[i] == '-';
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) ++i;
    long e = 0;
    for (; i < text.size() && is_digit(text[i]); ++i) e = std::min(e * 10 + (text[i] - '0'), 1000000L);
    exp10 += minus ? -e : e;
  }
  double magnitude = 0;
  if (kept > 0) {
    if (dropped) {
      digits.mul_add(10, 1);
      ++kept;
      --exp10;
    }
    long leading = exp10 + kept - 1;  // the value is in [10^leading, 10^(leading+1))
    if (leading > 309) {
      magnitude = from_bits(std::uint64_t{2047} << kMantissaBits);
    } else if (leading >= -325) {
      magnitude = nearest_double(std::move(digits), static_cast<int>(exp10));
    }
  }
  return negative ? -magnitude : magnitude;
}

std::string format_es6_number(double value) {
  if (value == 0) return "0";  // also -0
  std::uint64_t bits = 0;
  std::memcpy(&bits, &value, sizeof bits);
  const bool negative = (bits >> 63) != 0;
  bits &= ~(std::uint64_t{1} << 63);
  auto biased = static_cast<int>(bits >> kMantissaBits);
  std::uint64_t m = bits & (kHidden - 1);
  int e = kMinExponent;
  if (biased != 0) {
    m |= kHidden;
    e = biased - 1075;
  }
  // The double's exact decimal expansion: m * 2^e = exact * 10^power.
  BigNat exact(m);
  int power = 0;
  if (e >= 0) {
    exact.shl(e);
  } else {
    exact.mul_pow5(-e);
    power = e;
  }
  const std::string all = exact.decimal();
  const double target = from_bits(bits);
  // Shortest digits that round-trip: the expansion correctly rounded (ties to
  // even) to 1, 2, ... significant digits until one reads back as the same
  // double (ES6 section 7.1.12.1 picks the closest such digits).
  std::string digits;
  int n = 0;  // value = 0.digits * 10^n
  for (std::size_t precision = 1;; ++precision) {
    n = static_cast<int>(all.size()) + power;
    digits = all.substr(0, precision);
    if (precision < all.size()) {
      char next = all[precision];
      bool rest = all.find_first_not_of('0', precision + 1) != std::string::npos;
      if (next > '5' || (next == '5' && (rest || (digits.back() - '0') % 2 == 1))) {
        auto at = digits.find_last_not_of('9');
        if (at == std::string::npos) {
          digits = "1";
          ++n;
        } else {
          ++digits[at];
          digits.resize(at + 1);
        }
      }
    }
    BigNat back;
    for (char c : digits) back.mul_add(10, static_cast<std::uint32_t>(c - '0'));
    if (precision >= all.size() || nearest_double(back, n - static_cast<int>(digits.size())) == target) break;
  }
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();

  return es6_layout(negative, digits, n);
}

std::string es6_layout(bool negative, std::string_view digits, int n) {
  std::string out = negative ? "-" : "";
  const int k = static_cast<int>(digits.size());
  const auto at = static_cast<std::size_t>(std::max(n, 0));
  if (k <= n && n <= 21) {
    out.append(digits).append(static_cast<std::size_t>(n - k), '0');
  } else if (0 < n && n <= 21) {
    out.append(digits.substr(0, at)).append(".").append(digits.substr(at));
  } else if (-6 < n && n <= 0) {
    out.append("0.").append(static_cast<std::size_t>(-n), '0').append(digits);
  } else {
    out.append(digits.substr(0, 1));
    if (k > 1) out.append(".").append(digits.substr(1));
    out.append(n - 1 >= 0 ? "e+" : "e-").append(std::to_string(std::abs(n - 1)));
  }
  return out;
}

}  // namespace objector
