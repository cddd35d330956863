// The strict JSON reader of the hot paths (log entries, export lines,
// receipts, submissions) and of the wasm API: one pass over the text writes a
// flat tape of views into it, no DOM nodes and no allocation per field
// (strings with escapes are decoded into one buffer per document). The same
// pass applies the rules of parse_json (RFC 8259, no duplicate keys, valid
// UTF-8, bounded size and nesting) and notes whether the text is exactly in
// the RFC 8785 (JCS) form that canonicalize() writes, so a signed document's
// canonical form is checked without writing it again.
//
// A JsonValue is a view: it is valid while its JsonDocument lives and is not
// parsed again, and while the parsed text lives.
// Thread safety: a JsonDocument is used by one thread at a time.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/json/json_limits.hpp"
#include "core/result.hpp"

namespace objector {

enum class JsonType : std::uint8_t { null, boolean, integer, fraction, string, array, object };

class JsonDocument;

class JsonValue {
 public:
  JsonType type() const;
  // nlohmann's words, which error messages have always used: "object",
  // "array", "string", "number", "boolean", "null".
  std::string_view type_name() const;
  bool is_object() const { return type() == JsonType::object; }
  bool is_array() const { return type() == JsonType::array; }
  bool is_string() const { return type() == JsonType::string; }
  bool is_integer() const { return type() == JsonType::integer; }
  bool is_number() const { return type() == JsonType::integer || type() == JsonType::fraction; }

  // The value's own bytes in the parsed text.
  std::string_view raw() const;
  // A string's decoded text.
  std::string_view text() const;
  bool boolean() const;
  // An integer that fits int64_t or uint64_t (larger ones are fractions,
  // as JSON numbers beyond 64 bits are doubles for every other reader).
  bool is_negative() const;
  std::uint64_t magnitude() const;
  // Any number as the nearest double (settings such as rates; not for
  // signed documents, which hold integers only).
  double as_double() const;

  // Elements of an array or members of an object.
  std::size_t size() const;
  bool empty() const { return size() == 0; }
  JsonValue operator[](std::size_t i) const;  // array element, i < size()

  class Elements;
  Elements elements() const;  // an array's elements
  struct Member;
  class MemberIterator;
  class Members;
  Members members() const;  // an object's members in text order
  // The member's value; an invalid JsonValue (valid() false) when absent or
  // when this is not an object.
  JsonValue find(std::string_view key) const;
  bool contains(std::string_view key) const { return find(key).valid(); }
  // Precondition: the member is there (checked by expect_object).
  JsonValue at(std::string_view key) const { return find(key); }
  bool valid() const { return doc_ != nullptr; }

 private:
  friend class JsonDocument;
  friend class JsonReader;
  friend class Elements;
  friend class MemberIterator;
  JsonValue(const JsonDocument* doc, std::uint32_t node) : doc_(doc), node_(node) {}
  JsonValue() = default;
  const JsonDocument* doc_ = nullptr;
  std::uint32_t node_ = 0;
};

class JsonValue::Elements {
 public:
  class Iterator {
   public:
    JsonValue operator*() const { return {doc_, node_}; }
    Iterator& operator++();
    bool operator!=(const Iterator& o) const { return node_ != o.node_; }

   private:
    friend class Elements;
    Iterator(const JsonDocument* doc, std::uint32_t node) : doc_(doc), node_(node) {}
    const JsonDocument* doc_;
    std::uint32_t node_;
  };
  Iterator begin() const { return {doc_, first_}; }
  Iterator end() const { return {doc_, end_}; }

 private:
  friend class JsonValue;
  Elements(const JsonDocument* doc, std::uint32_t first, std::uint32_t end) : doc_(doc), first_(first), end_(end) {}
  const JsonDocument* doc_;
  std::uint32_t first_;
  std::uint32_t end_;
};

struct JsonValue::Member {
  std::string_view key;
  JsonValue value;
};

class JsonValue::MemberIterator {
 public:
  Member operator*() const;
  MemberIterator& operator++();
  bool operator!=(const MemberIterator& o) const { return node_ != o.node_; }

 private:
  friend class JsonValue;
  MemberIterator(const JsonDocument* doc, std::uint32_t node) : doc_(doc), node_(node) {}
  const JsonDocument* doc_;
  std::uint32_t node_;
};

class JsonValue::Members {
 public:
  MemberIterator begin() const { return {doc_, first_}; }
  MemberIterator end() const { return {doc_, end_}; }

 private:
  friend class JsonValue;
  Members(const JsonDocument* doc, std::uint32_t first, std::uint32_t end) : doc_(doc), first_(first), end_(end) {}
  const JsonDocument* doc_;
  std::uint32_t first_;
  std::uint32_t end_;
};

class JsonDocument {
 public:
  JsonDocument() = default;
  JsonDocument(const JsonDocument&) = delete;
  JsonDocument& operator=(const JsonDocument&) = delete;
  ~JsonDocument();  // wipes the decoded strings: they may be secrets

  // Reads `text` (which must outlive the values); the document's earlier
  // values are invalid afterwards. Errors as parse_json's:
  // "invalid JSON: line L, column C: what".
  Result<JsonValue> parse(std::string_view text, JsonLimits limits = {});

  // The text is exactly what canonicalize() writes for its value (no
  // whitespace, keys in UTF-16 order, JCS escapes, integers as ES6 writes
  // them).
  // Documents with a fraction never count as canonical here: no signed
  // format of Objector has one, and checking one needs strtod.
  bool canonical() const { return canonical_; }

 private:
  friend class JsonValue;
  friend class JsonReader;
  struct Node {
    JsonType type = JsonType::null;
    bool flag = false;        // boolean value; integer sign
    std::uint32_t next = 0;   // the node after this value's subtree
    std::uint32_t count = 0;  // elements or members
    std::uint32_t raw_begin = 0;
    std::uint32_t raw_end = 0;
    std::string_view str;  // a string's decoded text (a key's too)
    std::uint64_t number = 0;
  };
  std::vector<Node> nodes_;
  std::string decoded_;  // strings that had escapes; reserved once, so views stay put
  std::string_view text_;
  bool canonical_ = false;
};

}  // namespace objector
