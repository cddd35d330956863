#include "native/intake/service.hpp"

#include <sodium.h>

#include <algorithm>
#include <map>

#include "core/encoding/base64.hpp"
#include "core/encoding/decimal.hpp"
#include "core/json/jcs.hpp"
#include "core/json/json_fields.hpp"
#include "core/objection/entry.hpp"
#include "core/tlog/tiles.hpp"
#include "core/tlog/tlog_proof.hpp"
#include "native/common/clock.hpp"
#include "native/common/log.hpp"
#include "native/intake/account_token.hpp"
#include "native/intake/contact/email_address.hpp"
#include "native/intake/discovery.hpp"
#include "native/intake/responses.hpp"
#include "native/intake/submission.hpp"

namespace objector::intake {
namespace {

constexpr std::string_view kPageCsp =
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self'; "
    "img-src 'self' data:; frame-ancestors 'self'; base-uri 'none'; form-action 'none'";

// The built-in page when no widget folder is given.
constexpr std::string_view kApiPage = R"(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Objector intake</title></head>
<body><main><h1>Objector intake</h1>
<p>This server takes objections to AI training and logs them in a public transparency log.</p>
<ul>
<li><code>POST /v1/objections</code>: a signed objection with its opening (bearer account token)</li>
<li><code>GET /v1/proof/&lt;leaf hash, base64url&gt;</code>: a fresh inclusion proof</li>
<li><code>GET /v1/consistency/&lt;old size&gt;</code>: a consistency proof to the latest checkpoint</li>
<li><code>GET /checkpoint</code>, <code>/tile/&lt;L&gt;/&lt;N&gt;</code>, <code>/tile/entries/&lt;N&gt;</code>: the log (c2sp.org/tlog-tiles)</li>
</ul></main></body></html>
)";

// The path of a request target without its query: origin form ("/a?b"), or
// absolute form ("http://host/a?b"), routed by its path (RFC 9112 §3.2.2);
// none for the asterisk and authority forms, and anything else.
std::optional<std::string_view> request_path(std::string_view target) {
  for (std::string_view scheme : {"http://", "https://"}) {
    if (target.size() > scheme.size() && target.substr(0, scheme.size()) == scheme) {
      auto slash = target.find('/', scheme.size());
      target = slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
      break;
    }
  }
  if (target.empty() || target.front() != '/') return std::nullopt;
  return target.substr(0, target.find('?'));
}

bool matches(std::string_view route, std::string_view path) {
  if (!route.empty() && route.back() == '/') return path.substr(0, route.size()) == route;
  return path == route;
}

bool method_matches(http::verb route, http::verb method) {
  return method == route || (route == http::verb::get && method == http::verb::head);
}

std::string_view method_name(http::verb v) { return v == http::verb::post ? "POST" : "GET"; }

Response html_page(unsigned version, std::string body) {
  auto res = respond(version, http::status::ok, "text/html; charset=utf-8", std::move(body), Caching::revalidate);
  res.set("Content-Security-Policy", std::string(kPageCsp));
  return res;
}

}  // namespace

// The whole HTTP surface; the first route whose path matches serves.
const IntakeService::Route IntakeService::kRoutes[] = {
    {http::verb::post, "/v1/objections", Limit::submissions, Offered::always, &IntakeService::post_objection},
    {http::verb::get, "/v1/objections", Limit::submissions, Offered::always, &IntakeService::get_objections},
    {http::verb::post, "/v1/contact/code", Limit::submissions, Offered::contact, &IntakeService::post_contact_code},
    {http::verb::post, "/v1/contact/token", Limit::submissions, Offered::contact, &IntakeService::post_contact_token},
    {http::verb::get, "/v1/proof/", Limit::reads, Offered::always, &IntakeService::get_proof},
    {http::verb::get, "/v1/consistency/", Limit::reads, Offered::always, &IntakeService::get_consistency},
    {http::verb::get, "/checkpoint", Limit::reads, Offered::always, &IntakeService::get_checkpoint},
    {http::verb::get, "/tile/", Limit::reads, Offered::always, &IntakeService::get_tile},
    {http::verb::get, "/.well-known/objector", Limit::reads, Offered::always, &IntakeService::get_discovery},
    {http::verb::get, "/policy", Limit::reads, Offered::always, &IntakeService::get_policy},
    {http::verb::get, "/healthz", Limit::reads, Offered::always, &IntakeService::get_health},
    {http::verb::get, "/demo/token", Limit::submissions, Offered::demo, &IntakeService::demo_token},
    {http::verb::get, "/demo/config.json", Limit::reads, Offered::demo, &IntakeService::demo_config},
    {http::verb::get, "/", Limit::reads, Offered::always, &IntakeService::get_static},
};

