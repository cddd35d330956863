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

}  // namespace

std::string origin_hash(std::string_view origin) { return to_hex(sha256(as_bytes(origin))); }

WitnessService::WitnessService(WitnessState state, NoteSigner key, WitnessLimits limits)
    : state_(std::move(state)), key_(std::move(key)), limiter_(limits.rate_per_second, limits.rate_burst) {}

void WitnessService::handle(native::Request request, const boost::asio::ip::address& peer, native::Reply reply) {
  const unsigned version = request.version();
  if (draining_) return reply(text(version, 503, "the witness is shutting down; try again in a moment\n"));
  double retry_after = 0;
  if (!limiter_.allow(peer.to_string(), retry_after)) {
    auto r = text(version, 429, "too many requests; try again later\n");
    r.set(http::field::retry_after, std::to_string(static_cast<int>(std::ceil(retry_after))));
    return reply(std::move(r));
  }
  std::string_view target(request.target().data(), request.target().size());
  target = target.substr(0, target.find('?'));
  const bool get = request.method() == http::verb::get || request.method() == http::verb::head;
  if (target == "/add-checkpoint") {
    if (request.method() != http::verb::post) {
      auto r = text(version, 405, "use POST for add-checkpoint\n");
      r.set(http::field::allow, "POST");
      return reply(std::move(r));
    }
    return reply(post_add_checkpoint(request));
  }
  constexpr std::string_view kSuffix = "/checkpoint";
  if (target.size() == 1 + 64 + kSuffix.size() && target.ends_with(kSuffix) && is_origin_hash(target.substr(1, 64))) {
    if (!get) {
      auto r = text(version, 405, "use GET for a checkpoint\n");
      r.set(http::field::allow, "GET, HEAD");
      return reply(std::move(r));
    }
    return reply(get_checkpoint(request, target.substr(1, 64)));
  }
  reply(text(version, 404, "not found (this witness serves POST /add-checkpoint and GET /<origin hash>/checkpoint)\n"));
}

native::Response WitnessService::error(const Error& e, unsigned version) {
  auto r = refusal(e);
  return text(version, r.status, std::move(r.body));
}

native::Response WitnessService::post_add_checkpoint(const native::Request& request) {
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

native::Response WitnessService::get_checkpoint(const native::Request& request, std::string_view hash) {
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
