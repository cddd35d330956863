// RFC 8785 JSON Canonicalization Scheme (JCS): the one byte form of a JSON
// value that is signed or hashed. Keys sorted by UTF-16 code units, ES6 string
// escaping, ES6 shortest round-trip numbers.
// Thread safety: pure functions.
#pragma once

#include "core/json/es6_number.hpp"
#include "core/json/json.hpp"
#include "core/json/json_reader.hpp"

namespace objector {

// Fails only for values JSON cannot carry (NaN, infinities, binary).
Result<std::string> canonicalize(const json& value);
Result<std::string> canonicalize(JsonValue value);

}  // namespace objector