IntakeService::IntakeService(ServiceOptions options, native::ProxyRules proxies, std::unique_ptr<ReaderPool> readers,
                             Sequencer& sequencer, WebRoot web)
    : options_(std::move(options)),
      readers_(std::move(readers)),
      sequencer_(sequencer),
      web_(std::move(web)),
      proxies_(std::move(proxies)),
      submissions_(options_.config.rate_per_second, options_.config.rate_burst, options_.config.rate_clients),
      reads_(options_.config.read_rate_per_second, options_.config.read_rate_burst, options_.config.rate_clients) {}

Response IntakeService::error(const Error& e, unsigned version) { return error_response(version, e); }

void IntakeService::handle(Request req, const boost::asio::ip::address& peer, Reply reply) {
  auto path = request_path(std::string_view(req.target().data(), req.target().size()));
  Call call{req, path.value_or(""), {}, std::move(reply)};
  if (!path) {
    return call.reply(error(make_error(errc::bad_request,
                                       "the request target must be a path starting with / (RFC "
                                       "9112 section 3.2)"),
                            req.version()));
  }
  if (draining_) {
    auto e = make_error(errc::shutting_down, "the intake is shutting down (hint: try again in a moment)");
    return call.reply(error(e, req.version()));
  }
  call.reply = with_cors(req, call.path, std::move(call.reply));
  // A CORS preflight asks about the API, not one route.
  if (req.method() == http::verb::options && call.path.substr(0, 4) == "/v1/") {
    if (rate_limited(Limit::reads, peer, call)) return;
    return preflight(call);
  }
  // The first route whose path and method match serves; a path served only
  // for other methods gets 405 naming them.
  std::vector<std::string_view> allowed;
  for (const auto& route : kRoutes) {
    if (!matches(route.path, call.path)) continue;
    if (!offered(route.offered)) {  // a feature this intake does not offer is not there at all
      return call.reply(
          error(make_error(errc::not_found, "not found: " + std::string(call.path) + " is not offered by this intake"),
                req.version()));
    }
    if (!method_matches(route.method, req.method())) {
      auto name = method_name(route.method);
      if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) allowed.push_back(name);
      continue;
    }
    if (rate_limited(route.limit, peer, call)) return;
    call.rest = call.path.substr(route.path.back() == '/' ? route.path.size() : call.path.size());
    return (this->*route.handler)(call);
  }
  if (!allowed.empty()) {
    std::string words, header;
    for (std::size_t i = 0; i < allowed.size(); ++i) {
      words += (i == 0 ? "" : " or ") + std::string(allowed[i]);
      header += (i == 0 ? "" : ", ") + std::string(allowed[i]);
    }
    auto res =
        error(make_error(errc::method_not_allowed, "use " + words + " for " + std::string(call.path)), req.version());
    res.set(http::field::allow, header);
    return call.reply(std::move(res));
  }
  call.reply(error(make_error(errc::not_found, "nothing at " + std::string(call.path)), req.version()));
}

