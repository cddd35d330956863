// A small HTTP/1.1 server on Boost.Beast: keep-alive, bounded headers and
// bodies, read timeouts, and handlers that may answer later from another
// thread (the sequencer). Thread safety: run() once; reply callbacks may be
// called from any thread, once.
#pragma once

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http.hpp>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "core/result.hpp"

namespace objector::native {

namespace http = boost::beast::http;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;
using Reply = std::function<void(Response)>;

struct HttpLimits {
  std::size_t max_body_bytes = std::size_t{16} * 1024;
  std::size_t max_header_bytes = std::size_t{8} * 1024;
  std::chrono::milliseconds read_timeout{10000};  // a whole request, from its first byte's wait to its body's end
  std::size_t max_connections = 4096;             // beyond: 503 and close, before reading anything
  // One address (an IPv6 /64) holding this many open connections gets 429
  // and close for the next, so it cannot starve everyone else; 0: no cap.
  std::size_t max_connections_per_client = 64;
  // The request line and headers must arrive this soon (and an idle
  // keep-alive connection is closed after it): shorter than read_timeout, so
  // a slow client holds a connection for less time than an upload may take.
  std::chrono::milliseconds head_timeout{5000};
  // Peers that carry many clients (trusted proxies): not capped per address.
  std::function<bool(const boost::asio::ip::address&)> shared_peer;
};

class HttpHandler {
 public:
  virtual ~HttpHandler() = default;
  // `peer` is the TCP peer's address (a proxy's, behind one).
  virtual void handle(Request request, const boost::asio::ip::address& peer, Reply reply) = 0;
  // Answers for requests that never reached handle(): 408, 413, 400.
  virtual Response error(const Error& e, unsigned version) = 0;
};

// Requests read but not yet answered; calls its idle callback when the
// count drops to zero. Shared by the server and its sessions.
class InFlight {
 public:
  void add() { ++count_; }
  void remove();
  // Calls `done` now if nothing is in flight, else when the last answer is written.
  void when_idle(std::function<void()> done);

 private:
  std::atomic<int> count_{0};
  std::mutex mutex_;
  std::function<void()> on_idle_;
};

class ConnectionsByClient;

// One io_context per thread, each running the connections it was given (the
// caller's `io` accepts and is one of them): a request never crosses threads
// or takes a lock on its way, and needs no strand.
class HttpServer {
 public:
  HttpServer(boost::asio::io_context& io, HttpHandler& handler, HttpLimits limits);
  // Binds and listens; errors say which address failed.
  boost::system::error_code listen(const boost::asio::ip::tcp::endpoint& endpoint);
  boost::asio::ip::tcp::endpoint local_endpoint() const;
  void stop_accepting();
  // For a graceful stop: `done` runs once every request read so far has been
  // answered (call after the handler has started refusing new work).
  void when_idle(std::function<void()> done) { in_flight_->when_idle(std::move(done)); }
  // Runs every loop, `io` on the calling thread, until stop().
  void run();
  void stop();

  using Executor = boost::asio::io_context::executor_type;
  using Socket = boost::asio::basic_stream_socket<boost::asio::ip::tcp, Executor>;

 private:
  void accept();
  void drain_backlog();
  void admit(Socket socket);
  void refuse(Socket socket, const std::string& response);
  Executor next_loop();
  Socket to_next_loop(Socket socket);
  boost::asio::io_context& io_;
  std::vector<std::unique_ptr<boost::asio::io_context>> loops_;           // besides io_, one per further core
  std::vector<boost::asio::executor_work_guard<Executor>> keep_running_;  // before loops_ in destruction
  std::size_t next_ = 0;                                                  // the loop the next connection goes to
  HttpHandler& handler_;
  HttpLimits limits_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::shared_ptr<InFlight> in_flight_ = std::make_shared<InFlight>();
  std::shared_ptr<std::atomic<std::size_t>> connections_ = std::make_shared<std::atomic<std::size_t>>(0);
  std::shared_ptr<ConnectionsByClient> by_client_;
  std::chrono::milliseconds accept_backoff_{0};  // after EMFILE and the like
};

// "HOST:PORT" or "[v6]:PORT", as --listen takes it.
Result<boost::asio::ip::tcp::endpoint> parse_listen(const std::string& text);

// Runs the server on every core until SIGINT or SIGTERM; then stops accepting,
// calls drain() (from now on new requests get 503), runs finish() on its own
// thread (it may block, like the intake's last batch), and returns once every
// request read has been answered.
void serve_until_signal(boost::asio::io_context& io, HttpServer& server, const std::function<void()>& drain,
                        const std::function<void()>& finish);

}  // namespace objector::native
