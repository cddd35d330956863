#include "native/common/http_client.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cctype>

namespace objector::native {

namespace http = boost::beast::http;
namespace net = boost::asio;

HttpResult HttpClient::request(const std::string& method, const std::string& target, const std::string& body,
                               const std::map<std::string, std::string>& headers) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    boost::beast::error_code ec;
    if (!connected_) {
      net::ip::tcp::resolver resolver(io_);
      auto endpoints = resolver.resolve(host_, port_, ec);
      if (!ec) stream_.connect(endpoints, ec);
      if (ec) return {0, {}, "cannot connect to " + host_ + ":" + port_ + ": " + ec.message()};
      connected_ = true;
    }
    http::request<http::string_body> req{http::string_to_verb(method), target, 11};
    req.set(http::field::host, host_);
    for (const auto& [k, v] : headers) req.set(k, v);
    req.body() = body;
    if (!body.empty() || method == "POST") req.prepare_payload();
    http::write(stream_, req, ec);
    boost::beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 << 20);
    parser.skip(method == "HEAD");  // a HEAD response announces a body it does not send
    if (!ec) http::read(stream_, buffer, parser, ec);
    if (ec) {
      stream_.close();
      connected_ = false;
      if (attempt == 1) return {0, {}, "HTTP request to " + host_ + " failed: " + ec.message()};
      continue;  // a kept-alive connection the server had closed: reconnect once
    }
    auto res = parser.release();
    HttpResult out{static_cast<int>(res.result_int()), {}, res.body()};
    for (const auto& f : res) {
      std::string name(f.name_string());
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      out.headers[name] = std::string(f.value());
    }
    if (!res.keep_alive()) {
      stream_.close();
      connected_ = false;
    }
    return out;
  }
  return {};
}

HttpResult HttpClient::post_json(const std::string& target, const std::string& body, const std::string& token) {
  std::map<std::string, std::string> headers{{"Content-Type", "application/json"}};
  if (!token.empty()) headers["Authorization"] = "Bearer " + token;
  return request("POST", target, body, headers);
}

}  // namespace objector::native
