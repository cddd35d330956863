#include "tests/support/raw_http.hpp"

#include <poll.h>

#include <array>
#include <boost/asio/write.hpp>

namespace objector::test {

namespace ip = boost::asio::ip;

ip::tcp::socket connect_from(boost::asio::io_context& io, unsigned short port, const std::string& from) {
  ip::tcp::socket socket(io);
  socket.open(ip::tcp::v4());
  socket.bind({ip::make_address(from), 0});
  socket.connect({ip::make_address("127.0.0.1"), port});
  return socket;
}

namespace {

// Reads until the connection ends or is silent for `quiet_ms`; `ec` says
// which. poll, not SO_RCVTIMEO: Asio's blocking read polls again, forever,
// when a timed-out recv says "would block".
std::string read_all(ip::tcp::socket& socket, int quiet_ms, boost::system::error_code& ec) {
  std::string response;
  std::array<char, 4096> buf{};
  while (!ec) {
    pollfd ready{socket.native_handle(), POLLIN, 0};
    if (::poll(&ready, 1, quiet_ms) != 1) {
      ec = boost::asio::error::timed_out;
      break;
    }
    auto n = socket.read_some(boost::asio::buffer(buf), ec);
    response.append(buf.data(), n);
  }
  return response;
}

}  // namespace

std::string read_until_closed(ip::tcp::socket& socket, int quiet_ms) {
  boost::system::error_code ec;
  return read_all(socket, quiet_ms, ec);
}

std::string read_until_eof(ip::tcp::socket& socket, int quiet_ms) {
  boost::system::error_code ec;
  auto response = read_all(socket, quiet_ms, ec);
  bool closed = ec == boost::asio::error::eof || ec == boost::asio::error::connection_reset;
  return closed ? response : response + "<still open>";
}

std::string exchange(unsigned short port, const std::string& request, int quiet_ms, const std::string& from) {
  boost::asio::io_context io;
  auto socket = connect_from(io, port, from);
  boost::asio::write(socket, boost::asio::buffer(request));
  return read_until_closed(socket, quiet_ms);
}

}  // namespace objector::test
