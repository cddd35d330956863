#include "core/json/json_reader.hpp"

#include <algorithm>

#include "core/bytes.hpp"
#include "core/json/es6_number.hpp"
#include "core/json/jcs_writer.hpp"

namespace objector {

// ---- values ----------------------------------------------------------------

// An absent member (an invalid value) reads as null, never as a crash.
JsonType JsonValue::type() const { return doc_ ? doc_->nodes_[node_].type : JsonType::null; }

std::string_view JsonValue::type_name() const {
  switch (type()) {
    case JsonType::null:
      return "null";
    case JsonType::boolean:
      return "boolean";
    case JsonType::integer:
    case JsonType::fraction:
      return "number";
    case JsonType::string:
      return "string";
    case JsonType::array:
      return "array";
    case JsonType::object:
      return "object";
  }
  return "null";
}

std::string_view JsonValue::raw() const {
  if (!doc_) return "null";
  const auto& n = doc_->nodes_[node_];
  return doc_->text_.substr(n.raw_begin, n.raw_end - n.raw_begin);
}
std::string_view JsonValue::text() const { return doc_ ? doc_->nodes_[node_].str : std::string_view(); }
bool JsonValue::boolean() const { return doc_->nodes_[node_].flag; }
bool JsonValue::is_negative() const { return doc_->nodes_[node_].flag; }
std::uint64_t JsonValue::magnitude() const { return doc_->nodes_[node_].number; }
double JsonValue::as_double() const { return parse_json_number(raw()); }
std::size_t JsonValue::size() const { return doc_ ? doc_->nodes_[node_].count : 0; }

JsonValue JsonValue::operator[](std::size_t i) const {
  auto at = node_ + 1;
  for (; i > 0; --i) at = doc_->nodes_[at].next;
  return {doc_, at};
}

// Empty unless this is an array (or, below, an object).
JsonValue::Elements JsonValue::elements() const {
  if (!is_array()) return {doc_, 0, 0};
  return {doc_, node_ + 1, doc_->nodes_[node_].next};
}

JsonValue::Elements::Iterator& JsonValue::Elements::Iterator::operator++() {
  node_ = doc_->nodes_[node_].next;
  return *this;
}

JsonValue::Members JsonValue::members() const {
  if (!is_object()) return {doc_, 0, 0};
  return {doc_, node_ + 1, doc_->nodes_[node_].next};
}

JsonValue::Member JsonValue::MemberIterator::operator*() const {
  return {doc_->nodes_[node_].str, JsonValue(doc_, node_ + 1)};
}

JsonValue::MemberIterator& JsonValue::MemberIterator::operator++() {
  node_ = doc_->nodes_[node_ + 1].next;
  return *this;
}

JsonValue JsonValue::find(std::string_view key) const {
  if (!is_object()) return {};
  for (auto m : members()) {
    if (m.key == key) return m.value;
  }
  return {};
}

// ---- reading ---------------------------------------------------------------

namespace {

// JCS orders keys by UTF-16 code units. For valid UTF-8 that is byte order,
// except that characters above U+FFFF (4-byte sequences, surrogate pairs in
// UTF-16) sort before U+E000..U+FFFF (3-byte sequences from 0xEE).
int utf16_rank(unsigned char lead) {
  if (lead >= 0xF0) return 0xED;  // between the 3-byte leads below and above the surrogates
  return lead;
}

bool utf16_less(std::string_view a, std::string_view b) {
  auto n = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (a[i] == b[i]) continue;
    auto x = static_cast<unsigned char>(a[i]);
    auto y = static_cast<unsigned char>(b[i]);
    // Continuation bytes compare as bytes; only a differing lead byte of
    // the same character position can change the order.
    if (x >= 0xC0 && y >= 0xC0) {
      int rx = utf16_rank(x);
      int ry = utf16_rank(y);
      if (rx != ry) return rx < ry;
    }
    return x < y;
  }
  return a.size() < b.size();
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void append_utf8(std::uint32_t cp, std::string& out) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// The length of the valid UTF-8 sequence at s[i] (a lead byte >= 0x80), or 0.
std::size_t utf8_sequence(std::string_view s, std::size_t i) {
  auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
  auto cont = [&](std::size_t k) { return i + k < s.size() && (b(k) & 0xC0) == 0x80; };
  auto c = b(0);
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (!cont(1) || !cont(2)) return 0;
    if (c == 0xE0 && b(1) < 0xA0) return 0;   // overlong
    if (c == 0xED && b(1) >= 0xA0) return 0;  // a surrogate
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    if (c == 0xF0 && b(1) < 0x90) return 0;   // overlong
    if (c == 0xF4 && b(1) >= 0x90) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

// The escape JCS writes for a character that needs one, or 0 for none.
char short_escape(unsigned char c) {
  switch (c) {
    case '"':
      return '"';
    case '\\':
      return '\\';
    case '\b':
      return 'b';
    case '\f':
      return 'f';
    case '\n':
      return 'n';
    case '\r':
      return 'r';
    case '\t':
      return 't';
    default:
      return 0;
  }
}

constexpr std::uint64_t kExactIntegers = std::uint64_t{1} << 53;

}  // namespace

class JsonReader {
 public:
  JsonReader(JsonDocument& doc, std::string_view text, JsonLimits limits)
      : doc_(doc), s_(text), max_depth_(limits.max_depth) {}

