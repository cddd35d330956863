// A blocking HTTP/1.1 client with keep-alive: objector-verify mirror, the
// load generator and the tests. Connecting and each response have deadlines,
// and a response body is limited while it is read, so a hostile or broken
// server can neither hang nor exhaust the caller. Redirects are not followed.
// Thread safety: one client per thread.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <chrono>
#include <map>
#include <string>

namespace objector::native {

struct HttpResult {
  int status = 0;                              // 0 when the connection failed
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
};

struct HttpDeadlines {
  std::chrono::milliseconds connect{10000};
  std::chrono::milliseconds response{60000};  // from sending the request to the last byte of the answer
};

inline constexpr std::size_t kDefaultMaxBody = std::size_t{64} << 20;

class HttpClient {
 public:
  explicit HttpClient(unsigned short port) : host_("127.0.0.1"), port_(std::to_string(port)), stream_(io_) {}
  HttpClient(std::string host, std::string port, HttpDeadlines deadlines = {})
      : host_(std::move(host)), port_(std::move(port)), deadlines_(deadlines), stream_(io_) {}
  // status 0 and the reason in `body` when the server could not be reached,
  // took too long, or sent more than `max_body` bytes of body.
  HttpResult request(const std::string& method, const std::string& target, const std::string& body = {},
                     const std::map<std::string, std::string>& headers = {}, std::size_t max_body = kDefaultMaxBody);
  HttpResult get(const std::string& target, std::size_t max_body = kDefaultMaxBody) {
    return request("GET", target, {}, {}, max_body);
  }
  HttpResult post_json(const std::string& target, const std::string& body, const std::string& token);

 private:
  boost::beast::error_code connect();
  std::string host_, port_;
  HttpDeadlines deadlines_;
  boost::asio::io_context io_;
  boost::beast::tcp_stream stream_;
  bool connected_ = false;
};

}  // namespace objector::native
