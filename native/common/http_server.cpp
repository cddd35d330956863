#include "native/common/http_server.hpp"

#include <unistd.h>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <optional>
#include <thread>
#include <unordered_map>

#include "native/common/cli.hpp"
#include "native/common/client_address.hpp"
#include "native/common/log.hpp"
#include "native/common/parallel.hpp"

namespace objector::native {

// Open connections per client address (rate_key: an IPv4 address or an IPv6 /64).
class ConnectionsByClient {
 public:
  explicit ConnectionsByClient(std::size_t cap) : cap_(cap) {}
  // False when `key` already holds the cap.
  bool add(const std::string& key) {
    std::lock_guard lock(mutex_);
    auto& n = open_[key];
    if (cap_ != 0 && n >= cap_) return false;
    ++n;
    return true;
  }
  void remove(const std::string& key) {
    std::lock_guard lock(mutex_);
    auto it = open_.find(key);
    if (it != open_.end() && --it->second == 0) open_.erase(it);
  }

 private:
  std::size_t cap_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::size_t> open_;
};

namespace {

namespace beast = boost::beast;
namespace net = boost::asio;

// After SIGTERM, connections still open this long are closed and the server exits.
constexpr auto kShutdownDeadline = std::chrono::seconds(15);
constexpr std::size_t kReadRoom = 4096;                       // a request with its headers, in one read
constexpr auto kWriteTimeout = std::chrono::seconds(30);      // a client that stops reading
constexpr auto kFinalWriteTimeout = std::chrono::seconds(5);  // an answer before the connection closes

// RFC 9112 §6.3: a request whose Transfer-Encoding is anything but "chunked"
// cannot be framed reliably (a proxy may read it otherwise: smuggling).
bool transfer_encoding_ok(const Request& request) {
  std::string codings;
  auto [first, last] = request.equal_range(http::field::transfer_encoding);
  for (auto it = first; it != last; ++it) {
    if (!codings.empty()) codings += ',';
    codings.append(it->value().data(), it->value().size());
  }
  if (request.count(http::field::transfer_encoding) == 0) return true;
  auto trimmed = std::string_view(codings);
  while (!trimmed.empty() && (trimmed.front() == ' ' || trimmed.front() == '\t')) trimmed.remove_prefix(1);
  while (!trimmed.empty() && (trimmed.back() == ' ' || trimmed.back() == '\t')) trimmed.remove_suffix(1);
  return beast::iequals(beast::string_view(trimmed.data(), trimmed.size()), "chunked");
}

// The reply a handler gets: answered at most once, and if every copy is
// dropped unanswered, answered with 500, so no request can stay in flight
// (and hold up a graceful stop) whatever a handler forgets.
class Answer {
 public:
  Answer(std::function<void(Response)> send, std::function<Response()> fallback)
      : send_(std::move(send)), fallback_(std::move(fallback)) {}
  Answer(const Answer&) = delete;
  Answer& operator=(const Answer&) = delete;
  ~Answer() {
    if (!answered_.exchange(true)) send_(fallback_());
  }
  void operator()(Response response) {
    if (!answered_.exchange(true)) send_(std::move(response));
  }

