// The JSON reader of the hot paths against simdjson's On-Demand API and
// nlohmann's DOM, on the entry lines of an export (issue 22 asked for the
// comparison). Single thread, lines per second, median of three runs:
//   strict    JsonDocument + the entry schema + the canonical check (what audit runs)
//   tape      JsonDocument::parse alone (reading and strictness, no schema)
//   simdjson  On-Demand: every field of the entry read as audit needs it (no
//             duplicate-key, canonical-form or schema checks: a lower bound)
//   nlohmann  json::parse into a DOM (what audit used before)
//
//   objector-json-bench EXPORT_DIR [--json]
#include <simdjson.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "core/encoding/base64.hpp"
#include "core/json/json_reader.hpp"
#include "core/objection/entry.hpp"
#include "native/common/files.hpp"

using namespace objector;
using Clock = std::chrono::steady_clock;

namespace {

double median_rate(std::size_t lines, const std::function<std::size_t()>& body) {
  std::vector<double> rates;
  for (int i = 0; i < 3; ++i) {
    auto t0 = Clock::now();
    if (body() != lines) std::abort();  // every line must read
    rates.push_back(static_cast<double>(lines) / std::chrono::duration<double>(Clock::now() - t0).count());
  }
  std::sort(rates.begin(), rates.end());
  return rates[1];
}

// The entry's fields through On-Demand, decoded as audit needs them.
bool simdjson_entry(simdjson::ondemand::parser& parser, const simdjson::padded_string& line) {
  using namespace simdjson;
  ondemand::document doc;
  if (parser.iterate(line).get(doc)) return false;
  std::string_view sig;
  ondemand::object statement;
  if (doc["sig"].get_string().get(sig) || doc["statement"].get_object().get(statement)) return false;
  if (!base64_decode_fixed<64>(sig)) return false;
  Statement s;
  for (auto field : statement) {
    std::string_view key;
    if (field.unescaped_key().get(key)) return false;
    auto value = field.value();
    if (key == "created") {
      if (value.get_int64().get(s.created)) return false;
      continue;
    }
    if (key == "services" || key == "purposes") {
      auto& list = key == "services" ? s.services : s.purposes;
      for (auto item : value.get_array()) {
        std::string_view text;
        if (item.get_string().get(text)) return false;
        list.emplace_back(text);
      }
      continue;
    }
    std::string_view text;
    if (value.get_string().get(text)) return false;
    if (key == "subject" || key == "device_key") {
      auto bytes = base64_decode_fixed<32>(text);
      if (!bytes) return false;
      (key == "subject" ? s.subject : s.device_key) = *bytes;
    } else if (key == "controller") {
      s.controller = text;
    } else if (key == "jurisdiction") {
      s.jurisdiction = text;
    } else if (key == "basis") {
      s.basis = text;
    } else if (key == "lang") {
      s.lang = text;
    }
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: objector-json-bench EXPORT_DIR [--json]\n");
    return 2;
  }
  auto text = native::read_file(std::string(argv[1]) + "/entries.jsonl", std::size_t{4} << 30);
  if (!text) {
    std::fprintf(stderr, "%s\n", text.error().message.c_str());
    return 2;
  }
  std::vector<std::string_view> lines;
  for (std::size_t pos = 0; pos < text->size();) {
    auto eol = text->find('\n', pos);
    if (eol == std::string::npos) eol = text->size();
    if (eol > pos) lines.emplace_back(text->data() + pos, eol - pos);
    pos = eol + 1;
  }
  std::vector<simdjson::padded_string> padded(lines.begin(), lines.end());

  double strict = median_rate(lines.size(), [&] {
    std::size_t ok = 0;
    for (auto l : lines) ok += parse_entry_bytes(l).ok() ? 1 : 0;
    return ok;
  });
  double tape = median_rate(lines.size(), [&] {
    JsonDocument doc;
    std::size_t ok = 0;
    for (auto l : lines) ok += doc.parse(l).ok() && doc.canonical() ? 1 : 0;
    return ok;
  });
  double simd = median_rate(lines.size(), [&] {
    simdjson::ondemand::parser parser;
    std::size_t ok = 0;
    for (const auto& l : padded) ok += simdjson_entry(parser, l) ? 1 : 0;
    return ok;
  });
  double dom = median_rate(lines.size(), [&] {
    std::size_t ok = 0;
    for (auto l : lines) ok += nlohmann::json::parse(l, nullptr, false).is_discarded() ? 0 : 1;
    return ok;
  });
  if (argc > 2 && std::string(argv[2]) == "--json") {
    std::printf("{\"strict\":%.0f,\"tape\":%.0f,\"simdjson\":%.0f,\"nlohmann\":%.0f}\n", strict, tape, simd, dom);
    return 0;
  }
  std::printf("  entry lines/s, one thread (%zu lines of %zu bytes on average):\n", lines.size(),
              text->size() / std::max<std::size_t>(lines.size(), 1));
  std::printf("    strict reader + schema + canonical check: %9.0f\n", strict);
  std::printf("    strict reader alone:                      %9.0f\n", tape);
  std::printf("    simdjson On-Demand, fields only:          %9.0f (%.2f of the strict path)\n", simd, simd / strict);
  std::printf("    nlohmann DOM parse alone:                 %9.0f (%.2f of the strict path)\n", dom, dom / strict);
  return 0;
}