  Status read() {
    skip_space();
    OBJECTOR_RETURN_IF_ERROR(value());
    skip_space();
    if (i_ != s_.size()) return fail(i_, "unexpected text after the JSON value");
    return Ok{};
  }

 private:
  using Node = JsonDocument::Node;

  Error fail(std::size_t at, std::string_view what) const {
    at = std::min(at, s_.size());
    std::size_t line = 1;
    std::size_t column = 1;
    for (std::size_t k = 0; k < at; ++k) {
      line += s_[k] == '\n' ? 1 : 0;
      column = s_[k] == '\n' ? 1 : column + 1;
    }
    return make_error(errc::bad_json, "invalid JSON: line " + std::to_string(line) + ", column " +
                                          std::to_string(column) + ": " + std::string(what));
  }

  void skip_space() {
    auto start = i_;
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\n' || s_[i_] == '\r' || s_[i_] == '\t')) ++i_;
    if (i_ != start) doc_.canonical_ = false;
  }

  std::uint32_t push(JsonType type) {
    auto& nodes = doc_.nodes_;
    nodes.push_back(Node{type, false, 0, 0, static_cast<std::uint32_t>(i_), 0, {}, 0});
    return static_cast<std::uint32_t>(nodes.size() - 1);
  }
  void close(std::uint32_t node) {
    auto& n = doc_.nodes_[node];
    n.raw_end = static_cast<std::uint32_t>(i_);
    n.next = static_cast<std::uint32_t>(doc_.nodes_.size());
  }

  Status value() {
    if (i_ >= s_.size()) return fail(i_, "unexpected end of text, expected a value");
    switch (s_[i_]) {
      case '{':
        return object();
      case '[':
        return array();
      case '"': {
        auto node = push(JsonType::string);
        OBJECTOR_RETURN_IF_ERROR(string(node));
        close(node);
        return Ok{};
      }
      case 't':
        return literal("true", JsonType::boolean, true);
      case 'f':
        return literal("false", JsonType::boolean, false);
      case 'n':
        return literal("null", JsonType::null, false);
      default:
        return number();
    }
  }

  Status literal(std::string_view word, JsonType type, bool flag) {
    if (s_.substr(i_, word.size()) != word)
      return fail(i_, "expected a value (hint: true, false and null are lowercase)");
    auto node = push(type);
    doc_.nodes_[node].flag = flag;
    i_ += word.size();
    close(node);
    return Ok{};
  }

  Status enter() {
    if (++depth_ > max_depth_) {
      return make_error(errc::bad_json, "invalid JSON: nesting deeper than " + std::to_string(max_depth_) + " levels");
    }
    return Ok{};
  }

  Status array() {
    OBJECTOR_RETURN_IF_ERROR(enter());
    auto node = push(JsonType::array);
    ++i_;
    skip_space();
    std::uint32_t count = 0;
    if (i_ < s_.size() && s_[i_] == ']') {
      ++i_;
    } else {
      for (;;) {
        OBJECTOR_RETURN_IF_ERROR(value());
        ++count;
        skip_space();
        if (i_ < s_.size() && s_[i_] == ',') {
          ++i_;
          skip_space();
          continue;
        }
        if (i_ < s_.size() && s_[i_] == ']') {
          ++i_;
          break;
        }
        return fail(i_, "expected ',' or ']' after an array element");
      }
    }
    doc_.nodes_[node].count = count;
    close(node);
    --depth_;
    return Ok{};
  }

