// libFuzzer: the exact decimal <-> double conversions against the C library.
// Eight bytes are a double: its ES6 form is the one printf and strtod give,
// and reads back as the same bits. Any other input that the JSON reader takes
// as one number reads as the double strtod reads.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "core/json/es6_number.hpp"
#include "core/json/json_reader.hpp"
#include "tests/support/c_library_numbers.hpp"

namespace {

std::uint64_t bits_of(double d) {
  std::uint64_t b = 0;
  std::memcpy(&b, &d, sizeof b);
  return b;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == sizeof(double)) {
    double d = 0;
    std::memcpy(&d, data, sizeof d);
    if (!std::isfinite(d)) return 0;
    auto text = objector::format_es6_number(d);
    if (text != objector::test::oracle_format(d)) std::abort();
    if (d != 0 && bits_of(objector::parse_json_number(text)) != bits_of(d)) std::abort();
    return 0;
  }
  std::string_view text(reinterpret_cast<const char*>(data), size);
  objector::JsonDocument doc;
  auto value = doc.parse(text, {.max_bytes = 1 << 16, .max_depth = 1});
  if (!value || (value->type() != objector::JsonType::fraction && value->type() != objector::JsonType::integer)) {
    return 0;
  }
  if (bits_of(value->as_double()) != bits_of(objector::test::oracle_parse(std::string(text)))) std::abort();
  return 0;
}
