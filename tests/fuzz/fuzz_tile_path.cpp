// libFuzzer: tile paths and entry bundles. A parsed path must print back
// unchanged (one spelling per tile).
#include <cstdint>
#include <string_view>

#include "core/tlog/tiles.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto t = objector::parse_tile_path(text)) {
    if (objector::tile_path(*t) != text) __builtin_trap();
  }
  if (size > 0) {
    if (auto entries = objector::parse_entry_bundle({data, size}, data[0])) {
      auto again = objector::make_entry_bundle(*entries);
      if (again.size() != size || !std::equal(again.begin(), again.end(), data)) __builtin_trap();
    }
  }
  return 0;
}
