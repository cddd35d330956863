#include <boost/test/unit_test.hpp>
#include <csignal>
#include <map>
#include <mutex>
#include <random>
#include <thread>

#include "core/tlog/signed_checkpoint.hpp"
#include "native/common/http_client.hpp"
#include "native/intake/log/store.hpp"
#include "tests/support/intake_fixture.hpp"
#include "tests/support/log_checks.hpp"

using namespace objector;
using namespace objector::test;
using objector::native::HttpClient;

BOOST_AUTO_TEST_SUITE(intake_crash)

// Concurrent submissions, kill -9 at random moments, restart: every
// acknowledged entry is at its index and every checkpoint is consistent with
// the next.
BOOST_AUTO_TEST_CASE(kill_9_loses_nothing_acknowledged) {
  IntakeData data([](json& c) {
    c["batch"]["interval_ms"] = 30;
    c["batch"]["max_entries"] = 16;
    c["limits"]["rate_per_second"] = 0;
  });
  std::mt19937 rng(12345);
  std::map<Hash, std::uint64_t> acknowledged;
  std::mutex mutex;
  int account = 0;
  for (int round = 0; round < 5; ++round) {
    IntakeServer server(data.dir());
    std::atomic<bool> stop{false};
    std::vector<std::thread> submitters;
    submitters.reserve(6);
    for (int t = 0; t < 6; ++t) {
      submitters.emplace_back([&, t] {
        HttpClient client(server.port());
        for (int i = 0; !stop; ++i) {
          std::string name;
          {
            std::lock_guard lock(mutex);
            name = "user:" + std::to_string(account++);
          }
          auto o = data.objection(name);
          auto r = client.post_json("/v1/objections", IntakeData::body(o), data.token(name));
          if (r.status == 0) return;  // the server is gone
          if (r.status != 201) continue;
          auto index = parse_json(r.body).value()["index"].get<std::uint64_t>();
          std::lock_guard lock(mutex);
          acknowledged[entry_leaf_hash(o.entry)] = index;
        }
        (void)t;
      });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(150 + rng() % 450));
    server.kill(SIGKILL);
    BOOST_TEST(server.wait() == 128 + SIGKILL);
    stop = true;
    for (auto& s : submitters) s.join();
  }
  BOOST_TEST_MESSAGE("acknowledged " << acknowledged.size() << " objections over 5 kills");
  BOOST_TEST_REQUIRE(acknowledged.size() > 20u);

  auto store = data.open_store();
  auto sizes = check_log_whole(*store, data.policy(), acknowledged);
  BOOST_TEST_REQUIRE(sizes.size() > 5u);
  // And the restarted server carries on from the last checkpoint.
  IntakeServer server(data.dir());
  HttpClient client(server.port());
  auto o = data.objection("user:after");
  auto r = client.post_json("/v1/objections", IntakeData::body(o), data.token("user:after"));
  BOOST_TEST(r.status == 201);
  BOOST_TEST(parse_json(r.body).value()["index"].get<std::uint64_t>() == sizes.back());
}

BOOST_AUTO_TEST_SUITE_END()