  Status object() {
    OBJECTOR_RETURN_IF_ERROR(enter());
    auto node = push(JsonType::object);
    ++i_;
    skip_space();
    std::uint32_t count = 0;
    bool in_order = true;  // keys strictly ascending so far: then no duplicates either
    std::string_view previous;
    if (i_ < s_.size() && s_[i_] == '}') {
      ++i_;
    } else {
      for (;;) {
        if (i_ >= s_.size() || s_[i_] != '"')
          return fail(i_, "expected a string key (hint: keys are in double quotes)");
        auto key = push(JsonType::string);
        OBJECTOR_RETURN_IF_ERROR(string(key));
        close(key);
        auto name = doc_.nodes_[key].str;
        if (count > 0 && in_order && !utf16_less(previous, name)) in_order = false;
        previous = name;
        ++count;
        skip_space();
        if (i_ >= s_.size() || s_[i_] != ':') return fail(i_, "expected ':' after an object key");
        ++i_;
        skip_space();
        OBJECTOR_RETURN_IF_ERROR(value());
        skip_space();
        if (i_ < s_.size() && s_[i_] == ',') {
          ++i_;
          skip_space();
          continue;
        }
        if (i_ < s_.size() && s_[i_] == '}') {
          ++i_;
          break;
        }
        return fail(i_, "expected ',' or '}' after an object member");
      }
    }
    doc_.nodes_[node].count = count;
    close(node);
    --depth_;
    if (in_order) return Ok{};
    doc_.canonical_ = false;
    return check_unique_keys(node);
  }

  Status check_unique_keys(std::uint32_t node) {
    keys_.clear();
    for (auto m : JsonValue(&doc_, node).members()) keys_.push_back(m.key);
    std::sort(keys_.begin(), keys_.end());
    auto dup = std::adjacent_find(keys_.begin(), keys_.end());
    if (dup == keys_.end()) return Ok{};
    return make_error(errc::bad_json, "invalid JSON: duplicate key \"" + std::string(dup->substr(0, 64)) +
                                          "\" (hint: each key may appear once per object)");
  }

  // A string at s_[i_] == '"' into node.str: a view of the text when it has
  // no escapes, else decoded into the document's buffer.
  Status string(std::uint32_t node) {
    auto start = ++i_;
    auto& decoded = doc_.decoded_;
    std::size_t out_start = 0;
    bool escaped = false;
    auto run = start;  // the bytes since the last escape, copied in one piece
    for (;;) {
      if (i_ >= s_.size()) return fail(start - 1, "unterminated string (hint: a string ends with '\"')");
      auto c = static_cast<unsigned char>(s_[i_]);
      if (c == '"') break;
      if (c < 0x20) return fail(i_, "control character in a string (hint: write it as an escape such as \\n)");
      if (c >= 0x80) {
        auto n = utf8_sequence(s_, i_);
        if (n == 0) return fail(i_, "invalid UTF-8 in a string");
        i_ += n;
        continue;
      }
      if (c != '\\') {
        ++i_;
        continue;
      }
      if (!escaped) {
        // The first escape of the document reserves room for all the
        // decoded strings it can hold, so views into the buffer stay valid.
        if (decoded.capacity() < s_.size()) decoded.reserve(s_.size());
        out_start = decoded.size();
        escaped = true;
      }
      decoded.append(s_.substr(run, i_ - run));
      OBJECTOR_RETURN_IF_ERROR(escape(decoded));
      run = i_;
    }
    if (escaped) decoded.append(s_.substr(run, i_ - run));
    doc_.nodes_[node].str = escaped ? std::string_view(decoded).substr(out_start) : s_.substr(start, i_ - start);
    ++i_;
    return Ok{};
  }

  // The escape at s_[i_] == '\\', appended to `out`.
  Status escape(std::string& out) {
    auto at = i_;
    if (i_ + 1 >= s_.size()) return fail(at, "unterminated escape");
    char e = s_[i_ + 1];
    i_ += 2;
    static constexpr std::string_view kShort = "\"\\/bfnrt";
    static constexpr std::string_view kValue = "\"\\/\b\f\n\r\t";
    if (auto k = kShort.find(e); k != std::string_view::npos) {
      if (e == '/') doc_.canonical_ = false;  // JCS writes '/' as itself
      out += kValue[k];
      return Ok{};
    }
    if (e != 'u') return fail(at, "invalid escape (hint: \\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX)");
    OBJECTOR_TRY(auto cp, hex4(at));
    if (cp >= 0xDC00 && cp <= 0xDFFF) return fail(at, "lone low surrogate in a \\u escape");
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      if (s_.substr(i_, 2) != "\\u") return fail(at, "high surrogate not followed by a low one in \\u escapes");
      auto low_at = i_;
      i_ += 2;
      OBJECTOR_TRY(auto low, hex4(low_at));
      if (low < 0xDC00 || low > 0xDFFF) return fail(low_at, "high surrogate not followed by a low one in \\u escapes");
      cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
    }
    // JCS writes \u00xx (lowercase) only for controls without a short escape.
    bool jcs_form = cp < 0x20 && short_escape(static_cast<unsigned char>(cp)) == 0 && s_.substr(at + 2, 2) == "00" &&
                    hex_digit(s_[at + 4]) == static_cast<int>(cp >> 4) && !(s_[at + 5] >= 'A' && s_[at + 5] <= 'F');
    if (!jcs_form) doc_.canonical_ = false;
    append_utf8(cp, out);
    return Ok{};
  }

