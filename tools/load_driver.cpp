#include "tools/load_driver.hpp"

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

namespace objector::tools {

namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

constexpr auto kConnectDeadline = std::chrono::seconds(10);
constexpr auto kAnswerDeadline = std::chrono::seconds(60);  // from the request to the answer's last byte
constexpr std::size_t kMaxBody = std::size_t{64} << 20;

// What the connections share: the plan, the callbacks and the next
// request's number.
struct Shared {
  Shared(const LoadPlan& p, const MakeRequest& r, const std::function<void(std::uint64_t, LoadAnswer)>& a)
      : plan(p), request(r), answered(a) {}
  const LoadPlan& plan;
  const MakeRequest& request;
  const std::function<void(std::uint64_t, LoadAnswer)>& answered;
  Clock::time_point start = Clock::now();
  std::mutex mutex;
  std::uint64_t next = 0;

  std::optional<std::pair<std::uint64_t, LoadRequest>> take() {
    for (;;) {
      std::uint64_t i = 0;
      {
        std::lock_guard lock(mutex);
        if (next >= plan.count) return std::nullopt;
        i = next++;
      }
      if (auto r = request(i)) return std::pair{i, std::move(*r)};
    }
  }
  void give(std::uint64_t i, LoadAnswer a) {
    std::lock_guard lock(mutex);
    answered(i, std::move(a));
  }
};

// One kept-alive connection: take a request, (wait for its time), connect
// when not connected, write, read the answer, hand it over, again.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(net::io_context& io, Shared& shared, const native::HttpUrl& url, tcp::resolver::results_type endpoints)
      : shared_(shared), url_(url), endpoints_(std::move(endpoints)), stream_(io), timer_(io) {}

  void next() {
    auto taken = shared_.take();
    if (!taken) {
      beast::error_code ignored;
      stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
      return;
    }
    index_ = taken->first;
    make(std::move(taken->second));
    retried_ = false;
    if (shared_.plan.rate <= 0) return start();
    timer_.expires_at(shared_.start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(
                                          static_cast<double>(index_) / shared_.plan.rate)));
    timer_.async_wait([self = shared_from_this()](beast::error_code) { self->start(); });
  }

 private:
  void make(LoadRequest&& r) {
    req_ = {};
    req_.method(http::string_to_verb(r.method));
    req_.target(url_.prefix + r.target);
    req_.version(11);
    req_.set(http::field::host, url_.host);
    for (const auto& [k, v] : r.headers) req_.set(k, v);
    bool payload = !r.body.empty() || r.method == "POST";
    req_.body() = std::move(r.body);
    if (payload) req_.prepare_payload();
  }

  void start() {
    sent_ = Clock::now();
    send();
  }

  // Also the retry of start(): its time counts from the first attempt.
  void send() {
    if (connected_) return write();
    stream_.expires_after(kConnectDeadline);
    stream_.async_connect(endpoints_, [self = shared_from_this()](beast::error_code ec, const tcp::endpoint&) {
      if (ec) return self->failed(ec);
      self->connected_ = true;
      self->reused_ = false;
      self->write();
    });
  }

  void write() {
    stream_.expires_after(kAnswerDeadline);
    http::async_write(stream_, req_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->failed(ec);
      self->read();
    });
  }

  void read() {
    parser_.emplace();
    parser_->body_limit(kMaxBody);
    http::async_read(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->failed(ec);
      self->done();
    });
  }

  void done() {
    stream_.expires_never();  // idle until the next request
    auto res = parser_->release();
    bool keep = res.keep_alive();
    LoadAnswer a{static_cast<int>(res.result_int()), std::move(res.body()), {}, elapsed_ms()};
    shared_.give(index_, std::move(a));
    reused_ = true;
    if (!keep) close();
    next();
  }

  // A kept-alive connection the server had closed before this request: once
  // more on a new one (as native::HttpClient does). Anything else is the answer.
  void failed(beast::error_code ec) {
    bool stale = reused_ && !retried_ && ec != beast::error::timeout && !(parser_ && parser_->got_some());
    close();
    if (stale) {
      retried_ = true;
      return send();
    }
    std::string why = ec == beast::error::timeout ? "timed out" : ec.message();
    shared_.give(index_, {0, {}, "HTTP request to " + url_.host + ":" + url_.port + " failed: " + why, elapsed_ms()});
    next();
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().close(ignored);
    connected_ = false;
    parser_.reset();
    buffer_.clear();
  }

  double elapsed_ms() const { return std::chrono::duration<double, std::milli>(Clock::now() - sent_).count(); }

  Shared& shared_;
  const native::HttpUrl& url_;
  tcp::resolver::results_type endpoints_;
  beast::tcp_stream stream_;
  net::steady_timer timer_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> req_;
  std::optional<http::response_parser<http::string_body>> parser_;
  std::uint64_t index_ = 0;
  Clock::time_point sent_;
  bool connected_ = false, reused_ = false, retried_ = false;
};

}  // namespace

void drive(const std::vector<native::HttpUrl>& targets, const LoadPlan& plan, const MakeRequest& request,
           const std::function<void(std::uint64_t, LoadAnswer)>& answered) {
  if (targets.empty()) return;
  net::io_context io;
  Shared shared(plan, request, answered);
  std::vector<tcp::resolver::results_type> endpoints;
  for (const auto& t : targets) {
    tcp::resolver resolver(io);
    beast::error_code ec;
    endpoints.push_back(resolver.resolve(t.host, t.port, ec));  // empty on failure: every connect then fails
  }
  for (std::uint64_t k = 0; k < plan.connections; ++k) {
    auto n = static_cast<std::size_t>(k % targets.size());
    std::make_shared<Connection>(io, shared, targets[n], endpoints[n])->next();
  }
  // As many threads as cores: the loader signs in them too when not presigned.
  auto threads = std::max(1U, std::min(std::thread::hardware_concurrency(), static_cast<unsigned>(plan.connections)));
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back([&] { io.run(); });
  io.run();
  for (auto& t : pool) t.join();
}

}  // namespace objector::tools
