#include "core/json/json.hpp"

#include <algorithm>
#include <set>
#include <vector>

#include "core/encoding/utf8.hpp"

namespace objector {
namespace {

// Builds the DOM like nlohmann's own parser, but refuses duplicate keys and
// deep nesting, and remembers where the first problem was.
class StrictSax : public nlohmann::json_sax<json> {
 public:
  StrictSax(std::string_view text, json& root, int max_depth) : text_(text), dom_(root, false), max_depth_(max_depth) {}

  bool null() override { return dom_.null(); }
  bool boolean(bool v) override { return dom_.boolean(v); }
  bool number_integer(number_integer_t v) override { return dom_.number_integer(v); }
  bool number_unsigned(number_unsigned_t v) override { return dom_.number_unsigned(v); }
  bool number_float(number_float_t v, const string_t& s) override { return dom_.number_float(v, s); }
  bool string(string_t& v) override { return dom_.string(v); }
  bool binary(binary_t& v) override { return dom_.binary(v); }

  bool start_object(std::size_t n) override {
    if (!enter()) return false;
    keys_.emplace_back();
    return dom_.start_object(n);
  }
  bool key(string_t& k) override {
    if (!keys_.back().insert(k)) {
      message_ = "duplicate key \"" + k + "\" (hint: each key may appear once per object)";
      return false;
    }
    return dom_.key(k);
  }
  bool end_object() override {
    keys_.pop_back();
    --depth_;
    return dom_.end_object();
  }
  bool start_array(std::size_t n) override { return enter() && dom_.start_array(n); }
  bool end_array() override {
    --depth_;
    return dom_.end_array();
  }

  bool parse_error(std::size_t position, const std::string& /*last_token*/,
                   const nlohmann::detail::exception& e) override {
    // nlohmann says "[json.exception.parse_error.101] parse error at line 1,
    // column 2: what"; keep "what" and point at the last byte it read.
    std::string what = e.what();
    if (auto colon = what.find(": "); colon != std::string::npos) what.erase(0, colon + 2);
    message_ = where(position == 0 ? 0 : position - 1) + ": " + to_valid_utf8(what);
    return false;
  }

  const std::string& message() const { return message_; }

 private:
  bool enter() {
    if (++depth_ > max_depth_) {
      message_ = "nesting deeper than " + std::to_string(max_depth_) + " levels";
      return false;
    }
    return true;
  }

  // 1-based line and column of byte `offset`.
  std::string where(std::size_t offset) const {
    offset = std::min(offset, text_.size());
    std::size_t line = 1;
    std::size_t column = 1;
    for (std::size_t i = 0; i < offset; ++i) {
      line += text_[i] == '\n' ? 1 : 0;
      column = text_[i] == '\n' ? 1 : column + 1;
    }
    return "line " + std::to_string(line) + ", column " + std::to_string(column);
  }

  std::string_view text_;
  nlohmann::detail::json_sax_dom_parser<json> dom_;
  // Keys seen in each open object: a short list (signed objects have ten
  // keys), turning into a set for large objects so parsing stays O(n log n).
  struct Keys {
    std::vector<std::string> few;
    std::set<std::string> many;
    bool insert(const std::string& k) {
      if (!many.empty()) return many.insert(k).second;
      if (std::find(few.begin(), few.end(), k) != few.end()) return false;
      few.push_back(k);
      if (few.size() > 32) many.insert(few.begin(), few.end());
      return true;
    }
  };
  std::vector<Keys> keys_;
  int depth_ = 0;
  int max_depth_;
  std::string message_;
};

}  // namespace

Result<json> parse_json(std::string_view text, JsonLimits limits) {
  if (text.size() > limits.max_bytes) {
    return make_error(errc::too_large, "JSON document of " + std::to_string(text.size()) +
                                           " bytes exceeds the limit of " + std::to_string(limits.max_bytes) +
                                           " bytes");
  }
  json root;
  StrictSax sax(text, root, limits.max_depth);
  if (!json::sax_parse(text.begin(), text.end(), &sax, json::input_format_t::json, true)) {
    return make_error(errc::bad_json, "invalid JSON: " + sax.message());
  }
  return root;
}

}  // namespace objector
