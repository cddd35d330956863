// An initialised intake data folder for tests, with helpers to mint tokens
// and make real signed objections addressed to it.
#pragma once

#include <functional>

#include "core/json/jcs.hpp"
#include "core/objection/objection.hpp"
#include "core/tlog/policy.hpp"
#include "native/common/clock.hpp"
#include "native/common/http_client.hpp"
#include "native/intake/account_token.hpp"
#include "native/intake/config.hpp"
#include "native/intake/log/store.hpp"
#include "tests/support/process.hpp"

namespace objector::test {

// The store a test's intake uses. `configured`: what the run asks for —
// SQLite, or PostgreSQL when OBJECTOR_TEST_PG names the URI file of the
// throwaway cluster (tests/support/pg_cluster.sh; ctest runs the intake
// suites once each way).
enum class Backend { configured, sqlite, postgresql };
bool postgres_configured();
// A new empty database on the test cluster (or on the cluster whose "postgres"
// database `admin_uri` names): its URI.
std::string fresh_database();
std::string fresh_database(const std::string& admin_uri);

// A PostgreSQL cluster of one test's own (tests/support/pg_cluster.sh), for
// what would disturb the shared one: restarting it.
class PrivateCluster {
 public:
  PrivateCluster();
  ~PrivateCluster();
  PrivateCluster(const PrivateCluster&) = delete;
  PrivateCluster& operator=(const PrivateCluster&) = delete;
  const std::string& admin_uri() const { return uri_; }
  // pg_ctl stop -m immediate, `down` of waiting, started again on the same data.
  void crash_and_restart(std::chrono::seconds down) const;

 private:
  TempDir state_;
  std::string uri_;
};

class IntakeData {
 public:
  // Runs `objector-intake init` (with a fresh database as --store on
  // PostgreSQL), then lets `tweak` edit config.json.
  explicit IntakeData(const std::function<void(json&)>& tweak = {}, Backend backend = Backend::configured);
  // On the PostgreSQL database `store` names.
  IntakeData(const std::function<void(json&)>& tweak, const std::string& store);

  const std::filesystem::path& dir() const { return tmp_.path(); }
  // Edits config.json (for settings that need the log's key, like witnesses).
  void edit_config(const std::function<void(json&)>& tweak) const;
  const std::string& vkey() const { return vkey_; }
  const std::string& store() const { return store_; }  // config.json's "store"
  std::unique_ptr<intake::Store> open_store() const;
  Policy policy() const;
  std::string token(const std::string& account, std::int64_t ttl = 3600) const;
  Objection objection(const std::string& account, const std::string& jurisdiction = "GB") const;
  static std::string body(const Objection& o, const json& extra = json::object());

 private:
  TempDir tmp_;
  std::string store_ = "sqlite";
  std::string vkey_;
  SecretBytes secret_;
};

using native::unix_now;

// A config tweak for tests: 20 ms batches and no rate limit.
void fast_batches(json& config);
// A data folder with fast batches, its intake running, and a client of it:
// how most API tests start (`auto& [data, server, client] = intake;`).
struct RunningIntake {
  explicit RunningIntake(const std::function<void(json&)>& tweak = fast_batches)
      : data(tweak), server(data.dir()), client(server.port()) {}
  IntakeData data;
  IntakeServer server;
  native::HttpClient client;
};

// The tree size of the intake's latest checkpoint, over HTTP.
std::uint64_t tree_size(native::HttpClient& client);

}  // namespace objector::test
