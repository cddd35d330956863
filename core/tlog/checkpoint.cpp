#include "core/tlog/checkpoint.hpp"

#include <algorithm>

#include "core/encoding/base64.hpp"
#include "core/encoding/decimal.hpp"

namespace objector {

Status check_origin(std::string_view origin, std::string_view where) {
  bool ok = !origin.empty() && origin.size() <= kMaxOriginBytes &&
            std::all_of(origin.begin(), origin.end(), [](char c) { return c > 0x20 && c < 0x7F && c != '+'; });
  if (!ok) {
    return make_error(errc::bad_origin,
                      std::string(where) + ": not a log origin (hint: printable ASCII without spaces or '+', at most " +
                          std::to_string(kMaxOriginBytes) + " bytes, e.g. \"social.example/ai-training\")");
  }
  return Ok{};
}

std::string checkpoint_text(const Checkpoint& c) {
  std::string out = c.origin + "\n" + std::to_string(c.size) + "\n" + base64_encode(c.root) + "\n";
  for (const auto& e : c.extensions) out += e + "\n";
  return out;
}

json to_json(const Checkpoint& c) { return {{"origin", c.origin}, {"size", c.size}, {"root", base64_encode(c.root)}}; }

Result<Checkpoint> parse_checkpoint_text(std::string_view text) {
  auto bad = [](std::string m) { return make_error(errc::bad_checkpoint, "checkpoint: " + std::move(m)); };
  if (text.empty() || text.back() != '\n') return bad("text must end with a newline");
  std::vector<std::string_view> lines;
  for (auto rest = text; !rest.empty();) {
    auto eol = rest.find('\n');
    lines.push_back(rest.substr(0, eol));
    rest.remove_prefix(eol + 1);
  }
  if (lines.size() < 3) return bad("needs an origin, a tree size and a root hash line");
  Checkpoint c;
  c.origin = std::string(lines[0]);
  OBJECTOR_RETURN_IF_ERROR(check_origin(c.origin, "checkpoint origin"));
  OBJECTOR_TRY(auto size, parse_decimal(lines[1], "checkpoint tree size"));
  c.size = size;
  auto root = base64_decode_fixed<32>(lines[2]);
  if (!root) return bad("root hash: " + root.error().message);
  c.root = *root;
  for (std::size_t i = 3; i < lines.size(); ++i) {
    if (lines[i].empty()) return bad("extension line " + std::to_string(i - 2) + " is empty");
    c.extensions.emplace_back(lines[i]);
  }
  return c;
}

}  // namespace objector