 private:
  std::function<void(Response)> send_;
  std::function<Response()> fallback_;
  std::atomic<bool> answered_{false};
};

using Socket = HttpServer::Socket;
using Timer = net::basic_waitable_timer<std::chrono::steady_clock, net::wait_traits<std::chrono::steady_clock>,
                                        HttpServer::Executor>;

// One connection; every handler runs on its socket's loop, one at a time.
class Session : public std::enable_shared_from_this<Session> {
 public:
  // `client_key` is counted in `by_client` (empty: not counted).
  Session(Socket socket, net::ip::address peer, HttpHandler& handler, const HttpLimits& limits,
          std::shared_ptr<InFlight> in_flight, std::shared_ptr<std::atomic<std::size_t>> connections,
          std::shared_ptr<ConnectionsByClient> by_client, std::string client_key)
      : socket_(std::move(socket)),
        timer_(socket_.get_executor()),
        handler_(handler),
        limits_(limits),
        peer_(std::move(peer)),
        in_flight_(std::move(in_flight)),
        connections_(std::move(connections)),
        by_client_(std::move(by_client)),
        client_key_(std::move(client_key)),
        tick_(std::min<std::chrono::steady_clock::duration>(
            {limits_.head_timeout, limits_.read_timeout, kFinalWriteTimeout})) {
    // Beast reads at most the buffer's free room (512 bytes when empty): an
    // objection (about 1 KB with its headers) took two or three reads.
    buffer_.reserve(kReadRoom);
  }
  ~Session() {
    --*connections_;
    if (!client_key_.empty()) by_client_->remove(client_key_);
  }
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void start() {
    net::dispatch(socket_.get_executor(), [self = shared_from_this()] { self->read(); });
  }

 private:
  // A request in two deadlines: its head within head_timeout, the whole of it
  // within read_timeout. Past one, the timer cancels the read and leaves the
  // socket open, so a request cut short still gets its 408.
  void read() {
    parser_.emplace();
    parser_->body_limit(limits_.max_body_bytes);
    parser_->header_limit(static_cast<std::uint32_t>(limits_.max_header_bytes));
    timed_out_ = false;
    started_ = std::chrono::steady_clock::now();
    set_deadline(started_ + std::min(limits_.head_timeout, limits_.read_timeout));
    http::async_read_header(socket_, buffer_, *parser_,
                            [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_head(ec); });
  }

  void on_head(beast::error_code ec) {
    if (ec || timed_out_ || parser_->is_done()) return on_read(ec);
    set_deadline(started_ + limits_.read_timeout);
    http::async_read(socket_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code e, std::size_t) { self->on_read(e); });
  }

  // Moving the deadline only writes deadline_: the one timer wakes at least
  // every tick_ and sleeps again until the deadline then set. Every deadline
  // is at least a tick away when set, so a request costs no timer operation
  // (re-arming and cancelling one three times a request cost about 2 us).
  void set_deadline(std::chrono::steady_clock::time_point when) {
    deadline_ = when;
    if (!timer_waiting_ || when < timer_expiry_) wake_at(when);
  }

  void clear_deadline() { deadline_ = std::chrono::steady_clock::time_point::max(); }

  void wake_at(std::chrono::steady_clock::time_point when) {
    auto generation = ++timer_generation_;  // a wait this replaces sees an older one
    timer_waiting_ = true;
    timer_expiry_ = std::min(when, std::chrono::steady_clock::now() + tick_);
    timer_.expires_at(timer_expiry_);
    timer_.async_wait([self = shared_from_this(), generation](beast::error_code) {
      if (generation != self->timer_generation_) return;
      self->timer_waiting_ = false;
      if (!self->socket_.is_open() || self->deadline_ == std::chrono::steady_clock::time_point::max()) return;
      if (std::chrono::steady_clock::now() < self->deadline_) return self->wake_at(self->deadline_);
      // Past the deadline: the read or write waiting on the socket ends.
      self->timed_out_ = true;
      beast::error_code ignored;
      self->socket_.cancel(ignored);
    });
  }

