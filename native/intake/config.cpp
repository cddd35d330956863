#include "native/intake/config.hpp"

#include <algorithm>

#include "core/json/json_fields.hpp"
#include "core/objection/jurisdiction.hpp"
#include "core/objection/statement.hpp"
#include "core/tlog/note_key.hpp"
#include "native/common/files.hpp"
#include "native/common/postgres.hpp"
#include "native/common/url.hpp"

namespace objector::intake {

namespace {

// A config.json object: another key is most likely a misspelt setting.
Status expect_setting(JsonValue obj, std::string_view where, std::initializer_list<std::string_view> required,
                      std::initializer_list<std::string_view> optional) {
  return expect_object(obj, where, required, optional,
                       "remove it or check its spelling; INTEGRATION.md lists every setting");
}

json discovery_json(const Config& c) {
  json names = json::object();
  for (auto [id, name] : c.service_names) names[id] = name;
  json out = {{"intake_url", c.intake_url}, {"widget_url", c.widget_url}, {"service_names", names}};
  if (!c.statements.empty()) out["statements"] = c.statements;
  return out;
}

// config.discovery.statements: {"trained_models"|"withdrawal": {"<language>": "<text>"}}.
Status parse_statements(JsonValue s, Config& c) {
  OBJECTOR_RETURN_IF_ERROR(expect_setting(s, "config.discovery.statements", {}, {"trained_models", "withdrawal"}));
  for (auto member : s.members()) {
    std::string kind(member.key);
    auto texts = member.value;
    auto where = "config.discovery.statements." + kind;
    if (!texts.is_object()) return make_error(errc::bad_config, where + ": expected {\"<language>\": \"<text>\"}");
    for (auto [lang, text] : texts.members()) {
      if (std::find(std::begin(kWidgetLanguages), std::end(kWidgetLanguages), lang) == std::end(kWidgetLanguages)) {
        std::string message = where;
        message.append(": \"").append(lang).append(
            "\" is not a language of the widget (hint: en-GB, pt-BR, de, fr, es, it, nl or pl)");
        return make_error(errc::bad_config, std::move(message));
      }
      std::string path = where;
      path.append(".").append(lang);
      OBJECTOR_TRY(c.statements[kind][std::string(lang)], as_text(text, path, 1000));
    }
  }
  return Ok{};
}

// An http(s) URL, or "" when absent or empty.
Result<std::string> url_field(JsonValue d, const char* key) {
  if (!d.contains(key) || (d.at(key).is_string() && d.at(key).text().empty())) {
    return std::string();
  }
  OBJECTOR_TRY(auto url, get_text(d, key, "config.discovery", 512));
  if (!url.starts_with("https://") && !url.starts_with("http://")) {
    return make_error(errc::bad_config, std::string("config.discovery.") + key + ": expected an http(s):// URL");
  }
  return url;
}

Status parse_discovery(JsonValue d, Config& c) {
  OBJECTOR_RETURN_IF_ERROR(
      expect_setting(d, "config.discovery", {}, {"intake_url", "widget_url", "service_names", "statements"}));
  OBJECTOR_TRY(c.intake_url, url_field(d, "intake_url"));
  OBJECTOR_TRY(c.widget_url, url_field(d, "widget_url"));
  if (d.contains("statements")) OBJECTOR_RETURN_IF_ERROR(parse_statements(d.at("statements"), c));
  if (!d.contains("service_names")) return Ok{};
  auto names = d.at("service_names");
  if (!names.is_object()) return make_error(errc::bad_config, "config.discovery.service_names: expected an object");
  for (auto member : names.members()) {
    std::string id(member.key);
    auto name = member.value;
    OBJECTOR_TRY(auto text, as_text(name, "config.discovery.service_names." + id, 64));
    if (std::find(c.services.begin(), c.services.end(), id) == c.services.end()) {
      return make_error(errc::bad_config, "config.discovery.service_names: \"" + id + "\" is not in config.services");
    }
    c.service_names.emplace_back(id, text);
  }
  return Ok{};
}

// Exact origins ("https://www.social.example"): scheme, host, optional port, nothing else.
Status parse_cors(JsonValue cors, Config& c) {
  OBJECTOR_RETURN_IF_ERROR(expect_setting(cors, "config.cors", {}, {"allowed_origins"}));
  if (!cors.contains("allowed_origins") ||
      (cors.at("allowed_origins").is_array() && cors.at("allowed_origins").empty())) {
    return Ok{};
  }
  OBJECTOR_TRY(auto origins, get_text_list(cors, "allowed_origins", "config.cors", 64, 256));
  for (const auto& o : origins) {
    auto scheme = o.find("://");
    bool ok = (o.rfind("https://", 0) == 0 || o.rfind("http://", 0) == 0) && scheme != std::string::npos &&
              o.size() > scheme + 3 && o.find('/', scheme + 3) == std::string::npos;
    if (!ok) {
      return make_error(errc::bad_config, "config.cors.allowed_origins: \"" + o.substr(0, 64) +
                                              "\" is not an origin (hint: \"https://www.social.example\", no path)");
    }
  }
  c.cors_origins = std::move(origins);
  return Ok{};
}

Status parse_witnesses(JsonValue list, Config& c) {
  if (!list.is_array() || list.size() > 32) {
    return make_error(errc::bad_config, "config.witnesses: expected a list of at most 32 witnesses");
  }
  for (std::size_t i = 0; i < list.size(); ++i) {
    const auto where = "config.witnesses[" + std::to_string(i) + "]";
    const auto& w = list[i];
    OBJECTOR_RETURN_IF_ERROR(expect_setting(w, where, {"name", "url", "key"}, {}));
    Config::Witness out;
    OBJECTOR_TRY(out.name, get_text(w, "name", where, 128));
    OBJECTOR_TRY(out.url, get_text(w, "url", where, 512));
    OBJECTOR_TRY(out.key, get_text(w, "key", where, 512));
    // Plain HTTP (a local TLS proxy for a remote witness): cosignatures are
    // signed, so the channel needs no secrecy and no trust.
    if (!out.url.starts_with("http://") || !native::parse_http_url(out.url, "url")) {
      return make_error(errc::bad_config, where +
                                              ".url: expected an http:// URL (hint: reach a witness's https "
                                              "through a local proxy)");
    }
    auto key = parse_verifier_key(out.key);
    if (!key || key->type != KeyType::cosignature) {
      return make_error(errc::bad_config, where +
                                              ".key: expected a witness's verifier key (type 0x04, as "
                                              "objector-witness init prints it)");
    }
    for (const auto& other : c.witnesses) {
      if (other.name == out.name) return make_error(errc::bad_config, where + ".name: \"" + out.name + "\" twice");
    }
    c.witnesses.push_back(std::move(out));
  }
  return Ok{};
}

// config.contact: the mail server's URL without credentials, a sender, and the code's limits.
Status parse_contact(JsonValue m, Config& c) {
  constexpr auto where = "config.contact";
  OBJECTOR_RETURN_IF_ERROR(expect_setting(m, where, {"smtp_url", "from"},
                                          {"credentials_file", "code_ttl_s", "max_attempts", "per_address_per_hour"}));
  Config::Contact out;
  OBJECTOR_TRY(out.smtp_url, get_text(m, "smtp_url", where, 512));
  bool scheme = out.smtp_url.starts_with("smtp://") || out.smtp_url.starts_with("smtps://");
  auto host = out.smtp_url.substr(out.smtp_url.find("://") + 3);
  if (!scheme || host.empty() || host.find_first_of("/?# ") != std::string::npos) {
    return make_error(errc::bad_config, "config.contact.smtp_url: expected smtp://host:port or smtps://host:port");
  }
  if (host.find('@') != std::string::npos) {
    return make_error(errc::bad_config,
                      "config.contact.smtp_url: credentials do not belong in config.json (hint: "
                      "contact.credentials_file, or OBJECTOR_SMTP_USER and OBJECTOR_SMTP_PASSWORD)");
  }
  OBJECTOR_TRY(out.from, get_text(m, "from", where, 254));
  if (out.from.find('@') == std::string::npos || out.from.find_first_of("<>\r\n \"") != std::string::npos) {
    return make_error(errc::bad_config, "config.contact.from: expected an address such as objections@social.example");
  }
  if (m.contains("credentials_file")) {
    OBJECTOR_TRY(out.credentials_file, get_text(m, "credentials_file", where, 4096));
  }
  auto number = [&](const char* key, std::int64_t min, std::int64_t max, auto& value) -> Status {
    if (!m.contains(key)) return Ok{};
    OBJECTOR_TRY(auto v, get_integer(m, key, where, min, max));
    value = static_cast<std::remove_reference_t<decltype(value)>>(v);
    return Ok{};
  };
  OBJECTOR_RETURN_IF_ERROR(number("code_ttl_s", 1, 86400, out.code_ttl_s));
  OBJECTOR_RETURN_IF_ERROR(number("max_attempts", 1, 100, out.max_attempts));
  OBJECTOR_RETURN_IF_ERROR(number("per_address_per_hour", 1, 100, out.per_address_per_hour));
  c.contact = std::move(out);
  return Ok{};
}

json contact_json(const Config::Contact& m) {
  json out = {{"smtp_url", m.smtp_url},
              {"from", m.from},
              {"code_ttl_s", m.code_ttl_s},
              {"max_attempts", m.max_attempts},
              {"per_address_per_hour", m.per_address_per_hour}};
  if (!m.credentials_file.empty()) out["credentials_file"] = m.credentials_file;
  return out;
}

json witnesses_json(const Config& c) {
  json out = json::array();
  for (const auto& w : c.witnesses) out.push_back({{"name", w.name}, {"url", w.url}, {"key", w.key}});
  return out;
}

}  // namespace

json to_json(const Config& c) {
  json out = {
      {"origin", c.origin},
      {"listen", c.listen},
      {"store", c.store},
      {"store_pool", c.store_pool},
      {"services", c.services},
      {"purposes", c.purposes},
      {"jurisdictions", c.jurisdictions},
      {"batch",
       {{"max_entries", c.batch_max_entries}, {"interval_ms", c.batch_interval_ms}, {"max_queue", c.max_queue}}},
      {"limits",
       {{"max_body_bytes", c.max_body_bytes},
        {"max_reason_bytes", c.max_reason_bytes},
        {"rate_per_second", c.rate_per_second},
        {"rate_burst", c.rate_burst},
        {"read_rate_per_second", c.read_rate_per_second},
        {"read_rate_burst", c.read_rate_burst},
        {"rate_clients", c.rate_clients},
        {"max_connections", c.max_connections},
        {"max_connections_per_client", c.max_connections_per_client},
        {"read_timeout_ms", c.read_timeout_ms},
        {"header_timeout_ms", c.header_timeout_ms},
        {"max_token_ttl_s", c.max_token_ttl_s}}},
      {"retention", {{"reason_days", c.reason_days}}},
      {"proxy", {{"trusted", c.trusted_proxies}, {"header", c.proxy_header}}},
      {"cors", {{"allowed_origins", c.cors_origins}}},
      {"discovery", discovery_json(c)},
      {"witnesses", witnesses_json(c)},
      {"policy", c.policy},
      {"witness", {{"refresh_s", c.witness_refresh_s}, {"timeout_ms", c.witness_timeout_ms}}},
      {"publish", {{"dir", c.publish_dir}}}};
  if (c.contact) out["contact"] = contact_json(*c.contact);
  return out;
}

Result<Config> config_from_json(JsonValue j) {
  Config c;
  OBJECTOR_RETURN_IF_ERROR(
      expect_setting(j, "config", {"origin", "listen"},
                     {"services", "purposes", "jurisdictions", "batch", "limits", "retention", "proxy", "cors",
                      "discovery", "witnesses", "policy", "witness", "store", "store_pool", "publish", "contact"}));
  OBJECTOR_TRY(auto origin, get_text(j, "origin", "config", kMaxControllerBytes));
  OBJECTOR_RETURN_IF_ERROR(check_origin(origin, "config.origin"));
  c.origin = origin;
  OBJECTOR_TRY(auto listen, get_text(j, "listen", "config", 128));
  c.listen = listen;
  if (j.contains("store")) {
    OBJECTOR_TRY(c.store, get_text(j, "store", "config", 1024));
    if (c.store != "sqlite") OBJECTOR_RETURN_IF_ERROR(native::pg::check_uri(c.store, "config.store"));
  }
  auto list = [&](const char* key, std::vector<std::string>& out) -> Status {
    if (!j.contains(key)) return Ok{};
    OBJECTOR_TRY(auto v, get_text_list(j, key, "config", 64, 32));
    out = std::move(v);
    return Ok{};
  };
  OBJECTOR_RETURN_IF_ERROR(list("services", c.services));
  OBJECTOR_RETURN_IF_ERROR(list("purposes", c.purposes));
  OBJECTOR_RETURN_IF_ERROR(list("jurisdictions", c.jurisdictions));
  for (const auto& code : c.jurisdictions) {
    if (find_jurisdiction(code) == nullptr) {
      return make_error(errc::bad_config, "config.jurisdictions: unknown jurisdiction \"" + code + "\"");
    }
  }
  auto number = [&](JsonValue obj, const char* where, const char* key, std::int64_t min, std::int64_t max,
                    auto& out) -> Status {
    if (!obj.contains(key)) return Ok{};
    OBJECTOR_TRY(auto v, get_integer(obj, key, where, min, max));
    out = static_cast<std::remove_reference_t<decltype(out)>>(v);
    return Ok{};
  };
  OBJECTOR_RETURN_IF_ERROR(number(j, "config", "store_pool", 1, 64, c.store_pool));
  if (j.contains("batch")) {
    auto b = j.at("batch");
    OBJECTOR_RETURN_IF_ERROR(expect_setting(b, "config.batch", {}, {"max_entries", "interval_ms", "max_queue"}));
    OBJECTOR_RETURN_IF_ERROR(number(b, "config.batch", "max_entries", 1, 65536, c.batch_max_entries));
    OBJECTOR_RETURN_IF_ERROR(number(b, "config.batch", "interval_ms", 1, 60000, c.batch_interval_ms));
    OBJECTOR_RETURN_IF_ERROR(number(b, "config.batch", "max_queue", 1, 1 << 24, c.max_queue));
  }
  if (j.contains("limits")) {
    auto l = j.at("limits");
    OBJECTOR_RETURN_IF_ERROR(
        expect_setting(l, "config.limits", {},
                       {"max_body_bytes", "max_contact_bytes", "max_reason_bytes", "rate_per_second", "rate_burst",
                        "read_rate_per_second", "read_rate_burst", "rate_clients", "max_connections",
                        "max_connections_per_client", "read_timeout_ms", "header_timeout_ms", "max_token_ttl_s"}));
    OBJECTOR_RETURN_IF_ERROR(number(l, "config.limits", "max_body_bytes", 1024, 1 << 20, c.max_body_bytes));
    // max_contact_bytes: written by releases that still asked for an e-mail address; ignored.
    OBJECTOR_RETURN_IF_ERROR(number(l, "config.limits", "max_reason_bytes", 0, 65536, c.max_reason_bytes));
    OBJECTOR_RETURN_IF_ERROR(number(l, "config.limits", "read_timeout_ms", 100, 600000, c.read_timeout_ms));
    OBJECTOR_RETURN_IF_ERROR(number(l, "config.limits", "max_token_ttl_s", 1, 366LL * 86400, c.max_token_ttl_s));
    OBJECTOR_RETURN_IF_ERROR(number(l, "config.limits", "rate_clients", 1, 1 << 24, c.rate_clients));
    OBJECTOR_RETURN_IF_ERROR(number(l, "config.limits", "max_connections", 1, 1 << 20, c.max_connections));
    OBJECTOR_RETURN_IF_ERROR(
        number(l, "config.limits", "max_connections_per_client", 0, 1 << 20, c.max_connections_per_client));
    OBJECTOR_RETURN_IF_ERROR(number(l, "config.limits", "header_timeout_ms", 100, 600000, c.header_timeout_ms));
    for (auto [key, out] : {std::pair{"rate_per_second", &c.rate_per_second}, std::pair{"rate_burst", &c.rate_burst},
                            std::pair{"read_rate_per_second", &c.read_rate_per_second},
                            std::pair{"read_rate_burst", &c.read_rate_burst}}) {
      if (!l.contains(key)) continue;
      if (!l.at(key).is_number() || l.at(key).as_double() < 0) {
        return make_error(errc::bad_config, std::string("config.limits.") + key + ": expected a number >= 0");
      }
      *out = l.at(key).as_double();
    }
  }
  if (j.contains("retention")) {
    auto r = j.at("retention");
    OBJECTOR_RETURN_IF_ERROR(expect_setting(r, "config.retention", {}, {"reason_days"}));
    OBJECTOR_RETURN_IF_ERROR(number(r, "config.retention", "reason_days", 0, 3650, c.reason_days));
  }
  if (j.contains("proxy")) {
    auto p = j.at("proxy");
    OBJECTOR_RETURN_IF_ERROR(expect_setting(p, "config.proxy", {}, {"trusted", "header"}));
    if (p.contains("header")) {
      OBJECTOR_TRY(c.proxy_header, get_text(p, "header", "config.proxy", 64));
    }
    if (p.contains("trusted")) {
      if (p.at("trusted").is_array() && p.at("trusted").empty()) {
        c.trusted_proxies.clear();
      } else {
        OBJECTOR_TRY(auto trusted, get_text_list(p, "trusted", "config.proxy", 256, 64));
        c.trusted_proxies = std::move(trusted);
      }
    }
  }
  if (j.contains("cors")) OBJECTOR_RETURN_IF_ERROR(parse_cors(j.at("cors"), c));
  if (j.contains("discovery")) OBJECTOR_RETURN_IF_ERROR(parse_discovery(j.at("discovery"), c));
  if (j.contains("witnesses")) OBJECTOR_RETURN_IF_ERROR(parse_witnesses(j.at("witnesses"), c));
  if (j.contains("policy")) {
    // A file name, or the policy's lines themselves: newlines allowed.
    auto p = j.at("policy");
    if (!p.is_string() || p.text().size() > 16384) {
      return make_error(errc::bad_config, "config.policy: expected a file name in the data folder or the policy text");
    }
    c.policy = p.text();
  }
  if (j.contains("witness")) {
    auto w = j.at("witness");
    OBJECTOR_RETURN_IF_ERROR(expect_setting(w, "config.witness", {}, {"refresh_s", "timeout_ms"}));
    OBJECTOR_RETURN_IF_ERROR(number(w, "config.witness", "refresh_s", 1, 86400, c.witness_refresh_s));
    OBJECTOR_RETURN_IF_ERROR(number(w, "config.witness", "timeout_ms", 100, 600000, c.witness_timeout_ms));
  }
  if (j.contains("contact")) OBJECTOR_RETURN_IF_ERROR(parse_contact(j.at("contact"), c));
  if (j.contains("publish")) {
    auto p = j.at("publish");
    OBJECTOR_RETURN_IF_ERROR(expect_setting(p, "config.publish", {}, {"dir"}));
    if (p.contains("dir")) {
      if (!p.at("dir").is_string() || p.at("dir").text().size() > 4096 ||
          p.at("dir").text().find('\0') != std::string::npos) {
        return make_error(errc::bad_config,
                          "config.publish.dir: expected a folder name (absolute, or relative to the data folder)");
      }
      c.publish_dir = p.at("dir").text();
    }
  }
  return c;
}

std::filesystem::path publish_dir(const Config& c, const std::filesystem::path& data_dir) {
  if (c.publish_dir.empty()) return {};
  std::filesystem::path dir(c.publish_dir);
  return dir.is_absolute() ? dir : data_dir / dir;
}

Result<std::string> policy_text(const Config& c, const std::filesystem::path& dir) {
  if (c.policy.empty() || c.policy.find('\n') != std::string::npos) return c.policy;
  auto path = dir / c.policy;
  auto text = native::read_file(path, 16384);
  if (!text)
    return make_error(errc::bad_config, "config.policy: cannot read " + path.string() + ": " + text.error().message);
  return text;
}

Result<Config> load_config(const std::filesystem::path& dir) {
  DataDir d{dir};
  auto text = native::read_file(d.config(), 1 << 20);
  if (!text) return std::move(text).error();
  JsonDocument doc;
  auto j = doc.parse(*text);
  if (!j) return std::move(j).error().at(d.config().string());
  auto c = config_from_json(*j);
  if (!c) return std::move(c).error().at(d.config().string());
  return c;
}

}  // namespace objector::intake