// CORS (INTEGRATION.md): the API (/v1/...) answers the origins of
// cors.allowed_origins only, never with credentials; the log itself
// (checkpoint, tiles) is public data, readable from any origin.
Reply IntakeService::with_cors(const Request& req, std::string_view path, Reply reply) const {
  std::string allow;
  if (path == "/checkpoint" || path.substr(0, 6) == "/tile/") {
    allow = "*";
  } else if (path.substr(0, 4) == "/v1/" && origin_allowed(req)) {
    allow = std::string(req[http::field::origin]);
  }
  bool api = path.substr(0, 4) == "/v1/";
  if (allow.empty() && !api) return reply;
  return [reply = std::move(reply), allow, api](Response res) {
    if (!allow.empty()) res.set(http::field::access_control_allow_origin, allow);
    if (api) res.set(http::field::vary, "Origin");  // the answer depends on who asks
    reply(std::move(res));
  };
}

bool IntakeService::origin_allowed(const Request& req) const {
  std::string origin(req[http::field::origin]);
  const auto& allowed = options_.config.cors_origins;
  return !origin.empty() && std::find(allowed.begin(), allowed.end(), origin) != allowed.end();
}

void IntakeService::preflight(Call& call) {
  auto res = respond(call.version(), http::status::no_content, "text/plain", "");
  res.erase(http::field::content_type);
  // Access-Control-Allow-Origin is added by with_cors() for allowed origins only.
  if (!origin_allowed(call.request)) return call.reply(std::move(res));
  res.set(http::field::access_control_allow_methods, "GET, POST");
  res.set(http::field::access_control_allow_headers, "Authorization, Content-Type");
  res.set(http::field::access_control_max_age, "600");
  call.reply(std::move(res));
}

bool IntakeService::rate_limited(Limit limit, const boost::asio::ip::address& peer, Call& call) {
  auto& limiter = limit == Limit::submissions ? submissions_ : reads_;
  const auto& req = call.request;
  auto client = native::client_of(peer, req, proxies_);
  double retry = 0;
  if (limiter.allow(native::rate_key(client), retry)) return false;
  call.reply(error_response(call.version(),
                            make_error(errc::rate_limited, "too many requests from this address (hint: wait a moment)"),
                            static_cast<int>(retry) + 1));
  return true;
}

bool IntakeService::offered(Offered when) const {
  switch (when) {
    case Offered::always:
      break;
    case Offered::demo:
      return options_.demo;
    case Offered::contact:
      return options_.contact != nullptr;
  }
  return true;
}

namespace {

// 415 unless the body is declared JSON; `what` names it in the message.
Status json_content(const Request& req, std::string_view what) {
  auto type = std::string(req[http::field::content_type]);
  if (type.substr(0, type.find(';')) == "application/json") return Ok{};
  return make_error(errc::unsupported_media_type,
                    "send the " + std::string(what) + " as Content-Type: application/json");
}

}  // namespace

void IntakeService::post_objection(Call& call) {
  const auto& req = call.request;
  if (auto json = json_content(req, "objection"); !json) return call.reply(error(json.error(), call.version()));
  // Before any signature work: a full queue would throw it away.
  if (sequencer_.full()) {
    return call.reply(error(make_error(errc::overloaded,
                                       "the intake is taking more objections than it can log right "
                                       "now (hint: try again in a moment)"),
                            call.version()));
  }
  auto now = native::unix_now();
  auto token = bearer(req, now);
  if (!token) return call.reply(error(token.error(), call.version()));
  auto submission = check_submission(req.body(), *token, options_.config, now);
  if (!submission) {
    native::log_line(native::LogLevel::info, "rejected", {{"code", std::string(submission.error().code)}});
    return call.reply(error(submission.error(), call.version()));
  }
  auto leaf = submission->entry.leaf;
  auto version = call.version();
  sequencer_.submit(std::move(*submission), [reply = std::move(call.reply), leaf, version](Result<Integrated> r) {
    if (!r) return reply(error_response(version, r.error()));
    reply(json_response(version, r->created ? http::status::created : http::status::ok,
                        inclusion_body(r->index, leaf, r->proof)));
  });
}

