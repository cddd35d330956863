// A deliberately misbehaving HTTP server for the verifier's tests: it reads a
// request line and lets the test answer on the raw socket however it likes
// (trickling, lying about sizes, serving a forked log).
#pragma once

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <functional>
#include <string>
#include <thread>

namespace objector::test {

class HostileServer {
 public:
  // answer(socket, path) writes whatever it wants; the connection closes after.
  using Answer = std::function<void(boost::asio::ip::tcp::socket&, const std::string& path)>;
  explicit HostileServer(Answer answer);
  ~HostileServer();
  HostileServer(const HostileServer&) = delete;

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  // An HTTP/1.1 200 with `body` and Connection: close.
  static void send(boost::asio::ip::tcp::socket& s, const std::string& body, int status = 200);

 private:
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  unsigned short port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace objector::test
