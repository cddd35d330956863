#include "tests/support/http_client.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cctype>

namespace objector::test {

namespace http = boost::beast::http;
namespace net = boost::asio;

HttpResult HttpClient::request(const std::string& method, const std::string& target, const std::string& body,
                               const std::map<std::string, std::string>& headers) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    boost::beast::error_code ec;
    if (!connected_) {
      stream_.connect(net::ip::tcp::endpoint(net::ip::make_address("127.0.0.1"), port_), ec);
      if (ec) return {};
      connected_ = true;
    }
    http::request<http::string_body> req{http::string_to_verb(method), target, 11};
    req.set(http::field::host, "127.0.0.1");
    for (const auto& [k, v] : headers) req.set(k, v);
    req.body() = body;
    if (!body.empty() || method == "POST") req.prepare_payload();
    http::write(stream_, req, ec);
    boost::beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 << 20);
    if (!ec) http::read(stream_, buffer, parser, ec);
    if (ec) {
      stream_.close();
      connected_ = false;
      continue;
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

}  // namespace objector::test
