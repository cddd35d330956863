// JSON in core: nlohmann::json values, parsed strictly.
// Built with exceptions off (JSON_NOEXCEPTION) in wasm, so nothing here throws.
// Thread safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>

#include "core/result.hpp"

namespace objector {

using json = nlohmann::json;

struct JsonLimits {
  std::size_t max_bytes = 1 << 20;
  int max_depth = 32;
};

// RFC 8259 JSON with the extra rules every signed or stored document needs:
// no duplicate object keys (they would let two readers see different values),
// valid UTF-8, one value with nothing after it but whitespace, bounded size and
// nesting. Errors say "line L, column C: what".
Result<json> parse_json(std::string_view text, JsonLimits limits = {});

}  // namespace objector
