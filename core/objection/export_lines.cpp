#include "core/objection/export_lines.hpp"

#include "core/encoding/base64.hpp"
#include "core/json/jcs_writer.hpp"
#include "core/json/json_fields.hpp"

namespace objector {

std::string format_export_opening(std::uint64_t index, const Opening& opening) {
  JcsWriter w;
  w.object().key("account").string(opening.account).key("index").integer(static_cast<std::int64_t>(index));
  w.key("r").base64(opening.r.view()).end();
  return w.take();
}

Result<IndexedOpening> parse_export_opening(std::string_view line) {
  thread_local JsonDocument doc;  // reused: reading a line allocates only the account
  OBJECTOR_TRY(auto j, doc.parse(line, {.max_bytes = 4096, .max_depth = 2}));
  OBJECTOR_RETURN_IF_ERROR(expect_object(j, "opening", {"index", "account", "r"}));
  OBJECTOR_TRY(auto index, get_integer(j, "index", "opening", 0, kMaxExactInteger));
  OBJECTOR_TRY(auto account, get_text(j, "account", "opening", kMaxAccountBytes));
  OBJECTOR_TRY(auto r, get_secret(j, "r", "opening", kBlindingBytes));
  return IndexedOpening{static_cast<std::uint64_t>(index), Opening{std::move(account), std::move(r)}};
}

std::string format_export_checkpoint(std::uint64_t size, std::string_view note) {
  JcsWriter w;
  w.object().key("note").string(note).key("size").integer(static_cast<std::int64_t>(size)).end();
  return w.take();
}

Result<ExportedCheckpoint> parse_export_checkpoint(std::string_view line) {
  JsonDocument doc;
  OBJECTOR_TRY(auto j, doc.parse(line, {.max_bytes = 70000, .max_depth = 2}));
  OBJECTOR_RETURN_IF_ERROR(expect_object(j, "checkpoint", {"size", "note"}));
  OBJECTOR_TRY(auto size, get_integer(j, "size", "checkpoint", 0, kMaxExactInteger));
  if (!j.at("note").is_string()) return make_error(errc::wrong_type, "checkpoint.note: expected a string");
  return ExportedCheckpoint{static_cast<std::uint64_t>(size), std::string(j.at("note").text())};
}

}  // namespace objector
