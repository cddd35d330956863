#include "native/common/http_client.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cctype>

namespace objector::native {

namespace http = boost::beast::http;
namespace net = boost::asio;

namespace {

// Runs the io_context until the operation started by `start` completes.
template <class Start>
boost::beast::error_code run(net::io_context& io, Start&& start) {
  boost::beast::error_code result = net::error::would_block;
  start([&](boost::beast::error_code ec, auto&&...) { result = ec; });
  io.restart();
  io.run();
  return result;
}

std::string describe(const boost::beast::error_code& ec) {
  if (ec == boost::beast::error::timeout) return "timed out";
  if (ec == http::error::body_limit) return "the answer is larger than allowed";
  return ec.message();
}

}  // namespace

boost::beast::error_code HttpClient::connect() {
  net::ip::tcp::resolver resolver(io_);
  boost::beast::error_code ec;
  auto endpoints = resolver.resolve(host_, port_, ec);
  if (ec) return ec;
  stream_.expires_after(deadlines_.connect);
  return run(io_, [&](auto done) { stream_.async_connect(endpoints, done); });
}

HttpResult HttpClient::request(const std::string& method, const std::string& target, const std::string& body,
                               const std::map<std::string, std::string>& headers, std::size_t max_body) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (!connected_) {
      if (auto ec = connect()) {
        stream_.close();
        return {0, {}, "cannot connect to " + host_ + ":" + port_ + ": " + describe(ec)};
      }
      connected_ = true;
    }
    http::request<http::string_body> req{http::string_to_verb(method), target, 11};
    req.set(http::field::host, host_);
    for (const auto& [k, v] : headers) req.set(k, v);
    req.body() = body;
    if (!body.empty() || method == "POST") req.prepare_payload();
    boost::beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(max_body);
    parser.skip(method == "HEAD");  // a HEAD response announces a body it does not send
    stream_.expires_after(deadlines_.response);
    auto ec = run(io_, [&](auto done) { http::async_write(stream_, req, done); });
    if (!ec) ec = run(io_, [&](auto done) { http::async_read_header(stream_, buffer, parser, done); });
    // An announced length over the limit is refused before any of the body is read.
    if (!ec && parser.content_length() && *parser.content_length() > max_body) ec = http::error::body_limit;
    if (!ec && !parser.is_done()) ec = run(io_, [&](auto done) { http::async_read(stream_, buffer, parser, done); });
    if (ec) {
      stream_.close();
      connected_ = false;
      // A kept-alive connection the server had closed: reconnect once. A
      // deadline or a limit is final.
      bool stale = !parser.got_some() && ec != boost::beast::error::timeout;
      if (attempt == 1 || !stale) return {0, {}, "HTTP request to " + host_ + " failed: " + describe(ec)};
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

}  // namespace objector::native
