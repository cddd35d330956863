#include "native/intake/http_server.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <optional>

namespace objector::intake {
namespace {

namespace beast = boost::beast;
namespace net = boost::asio;

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(net::ip::tcp::socket socket, HttpHandler& handler, HttpLimits limits, std::shared_ptr<InFlight> in_flight)
      : stream_(std::move(socket)),
        timer_(stream_.get_executor()),
        handler_(handler),
        limits_(limits),
        in_flight_(std::move(in_flight)) {
    beast::error_code ec;
    auto remote = stream_.socket().remote_endpoint(ec);
    client_ = ec ? "unknown" : remote.address().to_string();
  }

  void start() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read(); });
  }

 private:
  void read() {
    parser_.emplace();
    parser_->body_limit(limits_.max_body_bytes);
    parser_->header_limit(static_cast<std::uint32_t>(limits_.max_header_bytes));
    // Our own timer rather than the stream's, which would close the socket
    // before a 408 could be sent.
    timed_out_ = false;
    stream_.expires_never();
    timer_.expires_after(limits_.read_timeout);
    timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (ec) return;
      self->timed_out_ = true;
      beast::error_code ignored;
      self->stream_.socket().cancel(ignored);
    });
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
  }

  void on_read(beast::error_code ec) {
    timer_.cancel();
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
    keep_alive_ = request.keep_alive();
    head_ = request.method() == http::verb::head;
    auto self = shared_from_this();
    handler_.handle(std::move(request), client_, [self](Response response) {
      net::dispatch(self->stream_.get_executor(),
                    [self, response = std::move(response)]() mutable { self->write(std::move(response)); });
    });
  }

  void write(Response response) {
    stream_.expires_after(std::chrono::seconds(30));  // a client that stops reading
    response.keep_alive(keep_alive_ && response.keep_alive());
    response.prepare_payload();
    if (head_) {  // the headers of a GET, without its body
      auto length = response.body().size();
      response.body().clear();
      response.content_length(length);
    }
    auto shared = std::make_shared<Response>(std::move(response));
    http::async_write(stream_, *shared, [self = shared_from_this(), shared](beast::error_code ec, std::size_t) {
      self->in_flight_->remove();
      if (ec || !shared->keep_alive()) return self->close();
      self->read();
    });
  }

  void write_final(Response response) {
    response.keep_alive(false);
    keep_alive_ = false;
    stream_.expires_after(std::chrono::seconds(5));
    write(std::move(response));
  }

  void close() {
    beast::error_code ec;
    stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ec);
    stream_.close();
  }

  beast::tcp_stream stream_;
  net::steady_timer timer_;
  bool timed_out_ = false;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  HttpHandler& handler_;
  HttpLimits limits_;
  std::string client_;
  bool keep_alive_ = true;
  bool head_ = false;
  std::shared_ptr<InFlight> in_flight_;
};

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
    : io_(io), handler_(handler), limits_(limits), acceptor_(net::make_strand(io)) {}

boost::system::error_code HttpServer::listen(const net::ip::tcp::endpoint& endpoint) {
  boost::system::error_code ec;
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
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
  acceptor_.async_accept(net::make_strand(io_), [this](beast::error_code ec, net::ip::tcp::socket socket) {
    if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;
    if (!ec) std::make_shared<Session>(std::move(socket), handler_, limits_, in_flight_)->start();
    accept();
  });
}

}  // namespace objector::intake
