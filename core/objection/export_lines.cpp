#include "core/objection/export_lines.hpp"

#include "core/encoding/base64.hpp"
#include "core/json/jcs.hpp"
#include "core/json/json_fields.hpp"

namespace objector {

std::string format_export_opening(std::uint64_t index, const Opening& opening) {
  auto j = to_json(opening);
  j["index"] = index;
  auto line = canonicalize(j).value();
  wipe(j["r"].get_ref<std::string&>());
  return line;
}

Result<IndexedOpening> parse_export_opening(std::string_view line) {
  OBJECTOR_TRY(auto j, parse_json(line, {.max_bytes = 4096, .max_depth = 2}));
  OBJECTOR_RETURN_IF_ERROR(expect_object(j, "opening", {"index", "account", "r"}));
  OBJECTOR_TRY(auto index, get_integer(j, "index", "opening", 0, INT64_MAX));
  j.erase("index");
  auto opening = opening_from_json(j);
  wipe(j["r"].get_ref<std::string&>());
  OBJECTOR_RETURN_IF_ERROR(opening);
  return IndexedOpening{static_cast<std::uint64_t>(index), std::move(*opening)};
}

std::string format_export_checkpoint(std::uint64_t size, std::string_view note) {
  return canonicalize(json{{"size", size}, {"note", std::string(note)}}).value();
}

Result<ExportedCheckpoint> parse_export_checkpoint(std::string_view line) {
  OBJECTOR_TRY(auto j, parse_json(line, {.max_bytes = 70000, .max_depth = 2}));
  OBJECTOR_RETURN_IF_ERROR(expect_object(j, "checkpoint", {"size", "note"}));
  OBJECTOR_TRY(auto size, get_integer(j, "size", "checkpoint", 0, INT64_MAX));
  if (!j.at("note").is_string()) return make_error(errc::wrong_type, "checkpoint.note: expected a string");
  return ExportedCheckpoint{static_cast<std::uint64_t>(size), j.at("note").get<std::string>()};
}

}  // namespace objector
