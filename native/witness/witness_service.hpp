// objector-witness's HTTP interface (docs/WITNESS.md):
//   POST /add-checkpoint        c2sp.org/tlog-witness (add_checkpoint.hpp)
//   GET  /<origin hash>/checkpoint
//        the latest checkpoint it cosigned for a log, with the log's signature
//        and its cosignature; <origin hash> is the lowercase hex SHA-256 of the
//        origin, as the monitoring prefix of c2sp.org/tlog-mirror names logs
// Every answer is plain text. Requests are rate limited per client address,
// found behind a trusted proxy by the intake's rules (client_address.hpp).
// Thread safety: handle() runs on any io thread; the state is behind a mutex.
#pragma once

#include <atomic>
#include <mutex>

#include "native/common/client_address.hpp"
#include "native/common/http_server.hpp"
#include "native/common/rate_limit.hpp"
#include "native/witness/witness_state.hpp"

namespace objector::witness {

struct WitnessLimits {
  double rate_per_second = 50;  // per client address; logs submit once per checkpoint
  double rate_burst = 100;
};

class WitnessService : public native::HttpHandler {
 public:
  WitnessService(WitnessState state, NoteSigner key, WitnessLimits limits, native::ProxyRules proxies = {});

  void handle(native::Request request, const boost::asio::ip::address& peer, native::Reply reply) override;
  native::Response error(const Error& e, unsigned version) override;
  void drain() { draining_ = true; }

 private:
  // The routes, as data: a path matcher, the methods it takes, the handler.
  struct Route {
    bool (*matches)(std::string_view path);
    bool post;                      // POST only; otherwise GET and HEAD
    std::string_view wrong_method;  // the 405 answer's text
    native::Response (WitnessService::*handler)(const native::Request& request, std::string_view path);
  };
  static const Route kRoutes[];

  native::Response post_add_checkpoint(const native::Request& request, std::string_view path);
  native::Response get_checkpoint(const native::Request& request, std::string_view path);

  std::mutex mutex_;
  WitnessState state_;
  NoteSigner key_;
  native::RateLimiter limiter_;
  native::ProxyRules proxies_;
  std::atomic<bool> draining_{false};
};

// The path segment that names a log on the monitoring side.
std::string origin_hash(std::string_view origin);

}  // namespace objector::witness
