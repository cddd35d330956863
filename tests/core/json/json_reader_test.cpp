#include "core/json/json_reader.hpp"

#include <boost/test/unit_test.hpp>

#include "core/json/jcs.hpp"
#include "core/objection/export_lines.hpp"
#include "tests/support/files.hpp"

using namespace objector;

namespace {

// Whether `text` reads, and if so whether the reader calls it canonical.
std::string verdict(std::string_view text) {
  JsonDocument doc;
  auto v = doc.parse(text);
  if (!v) return v.error().message;
  return doc.canonical() ? "canonical" : "not canonical";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(json_reader)

BOOST_AUTO_TEST_CASE(values_are_views_of_the_text) {
  std::string text =
      R"({"a":[1,-2,true,null,"x\ny"],"b":{"c":"plain"},"n":18446744073709551615,"m":-9223372036854775808})";
  JsonDocument doc;
  auto root = doc.parse(text).value();
  BOOST_TEST(root.type_name() == "object");
  BOOST_TEST(root.size() == 4u);
  auto a = root.at("a");
  BOOST_TEST(a.raw() == R"([1,-2,true,null,"x\ny"])");
  BOOST_TEST(a.size() == 5u);
  BOOST_TEST(a[1].is_negative());
  BOOST_TEST(a[1].magnitude() == 2u);
  BOOST_TEST(a[2].boolean());
  BOOST_TEST(a[3].type_name() == "null");
  BOOST_TEST(a[4].text() == "x\ny");  // decoded
  auto plain = root.at("b").at("c").text();
  BOOST_TEST((plain.data() >= text.data() && plain.data() < text.data() + text.size()));  // no copy
  BOOST_TEST(root.at("n").magnitude() == UINT64_MAX);
  BOOST_TEST(root.at("m").magnitude() == std::uint64_t{1} << 63);
  BOOST_TEST(!root.find("missing").valid());
  std::string keys;
  for (auto m : root.members()) keys += std::string(m.key) + ",";
  BOOST_TEST(keys == "a,b,n,m,");
  BOOST_TEST(doc.canonical() == false);  // "m" after "n", and 2^64-1 is not exact as a double
}

BOOST_AUTO_TEST_CASE(numbers_beyond_64_bits_and_fractions_are_fractions) {
  JsonDocument doc;
  auto root = doc.parse("[18446744073709551616,-9223372036854775809,1.5,1e2,0]").value();
  BOOST_TEST(root[0].type_name() == "number");
  BOOST_TEST(!root[0].is_integer());
  BOOST_TEST(!root[1].is_integer());
  BOOST_TEST(!root[2].is_integer());
  BOOST_TEST(root[2].as_double() == 1.5);
  BOOST_TEST(!root[3].is_integer());
  BOOST_TEST(root[4].is_integer());
}

BOOST_AUTO_TEST_CASE(canonical_form_is_what_canonicalize_writes) {
  BOOST_TEST(verdict(R"({"a":1,"b":[true,null,"x"]})") == "canonical");
  BOOST_TEST(verdict(R"({"a": 1})") == "not canonical");          // whitespace
  BOOST_TEST(verdict(R"({"b":1,"a":2})") == "not canonical");     // key order
  BOOST_TEST(verdict(R"({"a":"\/"})") == "not canonical");        // JCS writes '/'
  BOOST_TEST(verdict(R"({"a":"\u0041"})") == "not canonical");    // and 'A'
  BOOST_TEST(verdict(R"({"a":"\u000A"})") == "not canonical");    // and "\n"
  BOOST_TEST(verdict(R"({"a":"\u001F"})") == "not canonical");    // lowercase hex
  BOOST_TEST(verdict(R"({"a":"\u001f\n\"\\"})") == "canonical");  // the escapes JCS writes
  BOOST_TEST(verdict(R"([-0])") == "not canonical");
  BOOST_TEST(verdict(R"([9007199254740992,-9007199254740992])") == "canonical");
  BOOST_TEST(verdict(R"([9007199254740993])") == "not canonical");  // it is written as ...992
  BOOST_TEST(verdict(R"([33333333333333332])") == "canonical");     // as ES6 writes the double
  BOOST_TEST(verdict(R"([33333333333333333])") == "not canonical");
  BOOST_TEST(verdict(R"([1.5])") == "not canonical");          // fractions: see the header
  BOOST_TEST(verdict("\"\xF0\x9F\x98\x82\"") == "canonical");  // UTF-8 as itself
  // Keys in UTF-16 order: U+20AC < U+1F602 (a surrogate pair) < U+FB33.
  BOOST_TEST(verdict("{\"\xE2\x82\xAC\":1,\"\xF0\x9F\x98\x82\":2,\"\xEF\xAC\xB3\":3}") == "canonical");
  BOOST_TEST(verdict("{\"\xE2\x82\xAC\":1,\"\xEF\xAC\xB3\":3,\"\xF0\x9F\x98\x82\":2}") == "not canonical");
}

// cyberphone/json-canonicalization: every output file is canonical to the
// reader (but values.json, which has fractions), no input file is, and
// canonicalize() of the reader's value is the output byte for byte.
BOOST_AUTO_TEST_CASE(rfc8785_reference_vectors) {
  auto dir = test::test_vectors() / "jcs/testdata";
  for (const auto& in : test::files_under(dir / "input", ".json")) {
    auto input = test::read_file(in);
    auto output = test::read_file(dir / "output" / in.filename());
    JsonDocument doc;
    auto value = doc.parse(input);
    BOOST_TEST_REQUIRE(value.ok(), in);
    BOOST_TEST(!doc.canonical(), in.filename());
    BOOST_TEST(canonicalize(*value).value() == output, in.filename());
    JsonDocument out_doc;
    BOOST_TEST_REQUIRE(out_doc.parse(output).ok());
    BOOST_TEST(out_doc.canonical() == (in.filename() != "values.json"), in.filename());
  }
}

BOOST_AUTO_TEST_CASE(strict_errors_say_where_and_what) {
  BOOST_TEST(verdict("{\n  \"a\": tru\n}") ==
             "invalid JSON: line 2, column 8: expected a value (hint: true, false and null are lowercase)");
  BOOST_TEST(verdict(R"({"a":1,"a":2})") ==
             "invalid JSON: duplicate key \"a\" (hint: each key may appear once per object)");
  BOOST_TEST(verdict(R"({"b":1,"a":2,"b":3})") ==
             "invalid JSON: duplicate key \"b\" (hint: each key may appear once per object)");
  BOOST_TEST(verdict("[1,]") == "invalid JSON: line 1, column 4: expected a value");
  BOOST_TEST(verdict("[01]") == "invalid JSON: line 1, column 2: a number may not have a leading zero");
  BOOST_TEST(verdict("[1.]") == "invalid JSON: line 1, column 4: expected a digit after the decimal point");
  BOOST_TEST(verdict("{\"a\" 1}") == "invalid JSON: line 1, column 6: expected ':' after an object key");
  BOOST_TEST(verdict("{1:2}") ==
             "invalid JSON: line 1, column 2: expected a string key (hint: keys are in double quotes)");
  BOOST_TEST(verdict("\"abc") == "invalid JSON: line 1, column 1: unterminated string (hint: a string ends with '\"')");
  BOOST_TEST(verdict("\"a\tb\"") ==
             "invalid JSON: line 1, column 3: control character in a string (hint: write it as an escape such as \\n)");
  BOOST_TEST(verdict("\"\\x\"") ==
             "invalid JSON: line 1, column 2: invalid escape (hint: \\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX)");
  BOOST_TEST(verdict("\"\\ud800\"") ==
             "invalid JSON: line 1, column 2: high surrogate not followed by a low one in \\u escapes");
  BOOST_TEST(verdict("\"\\udc00\"") == "invalid JSON: line 1, column 2: lone low surrogate in a \\u escape");
  BOOST_TEST(verdict("\"\\u12\"") == "invalid JSON: line 1, column 2: a \\u escape needs four hex digits");
  BOOST_TEST(verdict("\"\xC3\x28\"") == "invalid JSON: line 1, column 2: invalid UTF-8 in a string");
  BOOST_TEST(verdict("\"\xED\xA0\x80\"") == "invalid JSON: line 1, column 2: invalid UTF-8 in a string");
  BOOST_TEST(verdict("\"\xC0\xAF\"") == "invalid JSON: line 1, column 2: invalid UTF-8 in a string");  // overlong
  BOOST_TEST(verdict("{} {}") == "invalid JSON: line 1, column 4: unexpected text after the JSON value");
  BOOST_TEST(verdict("") == "invalid JSON: line 1, column 1: unexpected end of text, expected a value");
  BOOST_TEST(verdict("[1,2") == "invalid JSON: line 1, column 5: expected ',' or ']' after an array element");
}

BOOST_AUTO_TEST_CASE(escapes_and_surrogate_pairs_decode) {
  JsonDocument doc;
  auto v = doc.parse(R"(["\ud83d\ude02","\u00e9\/\b\f\r\t"])").value();
  BOOST_TEST(v[0].text() == "\xF0\x9F\x98\x82");
  BOOST_TEST(v[1].text() == "\xC3\xA9/\b\f\r\t");
}

BOOST_AUTO_TEST_CASE(absent_and_mistyped_values_read_as_empty_not_as_crashes) {
  JsonDocument doc;
  auto root = doc.parse(R"({"list":[1,2],"s":"x"})").value();
  auto missing = root.at("missing");
  BOOST_TEST(!missing.valid());
  BOOST_TEST(missing.type_name() == "null");
  BOOST_TEST(missing.size() == 0u);
  BOOST_TEST(missing.text().empty());
  BOOST_TEST(!root.at("list").find("a").valid());  // find on an array
  BOOST_TEST(!root.at("s").contains("x"));
  std::size_t n = 0;
  for (auto m : root.at("list").members()) n += m.key.size() + 1;
  for (auto e : root.at("s").elements()) n += e.size() + 1;
  BOOST_TEST(n == 0u);
}

BOOST_AUTO_TEST_CASE(a_document_is_reused) {
  JsonDocument doc;
  auto first = doc.parse(R"({"a":"\n"})").value();
  BOOST_TEST(first.at("a").text() == "\n");
  auto second = doc.parse(R"({"b":"x\ty"})").value();
  BOOST_TEST(second.at("b").text() == "x\ty");
  BOOST_TEST(!doc.parse("[").ok());
  BOOST_TEST(doc.parse("[]").value().empty());
}

BOOST_AUTO_TEST_CASE(limits_depth_and_size) {
  JsonDocument doc;
  std::string deep(33, '[');
  deep += std::string(33, ']');
  BOOST_TEST(doc.parse(deep).error().message == "invalid JSON: nesting deeper than 32 levels");
  BOOST_TEST(doc.parse(deep, {.max_bytes = 100, .max_depth = 33}).ok());
  BOOST_TEST(doc.parse("[1]", {.max_bytes = 2, .max_depth = 4}).error().code == "too_large");
}

// An export line's numbers stay within what every JSON reader holds exactly,
// so a line that reads prints back to the same number (a fuzzer's finding:
// index 1764131176413173377 came back as ...173200).
BOOST_AUTO_TEST_CASE(indexes_are_exact_json_integers) {
  const std::string r = "\"l5eXl5eXl5eXl5eXl5eXl5eXl5eXl5eXl5eXl5eXl5c=\"";
  auto line = [&](std::string index) { return "{\"account\":\"user:1\",\"index\":" + index + ",\"r\":" + r + "}"; };
  auto ok = parse_export_opening(line("9007199254740991"));
  BOOST_TEST_REQUIRE(ok.ok());
  BOOST_TEST(format_export_opening(ok->index, ok->opening) == line("9007199254740991"));
  BOOST_TEST(parse_export_opening(line("9007199254740992")).error().message ==
             "opening.index: 9007199254740992 is outside [0, 9007199254740991]");
  BOOST_TEST(parse_export_checkpoint("{\"note\":\"x\",\"size\":1764131176413173377}").error().code == "out_of_range");
}

BOOST_AUTO_TEST_SUITE_END()