  void on_read(beast::error_code ec) {
    clear_deadline();
    if (timed_out_) {
      // A request that started but did not finish in time gets a 408.
      if (parser_->got_some()) {
        in_flight_->add();
        return write_final(
            handler_.error(make_error(errc::request_timeout, "the request took too long to arrive"), 11));
      }
      return close();
    }
    if (ec == http::error::end_of_stream || ec == net::error::eof || ec == net::error::connection_reset) {
      return close();
    }
    in_flight_->add();  // every path below writes an answer
    if (ec == http::error::body_limit) {
      return write_final(handler_.error(
          make_error(errc::body_too_large,
                     "the request body is larger than " + std::to_string(limits_.max_body_bytes) + " bytes"),
          11));
    }
    if (ec == http::error::header_limit) {
      return write_final(handler_.error(make_error(errc::headers_too_large, "the request headers are too large"), 11));
    }
    if (ec) return write_final(handler_.error(make_error(errc::bad_request, "malformed HTTP request"), 11));

    auto request = parser_->release();
    if (!transfer_encoding_ok(request)) {
      return write_final(handler_.error(
          make_error(errc::bad_request, "Transfer-Encoding: only \"chunked\" is accepted (RFC 9112 section 6.3)"),
          request.version()));
    }
    keep_alive_ = request.keep_alive();
    head_ = request.method() == http::verb::head;
    auto self = shared_from_this();
    auto version = request.version();
    auto answer = std::make_shared<Answer>(
        [self](Response response) {
          net::dispatch(self->socket_.get_executor(),
                        [self, response = std::move(response)]() mutable { self->write(std::move(response)); });
        },
        [self, version] {
          log_line(native::LogLevel::error, "unanswered_request");
          return self->handler_.error(make_error(errc::internal_error, "the server did not answer this request"),
                                      version);
        });
    handler_.handle(std::move(request), peer_, [answer](Response response) { (*answer)(std::move(response)); });
  }

  void write(Response response) { write(std::move(response), kWriteTimeout); }

  void write(Response response, std::chrono::steady_clock::duration within) {
    set_deadline(std::chrono::steady_clock::now() + within);
    response.keep_alive(keep_alive_ && response.keep_alive());
    response.prepare_payload();
    if (head_) {  // the headers of a GET, without its body
      auto length = response.body().size();
      response.body().clear();
      response.content_length(length);
    }
    auto shared = std::make_shared<Response>(std::move(response));
    http::async_write(socket_, *shared, [self = shared_from_this(), shared](beast::error_code ec, std::size_t) {
      self->in_flight_->remove();
      self->clear_deadline();
      if (ec || !shared->keep_alive()) return self->close();
      self->read();
    });
  }

  void write_final(Response response) {
    response.keep_alive(false);
    keep_alive_ = false;
    write(std::move(response), kFinalWriteTimeout);
  }

  void close() {
    ++timer_generation_;
    timer_.cancel();  // its wait holds this session
    beast::error_code ec;
    socket_.shutdown(net::ip::tcp::socket::shutdown_send, ec);
    socket_.close(ec);
  }

  Socket socket_;
  Timer timer_;
  bool timed_out_ = false;
  std::chrono::steady_clock::time_point deadline_ = std::chrono::steady_clock::time_point::max();
  bool timer_waiting_ = false;
  std::chrono::steady_clock::time_point timer_expiry_;
  std::uint64_t timer_generation_ = 0;
  std::chrono::steady_clock::time_point started_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  HttpHandler& handler_;
  HttpLimits limits_;
  net::ip::address peer_;
  bool keep_alive_ = true;
  bool head_ = false;
  std::shared_ptr<InFlight> in_flight_;
  std::shared_ptr<std::atomic<std::size_t>> connections_;
  std::shared_ptr<ConnectionsByClient> by_client_;
  std::string client_key_;
  std::chrono::steady_clock::duration tick_;  // the shortest deadline this session sets (after limits_)
};

// What a connection past a cap gets before it is closed, before anything is read.
std::string refusal(std::string_view status, std::string_view code, std::string_view message) {
  auto body = std::string(R"({"error":")") + std::string(code) + R"(","message":")" + std::string(message) + "\"}";
  return "HTTP/1.1 " + std::string(status) +
         "\r\n"
         "Content-Type: application/json; charset=utf-8\r\n"
         "Cache-Control: no-store\r\n"
         "X-Content-Type-Options: nosniff\r\n"
         "Retry-After: 1\r\n"
         "Connection: close\r\n"
         "Content-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + body;
}

const std::string& full_response() {
  static const std::string response =
      refusal("503 Service Unavailable", "overloaded", "the server has too many connections open; try again");
  return response;
}

const std::string& client_full_response() {
  static const std::string response =
      refusal("429 Too Many Requests", "too_many_connections",
              "too many connections are open from your address; close some (hint: reuse one keep-alive connection)");
  return response;
}

}  // namespace

