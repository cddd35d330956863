// A JSON value built in a test, read back through the strict reader for the
// schema functions, which take the reader's JsonValue.
#pragma once

#include <string>

#include "core/json/json.hpp"
#include "core/json/json_reader.hpp"

namespace objector::test {

class ReadBack {
 public:
  explicit ReadBack(const json& j) : text_(j.dump()), value_(doc_.parse(text_).value()) {}
  ReadBack(const ReadBack&) = delete;
  ReadBack& operator=(const ReadBack&) = delete;
  operator JsonValue() const { return value_; }  // NOLINT(google-explicit-constructor): reads like the DOM

 private:
  std::string text_;
  JsonDocument doc_;
  JsonValue value_;
};

// Valid until the end of the full expression: as_value(j) in a call's arguments.
inline ReadBack as_value(const json& j) { return ReadBack(j); }

}  // namespace objector::test