  Result<std::uint32_t> hex4(std::size_t at) {
    if (i_ + 4 > s_.size()) return fail(at, "a \\u escape needs four hex digits");
    std::uint32_t cp = 0;
    for (int k = 0; k < 4; ++k) {
      int d = hex_digit(s_[i_ + k]);
      if (d < 0) return fail(at, "a \\u escape needs four hex digits");
      cp = cp << 4 | static_cast<std::uint32_t>(d);
    }
    i_ += 4;
    return cp;
  }

  // RFC 8259 numbers. An integer that fits 64 bits keeps its value.
  Status number() {
    auto start = i_;
    auto digit = [&] { return i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9'; };
    bool negative = i_ < s_.size() && s_[i_] == '-';
    if (negative) ++i_;
    if (!digit()) return fail(start, "expected a value");
    bool leading_zero = s_[i_] == '0';
    std::uint64_t magnitude = 0;
    bool overflow = false;
    for (; digit(); ++i_) {
      auto d = static_cast<std::uint64_t>(s_[i_] - '0');
      overflow = overflow || magnitude > (UINT64_MAX - d) / 10;
      magnitude = magnitude * 10 + d;
    }
    if (leading_zero && i_ - start - (negative ? 1 : 0) > 1) {
      return fail(start, "a number may not have a leading zero");
    }
    bool fraction = false;
    if (i_ < s_.size() && s_[i_] == '.') {
      ++i_;
      if (!digit()) return fail(i_, "expected a digit after the decimal point");
      while (digit()) ++i_;
      fraction = true;
    }
    if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
      ++i_;
      if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-')) ++i_;
      if (!digit()) return fail(i_, "expected a digit in the exponent");
      while (digit()) ++i_;
      fraction = true;
    }
    // Beyond int64 (negative) or uint64 (positive), a number is a double.
    bool fits = !overflow && (!negative || magnitude <= std::uint64_t{1} << 63);
    auto end = i_;
    i_ = start;
    auto node = push(fraction || !fits ? JsonType::fraction : JsonType::integer);
    i_ = end;
    auto& n = doc_.nodes_[node];
    n.flag = negative && magnitude != 0;
    n.number = magnitude;
    if (n.type == JsonType::fraction || (negative && magnitude == 0)) {
      doc_.canonical_ = false;
    } else if (magnitude > kExactIntegers && doc_.canonical_) {
      // Beyond 2^53 JCS writes the double the integer becomes (rare: no
      // Objector document has one).
      std::string written;
      if (negative) {
        write_jcs_integer(static_cast<std::int64_t>(0 - magnitude), written);
      } else {
        write_jcs_integer(magnitude, written);
      }
      if (written != s_.substr(start, end - start)) doc_.canonical_ = false;
    }
    close(node);
    return Ok{};
  }

  JsonDocument& doc_;
  std::string_view s_;
  std::size_t i_ = 0;
  int depth_ = 0;
  int max_depth_;
  std::vector<std::string_view> keys_;
};

JsonDocument::~JsonDocument() { wipe(decoded_); }

Result<JsonValue> JsonDocument::parse(std::string_view text, JsonLimits limits) {
  if (text.size() > limits.max_bytes) {
    return make_error(errc::too_large, "JSON document of " + std::to_string(text.size()) +
                                           " bytes exceeds the limit of " + std::to_string(limits.max_bytes) +
                                           " bytes");
  }
  if (text.size() >= UINT32_MAX) return make_error(errc::too_large, "JSON document over 4 GiB");
  nodes_.clear();
  wipe(decoded_);
  decoded_.clear();
  text_ = text;
  canonical_ = true;
  JsonReader reader(*this, text, limits);
  if (auto ok = reader.read(); !ok) {
    nodes_.clear();
    return std::move(ok).error();
  }
  return JsonValue(this, 0);
}

}  // namespace objector
