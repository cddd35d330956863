// A blocking HTTP/1.1 client with keep-alive: objector-verify mirror, the
// load generator and the tests. Thread safety: one client per thread.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <map>
#include <string>

namespace objector::native {

struct HttpResult {
  int status = 0;                              // 0 when the connection failed
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
};

class HttpClient {
 public:
  explicit HttpClient(unsigned short port) : host_("127.0.0.1"), port_(std::to_string(port)), stream_(io_) {}
  HttpClient(std::string host, std::string port) : host_(std::move(host)), port_(std::move(port)), stream_(io_) {}
  HttpResult request(const std::string& method, const std::string& target, const std::string& body = {},
                     const std::map<std::string, std::string>& headers = {});
  HttpResult get(const std::string& target) { return request("GET", target); }
  HttpResult post_json(const std::string& target, const std::string& body, const std::string& token);

 private:
  std::string host_, port_;
  boost::asio::io_context io_;
  boost::beast::tcp_stream stream_;
  bool connected_ = false;
};

}  // namespace objector::native
