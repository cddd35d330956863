// JSON values to build and write (nlohmann::json), and a DOM of a text read
// by the one strict reader (json_reader.hpp) where a DOM is the right tool:
// CLI output, tests. The hot paths read the reader's tape directly.
// Built with exceptions off (JSON_NOEXCEPTION) in wasm, so nothing here throws.
// Thread safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>

#include "core/json/json_limits.hpp"
#include "core/result.hpp"

namespace objector {

using json = nlohmann::json;

// JsonDocument::parse's rules (RFC 8259, no duplicate keys, valid UTF-8,
// bounded size and nesting) and errors ("line L, column C: what"), as a DOM.
Result<json> parse_json(std::string_view text, JsonLimits limits = {});

}  // namespace objector
