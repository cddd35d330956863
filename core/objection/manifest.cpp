#include "core/objection/manifest.hpp"

#include <vector>

#include "core/crypto/commitment.hpp"
#include "core/encoding/base64.hpp"
#include "core/encoding/decimal.hpp"
#include "core/json/json_fields.hpp"
#include "core/objection/statement.hpp"

namespace objector {

Result<ManifestHeader> parse_manifest_header(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t pos = 0;
  for (int i = 0; i < 6 && pos < text.size(); ++i) {
    auto eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    lines.push_back(text.substr(pos, eol - pos));
    pos = eol + 1;
  }
  auto bad = [](std::size_t line, const std::string& m) {
    return make_error(errc::bad_manifest, std::to_string(line) + ": " + m);
  };
  if (lines.empty() || lines[0] != kManifestHeader) return bad(1, "must start with \"objector-training-manifest/v1\"");
  auto field = [&](std::size_t i, std::string_view key) -> Result<std::string_view> {
    if (i >= lines.size() || lines[i].size() <= key.size() || lines[i].substr(0, key.size()) != key ||
        lines[i][key.size()] != ' ') {
      return bad(i + 1, "expected \"" + std::string(key) + " <value>\"");
    }
    return lines[i].substr(key.size() + 1);
  };
  ManifestHeader m;
  OBJECTOR_TRY(auto origin, field(1, "origin"));
  if (auto ok = check_origin(origin, "origin"); !ok) return bad(2, ok.error().message);
  m.checkpoint.origin = std::string(origin);
  OBJECTOR_TRY(auto size, field(2, "size"));
  auto n = parse_decimal(size, "size");
  if (!n) return bad(3, n.error().message);
  m.checkpoint.size = *n;
  OBJECTOR_TRY(auto root, field(3, "root"));
  auto r = base64_decode_fixed<32>(root);
  if (!r) return bad(4, "root: " + r.error().message);
  m.checkpoint.root = *r;
  std::size_t blank = 4;
  if (lines.size() > 4 && lines[4].starts_with("started ")) {
    auto started = parse_decimal(lines[4].substr(8), "started");
    if (!started) return bad(5, started.error().message + " (Unix seconds)");
    m.started = *started;
    blank = 5;
  }
  if (lines.size() <= blank || !lines[blank].empty()) {
    return bad(blank + 1, "expected a blank line before the accounts");
  }
  // Where the accounts start: just after the blank line.
  std::size_t offset = 0;
  for (std::size_t i = 0; i <= blank; ++i) offset += lines[i].size() + 1;
  m.accounts_offset = std::min(offset, text.size());
  m.first_line = blank + 2;
  return m;
}

Status check_manifest_account(std::string_view account) { return check_text(account, "account", kMaxAccountBytes); }

}  // namespace objector
