#include "tests/support/hostile_server.hpp"

#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <istream>

namespace objector::test {

namespace net = boost::asio;

HostileServer::HostileServer(Answer answer) : acceptor_(io_, {net::ip::make_address("127.0.0.1"), 0}) {
  port_ = acceptor_.local_endpoint().port();
  thread_ = std::thread([this, answer = std::move(answer)] {
    while (true) {
      net::ip::tcp::socket socket(io_);
      boost::system::error_code ec;
      acceptor_.accept(socket, ec);
      if (ec || stopping_) return;
      net::streambuf request;
      net::read_until(socket, request, "\r\n\r\n", ec);
      if (ec) continue;
      std::istream in(&request);
      std::string method, path;
      in >> method >> path;
      try {
        answer(socket, path);
      } catch (const std::exception&) {
        // The client went away mid-answer: that is what these tests provoke.
      }
      socket.close(ec);
    }
  });
}

HostileServer::~HostileServer() {
  stopping_ = true;
  boost::system::error_code ec;
  net::ip::tcp::socket wake(io_);
  wake.connect({net::ip::make_address("127.0.0.1"), port_}, ec);  // unblocks accept()
  thread_.join();
}

void HostileServer::send(net::ip::tcp::socket& s, const std::string& body, int status) {
  std::string head = "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Length: " + std::to_string(body.size()) +
                     "\r\nConnection: close\r\n\r\n";
  net::write(s, net::buffer(head + body));
}

}  // namespace objector::test
