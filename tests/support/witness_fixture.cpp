#include "tests/support/witness_fixture.hpp"

#include <boost/test/unit_test.hpp>
#include <csignal>

#include "native/common/files.hpp"
#include "native/witness/witness_service.hpp"

namespace objector::test {

LogWitness::LogWitness(const std::string& name, const IntakeData& log) {
  auto init = run({witness_bin(), "init", "--name", name, "--dir", dir.path().string()});
  vkey = init.out.substr(0, init.out.size() - 1);
  auto add = run({witness_bin(), "add-log", "--dir", dir.path().string(), "--origin", "social.example/ai-training",
                  "--key", (log.dir() / "log.vkey").string()});
  BOOST_TEST_REQUIRE(add.exit_code == 0, add.err);
  start();
}

void LogWitness::start() {
  server = std::make_unique<WitnessServer>(dir.path(), port);
  port = server->port();
}

void LogWitness::stop() {
  server->kill(SIGKILL);
  server->wait();
  server.reset();
}

std::uint64_t LogWitness::cosigned_size() const {
  native::HttpClient c(port);
  auto body = c.get("/" + witness::origin_hash("social.example/ai-training") + "/checkpoint").body;
  auto nl = body.find('\n');
  return std::stoull(body.substr(nl + 1, body.find('\n', nl + 1) - nl - 1));
}

std::string use_witnesses(const IntakeData& data, const LogWitness& w1, const LogWitness& w2, const std::string& quorum,
                          int timeout_ms, int refresh_s) {
  auto policy = "log " + data.vkey() + "\nwitness w1 " + w1.vkey + "\nwitness w2 " + w2.vkey + "\ngroup both " +
                quorum + " w1 w2\nquorum both\n";
  data.edit_config([&](json& c) {
    c["witnesses"] = json::array(
        {{{"name", "w1"}, {"url", w1.url()}, {"key", w1.vkey}}, {{"name", "w2"}, {"url", w2.url()}, {"key", w2.vkey}}});
    c["policy"] = "policy.txt";
    c["witness"] = {{"timeout_ms", timeout_ms}, {"refresh_s", refresh_s}};
  });
  BOOST_TEST_REQUIRE(native::write_file(data.dir() / "policy.txt", policy).ok());
  return policy;
}

std::string stored_note(const IntakeData& data, std::uint64_t size) {
  for (const auto& c : data.open_store()->checkpoints().value()) {
    if (c.size == size) return c.note;
  }
  return {};
}

}  // namespace objector::test
