#include "core/json/json.hpp"

#include "core/json/json_reader.hpp"

namespace objector {
namespace {

// One reader for every JSON text: the DOM is built from its tape.
json to_dom(JsonValue v) {
  switch (v.type()) {
    case JsonType::null:
      return nullptr;
    case JsonType::boolean:
      return v.boolean();
    case JsonType::integer:
      if (v.is_negative()) return static_cast<std::int64_t>(0 - v.magnitude());
      return v.magnitude();
    case JsonType::fraction:
      return v.as_double();
    case JsonType::string:
      return std::string(v.text());
    case JsonType::array: {
      json out = json::array();
      for (auto item : v.elements()) out.push_back(to_dom(item));
      return out;
    }
    case JsonType::object: {
      json out = json::object();
      for (auto m : v.members()) out[std::string(m.key)] = to_dom(m.value);
      return out;
    }
  }
  return nullptr;
}

}  // namespace

Result<json> parse_json(std::string_view text, JsonLimits limits) {
  JsonDocument doc;
  OBJECTOR_TRY(auto root, doc.parse(text, limits));
  return to_dom(root);
}

}  // namespace objector
