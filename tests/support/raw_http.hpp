// Test helpers: HTTP by hand on raw sockets, for what a well-behaved client
// never sends (half-open requests, odd targets, many connections from one
// address).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <string>

namespace objector::test {

// A connection to 127.0.0.1:`port` from `from` (any 127/8 address is a
// separate client on loopback).
boost::asio::ip::tcp::socket connect_from(boost::asio::io_context& io, unsigned short port,
                                          const std::string& from = "127.0.0.1");

// Everything the server sends on `socket` until it closes it, or until
// `quiet_ms` passes without more bytes.
std::string read_until_closed(boost::asio::ip::tcp::socket& socket, int quiet_ms = 5000);

// What arrives until the server closes the connection; if it does not close
// it within `quiet_ms` of silence, that text followed by "<still open>".
std::string read_until_eof(boost::asio::ip::tcp::socket& socket, int quiet_ms);

// Sends `request` on a fresh connection from `from`; the answer (read_until_closed).
std::string exchange(unsigned short port, const std::string& request, int quiet_ms = 5000,
                     const std::string& from = "127.0.0.1");

}  // namespace objector::test
