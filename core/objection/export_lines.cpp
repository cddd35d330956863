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

}  // namespace objector
