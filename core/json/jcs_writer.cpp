#include "core/json/jcs_writer.hpp"

#include <sodium.h>

#include <cstdlib>
#include <type_traits>

#include "core/json/jcs.hpp"

namespace objector {
namespace {

// JSON numbers are IEEE doubles in JCS; integers up to 2^53 print exactly,
// larger ones as the double they become.
template <class Int>
void write_integer(Int v, std::string& out) {
  constexpr Int exact = Int{1} << 53;
  if (v <= exact && (std::is_unsigned_v<Int> || v >= -exact)) {
    out += std::to_string(v);
  } else {
    out += format_es6_number(static_cast<double>(v));
  }
}

}  // namespace

void write_jcs_string(std::string_view s, std::string& out) {
  static constexpr char hex[] = "0123456789abcdef";
  out += '"';
  std::size_t plain = 0;  // where the run of characters written as they are starts
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.substr(plain, i - plain));  // in runs, not a character at a time
    plain = i + 1;
    out += '\\';
    switch (c) {
      case '"':
        out += '"';
        break;
      case '\\':
        out += '\\';
        break;
      case '\b':
        out += 'b';
        break;
      case '\f':
        out += 'f';
        break;
      case '\n':
        out += 'n';
        break;
      case '\r':
        out += 'r';
        break;
      case '\t':
        out += 't';
        break;
      default:
        out += "u00";
        out += hex[c >> 4];
        out += hex[c & 15];
    }
  }
  out.append(s.substr(plain));
  out += '"';
}

void write_jcs_integer(std::int64_t v, std::string& out) { write_integer(v, out); }
void write_jcs_integer(std::uint64_t v, std::string& out) { write_integer(v, out); }

void JcsWriter::before_value() {
  if (stack_.empty()) return;
  auto& level = stack_.back();
  if (level.object) return;  // key() wrote the separator
  if (!level.first) out_ += ',';
  level.first = false;
}

JcsWriter& JcsWriter::object() {
  before_value();
  out_ += '{';
  stack_.push_back({true, true, {}});
  return *this;
}

JcsWriter& JcsWriter::array() {
  before_value();
  out_ += '[';
  stack_.push_back({false, true, {}});
  return *this;
}

JcsWriter& JcsWriter::end() {
  out_ += stack_.back().object ? '}' : ']';
  stack_.pop_back();
  return *this;
}

JcsWriter& JcsWriter::key(std::string_view k) {
  auto& level = stack_.back();
  // A programming error, not an input one: the documents' keys are constants.
  if (!level.first && !(level.last_key < k)) std::abort();
  if (!level.first) out_ += ',';
  level.first = false;
  level.last_key = k;
  write_jcs_string(k, out_);
  out_ += ':';
  return *this;
}

JcsWriter& JcsWriter::string(std::string_view s) {
  before_value();
  write_jcs_string(s, out_);
  return *this;
}

JcsWriter& JcsWriter::integer(std::int64_t v) {
  before_value();
  write_integer(v, out_);
  return *this;
}

JcsWriter& JcsWriter::boolean(bool v) {
  before_value();
  out_ += v ? "true" : "false";
  return *this;
}

JcsWriter& JcsWriter::base64(ByteView bytes) {
  before_value();
  out_ += '"';
  auto at = out_.size();
  auto len = sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  out_.resize(at + len);
  sodium_bin2base64(out_.data() + at, len, bytes.data(), bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  out_.pop_back();  // libsodium's terminating NUL
  out_ += '"';
  return *this;
}

JcsWriter& JcsWriter::raw(std::string_view canonical_json) {
  before_value();
  out_ += canonical_json;
  return *this;
}

std::string JcsWriter::take() {
  stack_.clear();
  return std::exchange(out_, {});
}

}  // namespace objector
