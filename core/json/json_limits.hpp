// Bounds on a JSON document, shared by both readers (parse_json's DOM and
// JsonDocument's tape).
#pragma once

#include <cstddef>

namespace objector {

struct JsonLimits {
  std::size_t max_bytes = 1 << 20;
  int max_depth = 32;
};

}  // namespace objector
