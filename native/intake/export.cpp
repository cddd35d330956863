#include "native/intake/export.hpp"

#include "core/encoding/base64.hpp"
#include "core/objection/export_lines.hpp"
#include "native/common/files.hpp"

namespace objector::intake {

Result<std::uint64_t> export_log(Store& store, std::string_view log_vkey, std::string_view discovery,
                                 std::string_view policy, const std::filesystem::path& out) {
  OBJECTOR_RETURN_IF_ERROR(native::make_dir(out));
  OBJECTOR_TRY(auto snapshot, store.read_snapshot());
  OBJECTOR_TRY(auto cp, store.latest_checkpoint());
  if (!cp) return make_error(errc::empty_log, "the log has no checkpoint yet");
  auto size = cp->size;
  std::string entries_text, openings_text;
  const std::uint64_t chunk = 65536;
  for (std::uint64_t start = 0; start < size; start += chunk) {
    auto n = std::min(chunk, size - start);
    OBJECTOR_TRY(auto entries, store.entries(start, n));
    OBJECTOR_TRY(auto openings, store.openings(start, n));
    if (entries.size() != n || openings.size() != n) {
      return make_error(errc::storage_error, "the store is missing entries or openings below the checkpoint");
    }
    for (const auto& e : entries) entries_text += e.bytes + "\n";  // JCS has no raw newlines
    for (const auto& o : openings) {
      openings_text += format_export_opening(o.index, Opening{o.account, o.r.clone()}) + "\n";
    }
  }
  std::string checkpoints_text;
  OBJECTOR_TRY(auto checkpoints, store.checkpoints());
  for (const auto& c : checkpoints) {
    if (c.size <= size) checkpoints_text += format_export_checkpoint(c.size, c.note) + "\n";
  }
  if (!policy.empty()) OBJECTOR_RETURN_IF_ERROR(native::write_file(out / "policy", policy));
  for (auto [name, text] :
       {std::pair{"checkpoint", std::string_view(cp->note)}, std::pair{"entries.jsonl", std::string_view(entries_text)},
        std::pair{"openings.jsonl", std::string_view(openings_text)}, std::pair{"log.vkey", log_vkey},
        std::pair{"objector.json", discovery}, std::pair{"checkpoints.jsonl", std::string_view(checkpoints_text)}}) {
    OBJECTOR_RETURN_IF_ERROR(
        native::write_file(out / name, text, std::string_view(name) == "openings.jsonl" ? 0600 : 0644));
  }
  wipe(openings_text);
  return size;
}

}  // namespace objector::intake
