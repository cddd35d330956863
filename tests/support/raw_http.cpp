#include "tests/support/raw_http.hpp"

#include <sys/socket.h>

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

std::string read_until_closed(ip::tcp::socket& socket, int quiet_ms) {
  timeval tv{quiet_ms / 1000, (quiet_ms % 1000) * 1000};
  ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  std::string response;
  std::array<char, 4096> buf{};
  boost::system::error_code ec;
  while (!ec) {
    auto n = socket.read_some(boost::asio::buffer(buf), ec);
    response.append(buf.data(), n);
  }
  return response;
}

std::string exchange(unsigned short port, const std::string& request, int quiet_ms, const std::string& from) {
  boost::asio::io_context io;
  auto socket = connect_from(io, port, from);
  boost::asio::write(socket, boost::asio::buffer(request));
  return read_until_closed(socket, quiet_ms);
}

}  // namespace objector::test