namespace {

// A small JSON object body (the contact routes): its fields as text.
using TextFields = std::map<std::string, std::string, std::less<>>;
Result<TextFields> json_body(const Request& req, std::initializer_list<std::string_view> required,
                             std::initializer_list<std::string_view> optional) {
  OBJECTOR_RETURN_IF_ERROR(json_content(req, "request"));
  JsonDocument doc;
  OBJECTOR_TRY(auto body, doc.parse(req.body()));
  OBJECTOR_RETURN_IF_ERROR(expect_object(body, "request", required, optional, "see INTEGRATION.md"));
  TextFields fields;
  for (auto [key, value] : body.members()) {
    if (!value.is_string()) return make_error(errc::wrong_type, "request." + std::string(key) + ": expected a string");
    fields.emplace(key, value.text());
  }
  return fields;
}

}  // namespace

// POST /v1/contact/code {"email", "lang"}: a code to that address, answered
// when the mail server took it (or did not). The same answer whatever the
// log holds for the address: nothing here says whether it objected before.
void IntakeService::post_contact_code(Call& call) {
  auto body = json_body(call.request, {"email"}, {"lang"});
  if (!body) return call.reply(error(body.error(), call.version()));
  auto address = normalize_email(body->at("email"));
  if (!address) return call.reply(error(address.error(), call.version()));
  auto lang = body->contains("lang") ? body->at("lang").substr(0, 35) : std::string("en-GB");
  options_.contact->send_code(
      std::move(*address), std::move(lang),
      [reply = std::move(call.reply), version = call.version()](Result<std::int64_t> expires,
                                                                std::optional<int> retry_after) {
        if (!expires) return reply(error_response(version, expires.error(), retry_after));
        reply(json_response(version, http::status::accepted, canonicalize(json{{"expires", *expires}}).value()));
      });
}

// POST /v1/contact/token {"email", "code"}: the right code buys an account
// token for "email:<address>".
void IntakeService::post_contact_token(Call& call) {
  auto body = json_body(call.request, {"email", "code"}, {});
  if (!body) return call.reply(error(body.error(), call.version()));
  auto address = normalize_email(body->at("email"));
  if (!address) return call.reply(error(address.error(), call.version()));
  Result<ContactDesk::Exchanged> exchanged = make_error(errc::internal_error, "no store session");
  {
    auto session = readers_->borrow();
    exchanged = options_.contact->exchange(*session->contact_codes(), *address, body->at("code"));
  }
  if (!exchanged) {
    native::log_line(native::LogLevel::info, "code_refused", {{"code", std::string(exchanged.error().code)}});
    return call.reply(error(exchanged.error(), call.version()));
  }
  call.reply(json_response(call.version(), http::status::ok,
                           canonicalize(json{{"account", exchanged->account}, {"token", exchanged->token}}).value()));
}

// The account a request's bearer token names, checked.
Result<AccountToken> IntakeService::bearer(const Request& req, std::int64_t now) const {
  auto auth = std::string(req[http::field::authorization]);
  if (auth.rfind("Bearer ", 0) != 0) {
    return make_error(errc::token_missing, "sign in first: the request has no account token");
  }
  return check_token(std::string_view(auth).substr(7), options_.token_secret.view(), now,
                     options_.config.max_token_ttl_s);
}

// The signed-in account's own logged objections (never another account's):
// what the widget shows so a person knows where they stand on any device.
void IntakeService::get_objections(Call& call) {
  auto token = bearer(call.request, native::unix_now());
  if (!token) return call.reply(error(token.error(), call.version()));
  auto cp = sequencer_.latest();
  json list = json::array();
  {
    auto reader = readers_->borrow();
    auto indices = reader->indices_of(token->account);
    if (!indices) return call.reply(error(indices.error(), call.version()));
    for (auto index : *indices) {
      if (index >= cp->size) break;  // not in a published checkpoint yet
      auto entries = reader->entries(index, 1);
      if (!entries) return call.reply(error(entries.error(), call.version()));
      if (entries->empty()) continue;
      auto entry = parse_entry_bytes((*entries)[0].bytes);
      if (!entry) return call.reply(error(entry.error(), call.version()));
      list.push_back({{"index", index},
                      {"created", entry->statement.created},
                      {"services", entry->statement.services},
                      {"leaf_hash", base64_encode((*entries)[0].leaf)}});
    }
  }
  call.reply(json_response(call.version(), http::status::ok,
                           canonicalize(json{{"account", token->account}, {"objections", list}}).value()));
}

