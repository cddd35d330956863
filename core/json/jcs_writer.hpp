// Writes RFC 8785 (JCS) text directly, without a DOM: the one serializer of
// Objector's own documents (statement, entry, opening, receipts, authorship
// proofs, export lines). The caller gives an object's members in JCS key
// order; every key of those documents is ASCII, where that order is byte
// order, and the writer refuses (debug and release alike) a key out of order.
// Thread safety: one writer per thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/bytes.hpp"

namespace objector {

class JcsWriter {
 public:
  JcsWriter() = default;
  // Room for `reserve` bytes up front: a text that holds a secret then never
  // moves, so no freed copy of it is left unwiped.
  explicit JcsWriter(std::size_t reserve) { out_.reserve(reserve); }

  JcsWriter& object();
  JcsWriter& array();
  JcsWriter& end();  // of the innermost object or array
  JcsWriter& key(std::string_view k);

  JcsWriter& string(std::string_view s);
  JcsWriter& integer(std::int64_t v);
  JcsWriter& boolean(bool v);
  JcsWriter& base64(ByteView bytes);                // a string of standard padded base64
  JcsWriter& raw(std::string_view canonical_json);  // a value already in JCS form

  // The text; the writer is empty afterwards.
  std::string take();

 private:
  void before_value();
  std::string out_;
  struct Level {
    bool object = false;
    bool first = true;
    std::string_view last_key;
  };
  std::vector<Level> stack_;
};

// JCS pieces shared with canonicalize(): a string with JCS's escapes, and an
// integer (exact up to 2^53, beyond as the double it becomes).
void write_jcs_string(std::string_view s, std::string& out);
void write_jcs_integer(std::int64_t v, std::string& out);
void write_jcs_integer(std::uint64_t v, std::string& out);

}  // namespace objector
