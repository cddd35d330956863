#include "native/witness/witness_service.hpp"

#include <cmath>

#include "core/crypto/sha256.hpp"
#include "core/tlog/signed_note.hpp"
#include "native/common/clock.hpp"
#include "native/common/log.hpp"
#include "native/witness/add_checkpoint.hpp"

namespace objector::witness {
namespace http = native::http;
namespace {

native::Response text(unsigned version, int status, std::string body,
                      std::string_view type = "text/plain; charset=utf-8") {
  native::Response r{static_cast<http::status>(status), version};
  r.set(http::field::content_type, std::string(type));
  r.set(http::field::cache_control, "no-store");
  r.set("X-Content-Type-Options", "nosniff");
  r.body() = std::move(body);
  r.prepare_payload();
  return r;
}

bool is_origin_hash(std::string_view s) {
  return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

constexpr std::string_view kCheckpointSuffix = "/checkpoint";

bool is_add_checkpoint(std::string_view path) { return path == "/add-checkpoint"; }

// "/<origin hash>/checkpoint"
bool is_cosigned_checkpoint(std::string_view path) {
  return path.size() == 1 + 64 + kCheckpointSuffix.size() && path.ends_with(kCheckpointSuffix) &&
         is_origin_hash(path.substr(1, 64));
}

}  // namespace

std::string origin_hash(std::string_view origin) { return to_hex(sha256(as_bytes(origin))); }

const WitnessService::Route WitnessService::kRoutes[] = {
    {is_add_checkpoint, true, "use POST for add-checkpoint\n", &WitnessService::post_add_checkpoint},
    {is_cosigned_checkpoint, false, "use GET for a checkpoint\n", &WitnessService::get_checkpoint},
};

WitnessService::WitnessService(WitnessState state, NoteSigner key, WitnessLimits limits, native::ProxyRules proxies)
    : state_(std::move(state)),
      key_(std::move(key)),
      limiter_(limits.rate_per_second, limits.rate_burst),
      proxies_(std::move(proxies)) {}

void WitnessService::handle(native::Request request, const boost::asio::ip::address& peer, native::Reply reply) {
  const unsigned version = request.version();
  if (draining_) return reply(text(version, 503, "the witness is shutting down; try again in a moment\n"));
  double retry_after = 0;
  if (!limiter_.allow(native::rate_key(native::client_of(peer, request, proxies_)), retry_after)) {
    auto r = text(version, 429, "too many requests; try again later\n");
    r.set(http::field::retry_after, std::to_string(static_cast<int>(std::ceil(retry_after))));
    return reply(std::move(r));
  }
  std::string_view path(request.target().data(), request.target().size());
  path = path.substr(0, path.find('?'));
  for (const auto& route : kRoutes) {
    if (!route.matches(path)) continue;
    const bool allowed = route.post ? request.method() == http::verb::post
                                    : request.method() == http::verb::get || request.method() == http::verb::head;
    if (!allowed) {
      auto r = text(version, 405, std::string(route.wrong_method));
      r.set(http::field::allow, route.post ? "POST" : "GET, HEAD");
      return reply(std::move(r));
    }
    return reply((this->*route.handler)(request, path));
  }
  reply(text(version, 404, "not found (this witness serves POST /add-checkpoint and GET /<origin hash>/checkpoint)\n"));
}

native::Response WitnessService::error(const Error& e, unsigned version) {
  auto r = refusal(e);
  return text(version, r.status, std::move(r.body));
}

native::Response WitnessService::post_add_checkpoint(const native::Request& request, std::string_view /*path*/) {
  WitnessReply r;
  {
    std::lock_guard lock(mutex_);
    r = add_checkpoint(state_, key_, request.body(), static_cast<std::uint64_t>(native::unix_now()));
  }
  native::log_line(
      r.status == 200 ? native::LogLevel::info : native::LogLevel::warning, "add_checkpoint",
      {{"status", std::to_string(r.status)}, {"message", r.status == 200 ? "" : r.body.substr(0, r.body.size() - 1)}});
  return text(request.version(), r.status, std::move(r.body), r.content_type);
}

native::Response WitnessService::get_checkpoint(const native::Request& request, std::string_view path) {
  auto hash = path.substr(1, 64);
  std::lock_guard lock(mutex_);
  auto origins = state_.origins();
  if (!origins) return text(request.version(), 503, "the witness cannot read its state; try again\n");
  for (const auto& origin : *origins) {
    if (origin_hash(origin) != hash) continue;
    auto latest = state_.latest(origin);
    if (!latest) return text(request.version(), 503, "the witness cannot read its state; try again\n");
    if (!*latest) return text(request.version(), 404, "no checkpoint of \"" + origin + "\" cosigned yet\n");
    return text(request.version(), 200, (*latest)->note);
  }
  return text(request.version(), 404, "unknown log\n");
}

}  // namespace objector::witness
