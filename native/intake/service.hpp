// The intake's HTTP API (docs/INTEGRATION.md): objections in, receipts'
// proofs out, the tlog-tiles read paths, and the widget's files. The routes
// are a table (service.cpp: method, path, rate-limit class, handler); every
// answer is built by responses.hpp.
// Thread safety: handle() runs on any io thread; state is either read-only,
// lent by the reader pool (the read connections), or owned by the sequencer.
#pragma once

#include <atomic>
#include <mutex>

#include "core/bytes.hpp"
#include "native/common/client_address.hpp"
#include "native/common/rate_limit.hpp"
#include "native/intake/account_token.hpp"
#include "native/intake/config.hpp"
#include "native/intake/contact/contact_desk.hpp"
#include "native/intake/log/reader_pool.hpp"
#include "native/intake/log/sequencer.hpp"
#include "native/intake/responses.hpp"
#include "native/intake/web_root.hpp"

namespace objector::intake {

struct ServiceOptions {
  Config config;
  std::string log_vkey;  // the log's verifier key text
  SecretBytes token_secret;
  bool demo = false;                // serve /demo/token and /demo/config.json
  std::string policy;               // c2sp.org/tlog-policy text, served at /policy; "" = none
  std::filesystem::path published;  // publish.dir: /checkpoint and /tile/ come from it ("" = the store)
  ContactDesk* contact = nullptr;   // config.contact: the e-mail path (none = its routes answer 404)
};

class IntakeService : public HttpHandler {
 public:
  // `proxies`: config.proxy, parsed.
  IntakeService(ServiceOptions options, native::ProxyRules proxies, std::unique_ptr<ReaderPool> readers,
                Sequencer& sequencer, WebRoot web);

  void handle(Request request, const boost::asio::ip::address& peer, Reply reply) override;
  Response error(const Error& e, unsigned version) override;

  // From now on every request gets 503 (graceful shutdown).
  void drain() { draining_ = true; }

  // One request on its way through a route: `rest` is the path after the
  // route's prefix.
  struct Call {
    const Request& request;
    std::string_view path;
    std::string_view rest;
    Reply reply;
    unsigned version() const { return request.version(); }
  };

 private:
  enum class Limit { submissions, reads };       // which per-client budget a route counts against
  enum class Offered { always, demo, contact };  // when a route exists: always, in demo mode, with config.contact
  struct Route {
    http::verb method;      // GET routes answer HEAD too
    std::string_view path;  // exact, or a prefix when it ends in '/'
    Limit limit;
    Offered offered;
    void (IntakeService::*handler)(Call&);
  };
  static const Route kRoutes[];

  bool offered(Offered when) const;
  void post_objection(Call& call);
  void post_contact_code(Call& call);
  void post_contact_token(Call& call);
  void get_objections(Call& call);
  Result<AccountToken> bearer(const Request& req, std::int64_t now) const;
  void get_proof(Call& call);
  void get_consistency(Call& call);
  void get_tile(Call& call);
  void get_checkpoint(Call& call);
  void get_static(Call& call);
  void get_discovery(Call& call);
  void get_policy(Call& call);
  void get_health(Call& call);
  void preflight(Call& call);
  Reply with_cors(const Request& req, std::string_view path, Reply reply) const;
  bool origin_allowed(const Request& req) const;
  void demo_token(Call& call);
  void demo_config(Call& call);
  bool rate_limited(Limit limit, const boost::asio::ip::address& peer, Call& call);

  ServiceOptions options_;
  std::unique_ptr<ReaderPool> readers_;
  Sequencer& sequencer_;
  WebRoot web_;
  native::ProxyRules proxies_;
  native::RateLimiter submissions_;
  native::RateLimiter reads_;
  std::atomic<bool> draining_{false};
};

}  // namespace objector::intake
