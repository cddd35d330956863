// The intake's HTTP API (docs/INTEGRATION.md): objections in, receipts'
// proofs out, the tlog-tiles read paths, and the widget's files.
// Thread safety: handle() runs on any io thread; state is either read-only,
// behind a mutex (the read connection), or owned by the sequencer.
#pragma once

#include <atomic>
#include <mutex>

#include "core/bytes.hpp"
#include "native/intake/config.hpp"
#include "native/intake/http_server.hpp"
#include "native/intake/rate_limit.hpp"
#include "native/intake/sequencer.hpp"
#include "native/intake/web_root.hpp"

namespace objector::intake {

struct ServiceOptions {
  Config config;
  std::string log_vkey;  // the log's verifier key text
  SecretBytes token_secret;
  bool demo = false;  // serve /demo/token and /demo/config.json
};

class IntakeService : public HttpHandler {
 public:
  IntakeService(ServiceOptions options, Store reader, Sequencer& sequencer, WebRoot web);

  void handle(Request request, const std::string& client, Reply reply) override;
  Response error(int status, std::string_view code, std::string_view message, unsigned version) override;

  // From now on every request gets 503 (graceful shutdown).
  void drain() { draining_ = true; }

 private:
  void post_objection(const Request& req, Reply reply);
  Response get_proof(const Request& req, std::string_view leaf);
  Response get_consistency(const Request& req, std::string_view old_size);
  Response get_tile(const Request& req, std::string_view path);
  Response get_checkpoint(const Request& req);
  Response get_static(const Request& req, std::string_view path);
  Response demo_token(const Request& req);
  Response demo_config(const Request& req);
  Response json_response(const Request& req, int status, const std::string& body);
  Response error_for(unsigned version, const Error& e);

  ServiceOptions options_;
  std::mutex reader_mutex_;
  Store reader_;
  Sequencer& sequencer_;
  WebRoot web_;
  RateLimiter limiter_;
  std::atomic<bool> draining_{false};
};

}  // namespace objector::intake