void InFlight::remove() {
  if (count_.fetch_sub(1) != 1) return;
  std::function<void()> done;
  {
    std::lock_guard lock(mutex_);
    done = std::move(on_idle_);
    on_idle_ = nullptr;
  }
  if (done) done();
}

void InFlight::when_idle(std::function<void()> done) {
  {
    std::lock_guard lock(mutex_);
    if (count_ != 0) {
      on_idle_ = std::move(done);
      return;
    }
  }
  done();
}

HttpServer::HttpServer(net::io_context& io, HttpHandler& handler, HttpLimits limits)
    : io_(io),
      handler_(handler),
      limits_(std::move(limits)),
      acceptor_(io),
      by_client_(std::make_shared<ConnectionsByClient>(limits_.max_connections_per_client)) {
  for (unsigned i = 1; i < std::max(2u, core_count()); ++i) {
    loops_.push_back(std::make_unique<net::io_context>(1));
    // Connections waiting for other threads (the sequencer) have no pending I/O.
    keep_running_.push_back(net::make_work_guard(loops_.back()->get_executor()));
  }
}

void HttpServer::run() {
  std::vector<std::thread> threads;
  for (auto& loop : loops_) threads.emplace_back([&loop] { loop->run(); });
  io_.run();
  for (auto& t : threads) t.join();
}

void HttpServer::stop() {
  io_.stop();
  for (auto& loop : loops_) loop->stop();
}

// Connections go round the loops in turn, the accepting one included.
HttpServer::Executor HttpServer::next_loop() {
  auto k = next_++ % (loops_.size() + 1);
  return k == 0 ? io_.get_executor() : loops_[k - 1]->get_executor();
}

HttpServer::Socket HttpServer::to_next_loop(Socket socket) {
  auto loop = next_loop();
  if (loop == socket.get_executor()) return socket;
  beast::error_code ec;
  auto protocol = socket.local_endpoint(ec).protocol();
  Socket moved(loop);  // stays closed if the hand-over fails: admit() drops it
  if (ec) return moved;
  auto fd = socket.release(ec);
  if (ec) return moved;
  moved.assign(protocol, fd, ec);
  if (ec) ::close(fd);
  return moved;
}

boost::system::error_code HttpServer::listen(const net::ip::tcp::endpoint& endpoint) {
  boost::system::error_code ec;
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
  if (!ec) acceptor_.non_blocking(true, ec);  // drain_backlog() must not wait
  if (!ec) accept();
  return ec;
}

net::ip::tcp::endpoint HttpServer::local_endpoint() const {
  boost::system::error_code ec;
  return acceptor_.local_endpoint(ec);
}

void HttpServer::stop_accepting() {
  net::dispatch(acceptor_.get_executor(), [this] {
    boost::system::error_code ec;
    acceptor_.close(ec);
  });
}

void HttpServer::accept() {
  // Accepted on the accepting loop, then handed over: a socket of another
  // loop in a pending accept would outlive that loop when the server goes.
  acceptor_.async_accept(io_.get_executor(), [this](beast::error_code ec, Socket socket) {
    if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;
    if (ec) {
      // Out of descriptors or memory (EMFILE, ENFILE, ENOBUFS): wait before
      // the next accept instead of spinning; connections queue in the backlog.
      accept_backoff_ =
          std::min(std::max(accept_backoff_ * 2, std::chrono::milliseconds(10)), std::chrono::milliseconds(1000));
      auto timer = std::make_shared<net::steady_timer>(acceptor_.get_executor(), accept_backoff_);
      timer->async_wait([this, timer](beast::error_code) { accept(); });
      return;
    }
    accept_backoff_ = std::chrono::milliseconds(0);
    admit(to_next_loop(std::move(socket)));
    drain_backlog();
    accept();
  });
}

