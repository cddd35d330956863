// A small HTTP/1.1 server on Boost.Beast: keep-alive, bounded headers and
// bodies, read timeouts, and handlers that may answer later from another
// thread (the sequencer). Thread safety: run() on several threads; reply
// callbacks may be called from any thread, once.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http.hpp>
#include <functional>
#include <memory>

namespace objector::intake {

namespace http = boost::beast::http;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;
using Reply = std::function<void(Response)>;

struct HttpLimits {
  std::size_t max_body_bytes = std::size_t{16} * 1024;
  std::size_t max_header_bytes = std::size_t{8} * 1024;
  std::chrono::milliseconds read_timeout{10000};
};

class HttpHandler {
 public:
  virtual ~HttpHandler() = default;
  virtual void handle(Request request, const std::string& client, Reply reply) = 0;
  // Answers for requests that never reached handle(): 408, 413, 400.
  virtual Response error(int status, std::string_view code, std::string_view message, unsigned version) = 0;
};

class HttpServer {
 public:
  HttpServer(boost::asio::io_context& io, HttpHandler& handler, HttpLimits limits);
  // Binds and listens; errors say which address failed.
  boost::system::error_code listen(const boost::asio::ip::tcp::endpoint& endpoint);
  boost::asio::ip::tcp::endpoint local_endpoint() const;
  void stop_accepting();

 private:
  void accept();
  boost::asio::io_context& io_;
  HttpHandler& handler_;
  HttpLimits limits_;
  boost::asio::ip::tcp::acceptor acceptor_;
};

}  // namespace objector::intake
