#include "core/checkpoint.hpp"

#include "core/base64.hpp"
#include "core/statement.hpp"

namespace objector {

Result<std::uint64_t> parse_decimal(std::string_view s, std::string_view what) {
  auto bad = [&] {
    return make_error("bad_number", std::string(what) + ": \"" + std::string(s.substr(0, 24)) +
                                        "\" is not a decimal number without leading zeros");
  };
  if (s.empty() || s.size() > 20 || (s.size() > 1 && s[0] == '0')) return bad();
  std::uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return bad();
    auto d = static_cast<std::uint64_t>(c - '0');
    if (v > (UINT64_MAX - d) / 10) return bad();
    v = v * 10 + d;
  }
  return v;
}

std::string checkpoint_text(const Checkpoint& c) {
  std::string out = c.origin + "\n" + std::to_string(c.size) + "\n" + base64_encode(c.root) + "\n";
  for (const auto& e : c.extensions) out += e + "\n";
  return out;
}

Result<Checkpoint> parse_checkpoint_text(std::string_view text) {
  auto bad = [](std::string m) { return make_error("bad_checkpoint", "checkpoint: " + std::move(m)); };
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
  if (auto ok = check_origin(c.origin, "checkpoint origin"); !ok) return std::move(ok).error();
  auto size = parse_decimal(lines[1], "checkpoint tree size");
  OBJECTOR_RETURN_IF_ERROR(size);
  c.size = *size;
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