void IntakeService::get_proof(Call& call) {
  auto leaf = base64url_decode(call.rest);
  if (!leaf || leaf->size() != 32) {
    return call.reply(
        error(make_error(errc::bad_leaf_hash, "the leaf hash must be 32 bytes in URL-safe base64 without padding"),
              call.version()));
  }
  Hash h{};
  std::copy(leaf->begin(), leaf->end(), h.begin());
  auto cp = sequencer_.latest();
  auto reader = readers_->borrow();
  auto index = reader->find_leaf(h);
  if (!index) return call.reply(error(index.error(), call.version()));
  if (!*index || **index >= cp->size) {
    return call.reply(
        error(make_error(errc::not_logged, "no entry with this leaf hash is in the log"), call.version()));
  }
  auto proof = inclusion_proof_text(reader->reader(), **index, *cp);
  if (!proof) return call.reply(error(proof.error(), call.version()));
  call.reply(json_response(call.version(), http::status::ok, inclusion_body(**index, h, *proof)));
}

void IntakeService::get_consistency(Call& call) {
  auto old_size = parse_decimal(call.rest, "old size");
  if (!old_size) return call.reply(error(make_error(errc::bad_size, old_size.error().message), call.version()));
  auto cp = sequencer_.latest();
  if (*old_size == 0 || *old_size > cp->size) {
    return call.reply(error(
        make_error(errc::bad_size, "old size must be between 1 and the latest tree size " + std::to_string(cp->size)),
        call.version()));
  }
  auto reader = readers_->borrow();
  auto hashes = consistency_proof(reader->reader(), *old_size, cp->size);
  if (!hashes) return call.reply(error(hashes.error(), call.version()));
  call.reply(json_response(call.version(), http::status::ok, consistency_body(*old_size, cp->size, *hashes, cp->note)));
}

void IntakeService::get_checkpoint(Call& call) {
  std::string note;
  if (options_.published.empty()) {
    note = sequencer_.latest()->note;
  } else {
    auto file = read_published(options_.published, "checkpoint");
    if (!file) return call.reply(error(file.error(), call.version()));
    note = std::move(*file);
  }
  call.reply(respond(call.version(), http::status::ok, "text/plain; charset=utf-8", std::move(note), Caching::briefly));
}

// For a load balancer: 200 while the node takes objections (503 once it
// drains), with its role; only the sequencer integrates, every node accepts.
void IntakeService::get_health(Call& call) {
  auto cp = sequencer_.latest();
  json health{{"role", sequencer_.leading() ? "sequencer" : "follower"},
              {"store", options_.config.store == "sqlite" ? "sqlite" : "postgresql"},
              {"tree_size", cp->size}};
  auto res = json_response(call.version(), http::status::ok, canonicalize(health).value());
  res.set(http::field::cache_control, "no-store");
  call.reply(std::move(res));
}

void IntakeService::get_policy(Call& call) {
  if (options_.policy.empty()) {
    return call.reply(error(make_error(errc::not_found, "this log has no witness policy"), call.version()));
  }
  call.reply(respond(call.version(), http::status::ok, "text/plain; charset=utf-8", options_.policy, Caching::briefly));
}