// The connections already waiting, at once: one accept per turn of a busy
// io_context leaves the rest of a burst waiting behind every request in
// flight (clients that connected together saw seconds of delay).
void HttpServer::drain_backlog() {
  constexpr int kMostPerTurn = 64;
  for (int i = 0; i < kMostPerTurn; ++i) {
    beast::error_code ec;
    Socket socket(next_loop());
    acceptor_.accept(socket, ec);  // non-blocking: would_block once the backlog is empty
    if (ec) return;                // errors other than would_block: the asynchronous accept sees them
    admit(std::move(socket));
  }
}

// A session for `socket`, or a refusal past the caps: all connections, then
// the peer's own (unless it is a proxy carrying many clients).
void HttpServer::admit(Socket socket) {
  beast::error_code ec;
  auto remote = socket.remote_endpoint(ec);
  if (ec) return;  // already gone
  auto peer = remote.address();
  if (connections_->fetch_add(1) >= limits_.max_connections) {
    --*connections_;
    return refuse(std::move(socket), full_response());
  }
  std::string key;
  if (limits_.max_connections_per_client != 0 && !(limits_.shared_peer && limits_.shared_peer(peer))) {
    key = rate_key(peer);
    if (!by_client_->add(key)) {
      --*connections_;
      return refuse(std::move(socket), client_full_response());
    }
  }
  std::make_shared<Session>(std::move(socket), peer, handler_, limits_, in_flight_, connections_, by_client_,
                            std::move(key))
      ->start();
}

// A clean refusal past a connection cap: a fixed answer, then close.
void HttpServer::refuse(Socket socket, const std::string& response) {
  auto s = std::make_shared<Socket>(std::move(socket));
  net::async_write(*s, net::buffer(response), [s](beast::error_code, std::size_t) {
    beast::error_code ignored;
    s->shutdown(net::ip::tcp::socket::shutdown_both, ignored);
    s->close(ignored);
  });
}

Result<net::ip::tcp::endpoint> parse_listen(const std::string& text) {
  auto colon = text.rfind(':');
  boost::system::error_code ec;
  auto host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  auto address = net::ip::make_address(host, ec);
  auto port = colon == std::string::npos ? Result<std::uint64_t>(make_error(errc::usage, ""))
                                         : parse_count(text.substr(colon + 1), "port");
  if (ec || !port || *port > 65535) {
    return make_error(errc::usage, "--listen \"" + text + "\" is not HOST:PORT (hint: 127.0.0.1:8080)");
  }
  return net::ip::tcp::endpoint(address, static_cast<unsigned short>(*port));
}

void serve_until_signal(net::io_context& io, HttpServer& server, const std::function<void()>& drain,
                        const std::function<void()>& finish) {
  // Requests waiting for other threads (the sequencer) have no pending I/O: keep run() going.
  auto work = net::make_work_guard(io);
  net::signal_set signals(io, SIGINT, SIGTERM);
  std::mutex stopper_mutex;  // the stopper may stop the loop before its assignment ends
  std::thread stopper;
  signals.async_wait([&](const boost::system::error_code& ec, int) {
    if (ec) return;
    log_line(native::LogLevel::info, "shutting_down");
    drain();
    server.stop_accepting();
    // Connections that still have not been answered by the deadline are closed with the loop.
    auto deadline = std::make_shared<net::steady_timer>(io, kShutdownDeadline);
    deadline->async_wait([&server, deadline](const boost::system::error_code& e) {
      if (e) return;
      log_line(native::LogLevel::warning, "shutdown_deadline",
               {{"seconds", std::to_string(kShutdownDeadline.count())}});
      server.stop();
    });
    // finish() may block (the intake's last batch): not on an io thread.
    std::lock_guard lock(stopper_mutex);
    stopper = std::thread([&] {
      finish();
      server.when_idle([&] { server.stop(); });
    });
  });
  server.run();
  std::lock_guard lock(stopper_mutex);
  if (stopper.joinable()) stopper.join();
}

}  // namespace objector::native
