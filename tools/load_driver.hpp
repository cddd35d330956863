// The load generator's connections, driven as wrk drives them: every
// connection's request and answer are asynchronous operations on a few
// threads (epoll), not one blocking thread per connection. With a thread per
// connection on loopback each answer woke its own loader thread, and the
// kernel charged that wake-up to the server's send: at 1,000 connections a
// small GET cost the intake 23.8 us of CPU that way, 17.4 us driven this way.
// Thread safety: drive() returns when every request is answered or failed.
// It calls `request` from its threads, several at once (each number once),
// and `answered` one call at a time.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "native/common/url.hpp"

namespace objector::tools {

struct LoadRequest {
  std::string method = "GET";
  std::string target;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

struct LoadAnswer {
  int status = 0;     // 0: the connection failed (`error` says how)
  std::string body;   // the answer's body
  std::string error;  // with status 0
  double ms = 0;      // from sending the request to the answer's last byte
};

struct LoadPlan {
  std::uint64_t count = 0;        // requests in all
  std::uint64_t connections = 1;  // kept alive; connection k talks to targets[k % targets.size()]
  double rate = 0;                // requests/s from the start (request i not before i / rate s); 0: at once
};

// Sends plan.count requests; request(i) makes the i-th (numbered in the order
// they are taken; nullopt: none is sent for i), answered(i, answer) takes its answer.
using MakeRequest = std::function<std::optional<LoadRequest>(std::uint64_t)>;
void drive(const std::vector<native::HttpUrl>& targets, const LoadPlan& plan, const MakeRequest& request,
           const std::function<void(std::uint64_t, LoadAnswer)>& answered);

}  // namespace objector::tools
