#include "native/intake/discovery.hpp"

#include "core/objection/jurisdiction.hpp"
#include "core/objection/statement.hpp"

namespace objector::intake {

json discovery_document(const Config& config, std::string_view log_vkey, std::string_view policy) {
  json services = json::array();
  for (const auto& id : config.services) {
    std::string name = id;
    for (const auto& [sid, display] : config.service_names) {
      if (sid == id) name = display;
    }
    services.push_back({{"id", id}, {"name", name}});
  }
  json jurisdictions = json::array();
  for (const auto& j : objector::jurisdictions()) {
    bool offered = config.jurisdictions.empty() || std::find(config.jurisdictions.begin(), config.jurisdictions.end(),
                                                             j.code) != config.jurisdictions.end();
    if (offered) jurisdictions.push_back({{"code", j.code}, {"basis", j.basis}});
  }
  json languages = json::array();
  for (auto l : kWidgetLanguages) languages.push_back(l);
  json doc = {{"type", kDiscoveryType},
              {"origin", config.origin},
              {"log_key", log_vkey},
              {"intake_url", config.intake_url},
              {"widget_url", config.widget_url},
              {"languages", languages},
              {"services", services},
              {"purposes", config.purposes},
              {"jurisdictions", jurisdictions},
              {"reason_days", config.reason_days},
              {"max_reason_bytes", config.max_reason_bytes}};
  if (!policy.empty()) doc["policy"] = policy;
  if (!config.statements.empty()) doc["statements"] = config.statements;
  // People without an account can object with an e-mail address (POST /v1/contact/code).
  if (config.contact) doc["contact"] = {{"code_ttl_s", config.contact->code_ttl_s}};
  return doc;
}

}  // namespace objector::intake
