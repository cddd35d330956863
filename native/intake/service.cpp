#include "native/intake/service.hpp"

#include <sodium.h>

#include <chrono>

#include "core/base64.hpp"
#include "core/jcs.hpp"
#include "core/tiles.hpp"
#include "core/tlog_proof.hpp"
#include "core/utf8.hpp"
#include "native/common/log.hpp"
#include "native/intake/account_token.hpp"
#include "native/intake/submission.hpp"

namespace objector::intake {
namespace {

constexpr std::string_view kPageCsp =
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self'; "
    "img-src 'self' data:; frame-ancestors 'self'; base-uri 'none'; form-action 'none'";

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

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

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

}  // namespace

IntakeService::IntakeService(ServiceOptions options, Store reader, Sequencer& sequencer, WebRoot web)
    : options_(std::move(options)),
      reader_(std::move(reader)),
      sequencer_(sequencer),
      web_(std::move(web)),
      limiter_(options_.config.rate_per_second, options_.config.rate_burst) {}

Response IntakeService::error(int status, std::string_view code, std::string_view message, unsigned version) {
  Response res{static_cast<http::status>(status), version};
  res.set(http::field::content_type, "application/json; charset=utf-8");
  res.set(http::field::cache_control, "no-store");
  res.set("X-Content-Type-Options", "nosniff");
  res.body() = canonicalize(json{{"error", code}, {"message", to_valid_utf8(message)}}).value();
  return res;
}

Response IntakeService::error_for(unsigned version, const Error& e) {
  return error(http_status(e.code), e.code, e.message, version);
}

Response IntakeService::json_response(const Request& req, int status, const std::string& body) {
  Response res{static_cast<http::status>(status), req.version()};
  res.set(http::field::content_type, "application/json; charset=utf-8");
  res.set(http::field::cache_control, "no-store");
  res.set("X-Content-Type-Options", "nosniff");
  res.body() = body;
  return res;
}

void IntakeService::handle(Request req, const std::string& client, Reply reply) {
  std::string target(req.target());
  auto path = std::string_view(target).substr(0, std::string_view(target).find('?'));
  auto method = req.method();
  if (draining_) {
    return reply(
        error(503, "shutting_down", "the intake is shutting down (hint: try again in a moment)", req.version()));
  }
  auto only = [&](http::verb allowed, const char* allow) -> bool {
    if (method == allowed || (allowed == http::verb::get && method == http::verb::head)) return true;
    auto res =
        error(405, "method_not_allowed", std::string("use ") + allow + " for " + std::string(path), req.version());
    res.set(http::field::allow, allow);
    reply(std::move(res));
    return false;
  };
  auto limited = [&]() -> bool {
    double retry = 0;
    if (limiter_.allow(client, retry)) return false;
    auto res = error(429, "rate_limited", "too many requests from this address (hint: wait a moment)", req.version());
    res.set(http::field::retry_after, std::to_string(static_cast<int>(retry) + 1));
    reply(std::move(res));
    return true;
  };

  if (path == "/v1/objections") {
    if (!only(http::verb::post, "POST") || limited()) return;
    return post_objection(req, std::move(reply));
  }
  if (starts_with(path, "/v1/proof/")) {
    if (!only(http::verb::get, "GET") || limited()) return;
    return reply(get_proof(req, path.substr(10)));
  }
  if (starts_with(path, "/v1/consistency/")) {
    if (!only(http::verb::get, "GET") || limited()) return;
    return reply(get_consistency(req, path.substr(16)));
  }
  if (path == "/checkpoint") {
    if (!only(http::verb::get, "GET")) return;
    return reply(get_checkpoint(req));
  }
  if (starts_with(path, "/tile/")) {
    if (!only(http::verb::get, "GET")) return;
    return reply(get_tile(req, path.substr(1)));
  }
  if (options_.demo && path == "/demo/token") {
    if (!only(http::verb::get, "GET") || limited()) return;
    return reply(demo_token(req));
  }
  if (options_.demo && path == "/demo/config.json") {
    if (!only(http::verb::get, "GET")) return;
    return reply(demo_config(req));
  }
  if (!only(http::verb::get, "GET")) return;
  reply(get_static(req, path));
}

void IntakeService::post_objection(const Request& req, Reply reply) {
  auto type = std::string(req[http::field::content_type]);
  if (type.substr(0, type.find(';')) != "application/json") {
    return reply(
        error(415, "unsupported_media_type", "send the objection as Content-Type: application/json", req.version()));
  }
  auto auth = std::string(req[http::field::authorization]);
  if (auth.rfind("Bearer ", 0) != 0) {
    return reply(error(401, "token_missing", "sign in first: the request has no account token", req.version()));
  }
  auto token = check_token(std::string_view(auth).substr(7), options_.token_secret.view(), unix_now());
  if (!token) return reply(error_for(req.version(), token.error()));
  auto submission = check_submission(req.body(), *token, options_.config, unix_now());
  if (!submission) {
    native::log_line("info", "rejected", {{"code", submission.error().code}});
    return reply(error_for(req.version(), submission.error()));
  }
  auto leaf = base64_encode(submission->entry.leaf);
  auto version = req.version();
  sequencer_.submit(std::move(*submission), [this, reply = std::move(reply), leaf, version](Result<Integrated> r) {
    if (!r) return reply(error_for(version, r.error()));
    auto body = canonicalize(json{{"index", r->index}, {"leaf_hash", leaf}, {"proof", r->proof}}).value();
    Response res{r->created ? http::status::created : http::status::ok, version};
    res.set(http::field::content_type, "application/json; charset=utf-8");
    res.set(http::field::cache_control, "no-store");
    res.body() = std::move(body);
    reply(std::move(res));
  });
}

Response IntakeService::get_proof(const Request& req, std::string_view leaf_text) {
  auto leaf = base64url_decode(leaf_text);
  if (!leaf || leaf->size() != 32) {
    return error(400, "bad_leaf_hash", "the leaf hash must be 32 bytes in URL-safe base64 without padding",
                 req.version());
  }
  Hash h{};
  std::copy(leaf->begin(), leaf->end(), h.begin());
  auto cp = sequencer_.latest();
  std::lock_guard lock(reader_mutex_);
  auto index = reader_.find_leaf(h);
  if (!index) return error_for(req.version(), index.error());
  if (!*index || **index >= cp->size) {
    return error(404, "not_logged", "no entry with this leaf hash is in the log", req.version());
  }
  auto hashes = inclusion_proof(reader_.reader(), **index, cp->size);
  if (!hashes) return error_for(req.version(), hashes.error());
  auto proof = format_tlog_proof({std::nullopt, **index, std::move(*hashes), cp->note});
  return json_response(
      req, 200, canonicalize(json{{"index", **index}, {"leaf_hash", base64_encode(h)}, {"proof", proof}}).value());
}

Response IntakeService::get_consistency(const Request& req, std::string_view old_text) {
  auto old_size = parse_decimal(old_text, "old size");
  if (!old_size) return error(400, "bad_size", old_size.error().message, req.version());
  auto cp = sequencer_.latest();
  if (*old_size == 0 || *old_size > cp->size) {
    return error(400, "bad_size", "old size must be between 1 and the latest tree size " + std::to_string(cp->size),
                 req.version());
  }
  std::lock_guard lock(reader_mutex_);
  auto hashes = consistency_proof(reader_.reader(), *old_size, cp->size);
  if (!hashes) return error_for(req.version(), hashes.error());
  json proof = json::array();
  for (const auto& h : *hashes) proof.push_back(base64_encode(h));
  return json_response(
      req, 200,
      canonicalize(json{{"old_size", *old_size}, {"new_size", cp->size}, {"proof", proof}, {"checkpoint", cp->note}})
          .value());
}

Response IntakeService::get_checkpoint(const Request& req) {
  Response res{http::status::ok, req.version()};
  res.set(http::field::content_type, "text/plain; charset=utf-8");
  res.set(http::field::cache_control, "max-age=2");
  res.body() = sequencer_.latest()->note;
  return res;
}

Response IntakeService::get_tile(const Request& req, std::string_view path) {
  auto t = parse_tile_path(path);
  if (!t) return error(404, "not_found", t.error().message, req.version());
  auto size = sequencer_.latest()->size;
  // The tile exists when the tree holds every node it lists.
  bool exists = t->level < 8;
  if (exists) {
    std::uint64_t nodes_at_level = size >> (8 * t->level);
    exists = t->index < nodes_at_level / kTileWidth + 1 && t->index * kTileWidth + t->width <= nodes_at_level;
  }
  if (!exists) {
    return error(404, "not_found", "tile " + std::string(path) + " is not in the log yet", req.version());
  }
  Bytes body;
  {
    std::lock_guard lock(reader_mutex_);
    if (t->entries) {
      auto entries = reader_.entries(t->index * kTileWidth, t->width);
      if (!entries) return error_for(req.version(), entries.error());
      std::vector<std::string> bytes;
      for (auto& e : *entries) bytes.push_back(std::move(e.bytes));
      body = make_entry_bundle(bytes);
    } else {
      auto nodes = reader_.nodes(t->level * kTileHeight, t->index * kTileWidth, t->width);
      if (!nodes) return error_for(req.version(), nodes.error());
      body = std::move(*nodes);
    }
  }
  Response res{http::status::ok, req.version()};
  res.set(http::field::content_type, "application/octet-stream");
  res.set(http::field::cache_control,
          t->width == kTileWidth ? "public, max-age=31536000, immutable" : "public, max-age=3600");
  res.body().assign(body.begin(), body.end());
  return res;
}

Response IntakeService::get_static(const Request& req, std::string_view path) {
  const WebFile* file = web_.find(path);
  Response res{http::status::ok, req.version()};
  res.set("X-Content-Type-Options", "nosniff");
  res.set(http::field::cache_control, "no-cache");
  if (file == nullptr && (path == "/" || path == "/index.html") && web_.empty()) {
    res.set(http::field::content_type, "text/html; charset=utf-8");
    res.set("Content-Security-Policy", std::string(kPageCsp));
    res.body() = std::string(kApiPage);
    return res;
  }
  if (file == nullptr) return error(404, "not_found", "nothing at " + std::string(path), req.version());
  res.set(http::field::content_type, file->content_type);
  if (file->content_type.rfind("text/html", 0) == 0) res.set("Content-Security-Policy", std::string(kPageCsp));
  res.body() = file->body;
  return res;
}

Response IntakeService::demo_token(const Request& req) {
  // Demo mode only: a token for a fresh demo account, as a platform's backend
  // would mint for its signed-in user.
  std::array<std::uint8_t, 6> id{};
  randombytes_buf(id.data(), id.size());
  AccountToken t{"demo:" + to_hex(id), unix_now() + 3600};
  auto token = mint_token(t, options_.token_secret.view());
  return json_response(req, 200, canonicalize(json{{"account", t.account}, {"token", token}}).value());
}

Response IntakeService::demo_config(const Request& req) {
  const auto& c = options_.config;
  return json_response(req, 200,
                       canonicalize(json{{"controller", c.origin},
                                         {"log_key", options_.log_vkey},
                                         {"services", c.services},
                                         {"purposes", c.purposes}})
                           .value());
}

}  // namespace objector::intake