void IntakeService::get_tile(Call& call) {
  auto path = call.path.substr(1);
  auto t = parse_tile_path(path);
  if (!t) return call.reply(error(make_error(errc::not_found, t.error().message), call.version()));
  auto caching = t->width == kTileWidth ? Caching::forever : Caching::hour;
  if (!options_.published.empty()) {
    auto file = read_published(options_.published, tile_path(*t));  // the canonical path: nothing else is read
    if (!file) return call.reply(error(file.error(), call.version()));
    return call.reply(respond(call.version(), http::status::ok, "application/octet-stream", std::move(*file), caching));
  }
  if (!tile_exists(*t, sequencer_.latest()->size)) {
    return call.reply(
        error(make_error(errc::not_found, "tile " + std::string(path) + " is not in the log yet"), call.version()));
  }
  Bytes body;
  {
    auto reader = readers_->borrow();
    if (t->entries) {
      auto entries = reader->entries(t->index * kTileWidth, t->width);
      if (!entries) return call.reply(error(entries.error(), call.version()));
      std::vector<std::string> bytes;
      for (auto& e : *entries) bytes.push_back(std::move(e.bytes));
      body = make_entry_bundle(bytes);
    } else {
      auto nodes = reader->nodes(t->level * kTileHeight, t->index * kTileWidth, t->width);
      if (!nodes) return call.reply(error(nodes.error(), call.version()));
      body = std::move(*nodes);
    }
  }
  call.reply(respond(call.version(), http::status::ok, "application/octet-stream",
                     std::string(body.begin(), body.end()), caching));
}

void IntakeService::get_static(Call& call) {
  const WebFile* file = web_.find(call.path);
  if (file == nullptr && (call.path == "/" || call.path == "/index.html") && web_.empty()) {
    return call.reply(html_page(call.version(), std::string(kApiPage)));
  }
  if (file == nullptr) {
    return call.reply(error(make_error(errc::not_found, "nothing at " + std::string(call.path)), call.version()));
  }
  if (file->content_type.rfind("text/html", 0) == 0) return call.reply(html_page(call.version(), file->body));
  auto res = respond(call.version(), http::status::ok, file->content_type, file->body, Caching::revalidate);
  // The widget's files (module, styles, catalogs, wasm) are public: a page on
  // another origin loads them in CORS mode (module scripts always are).
  res.set(http::field::access_control_allow_origin, "*");
  call.reply(std::move(res));
}

void IntakeService::get_discovery(Call& call) {
  auto body = canonicalize(discovery_document(options_.config, options_.log_vkey, options_.policy)).value();
  auto res =
      respond(call.version(), http::status::ok, "application/json; charset=utf-8", std::move(body), Caching::hour);
  res.set(http::field::access_control_allow_origin, "*");  // public, like the log itself
  call.reply(std::move(res));
}

void IntakeService::demo_token(Call& call) {
  // Demo mode only: a token for a demo account, as a platform's backend would
  // mint for its signed-in user: a fresh one, or ?account=demo:<12 hex> again
  // (the demo page stays signed in as the same person across reloads).
  std::string_view target(call.request.target().data(), call.request.target().size());
  auto query = target.substr(std::min(target.size(), target.find('?') + 1));
  std::string account;
  if (query.substr(0, 8) == "account=") {
    account = std::string(query.substr(8));
    if (auto at = account.find("%3A"); at != std::string::npos) account.replace(at, 3, ":");
    bool ok = account.size() == 17 && account.substr(0, 5) == "demo:" &&
              account.find_first_not_of("0123456789abcdef", 5) == std::string::npos;
    if (!ok) {
      return call.reply(
          error(make_error(errc::bad_request, "account: expected demo: and 12 hex digits"), call.version()));
    }
  } else {
    std::array<std::uint8_t, 6> id{};
    randombytes_buf(id.data(), id.size());
    account = "demo:" + to_hex(id);
  }
  AccountToken t{account, native::unix_now() + 3600};
  auto token = mint_token(t, options_.token_secret.view());
  call.reply(json_response(call.version(), http::status::ok,
                           canonicalize(json{{"account", t.account}, {"token", token}}).value()));
}

void IntakeService::demo_config(Call& call) {
  const auto& c = options_.config;
  json config{
      {"controller", c.origin}, {"log_key", options_.log_vkey}, {"services", c.services}, {"purposes", c.purposes}};
  if (!options_.policy.empty()) config["policy"] = options_.policy;
  if (options_.contact != nullptr) config["contact"] = true;  // people without an account can object
  auto body = canonicalize(config);
  call.reply(json_response(call.version(), http::status::ok, std::move(body).value()));
}

}  // namespace objector::intake
