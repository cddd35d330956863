// libFuzzer: training manifests (header and account lines).
#include <cstdint>
#include <string_view>

#include "core/objection/manifest.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto m = objector::parse_manifest_header(text)) {
    if (m->accounts_offset > text.size()) __builtin_trap();
    for (auto rest = text.substr(m->accounts_offset); !rest.empty();) {
      auto eol = rest.find('\n');
      (void)objector::check_manifest_account(rest.substr(0, eol));
      rest.remove_prefix(eol == std::string_view::npos ? rest.size() : eol + 1);
    }
  }
  return 0;
}
