// What the intake keeps and for how long: reasons are deleted after
// retention.reason_days (with an injected clock, and by serve's own job), the
// e-mail contacts of earlier releases are deleted by the schema migration, and
// a store from a newer release is refused.
#include <sqlite3.h>

#include <boost/test/unit_test.hpp>
#include <thread>

#include "native/common/files.hpp"
#include "native/common/http_client.hpp"
#include "native/intake/log/store_sqlite.hpp"
#include "native/intake/retention.hpp"
#include "tests/support/intake_fixture.hpp"

using namespace objector;
using namespace objector::test;
using objector::native::HttpClient;

namespace {

constexpr std::int64_t kDay = 86400;

// Submits one objection per account, each with a reason, and waits for all.
void submit_with_reasons(const IntakeData& data, const std::vector<std::string>& accounts) {
  IntakeServer server(data.dir());
  HttpClient client(server.port());
  for (const auto& a : accounts) {
    auto r = client.post_json("/v1/objections", IntakeData::body(data.objection(a), {{"reason", "about " + a}}),
                              data.token(a));
    BOOST_TEST_REQUIRE(r.status == 201, r.body);
  }
}

std::vector<std::string> reasons(const std::filesystem::path& dir) {
  auto store = intake::SqliteStore::open(dir / "log.sqlite", false).value();
  std::vector<std::string> out;
  for (const auto& o : store->openings(0, 100).value()) out.push_back(o.reason);
  return out;
}

// Runs SQL on a store file directly (an old release's store, a newer one's).
void sql(const std::filesystem::path& file, const char* text) {
  sqlite3* db = nullptr;
  BOOST_TEST_REQUIRE(sqlite3_open(file.c_str(), &db) == SQLITE_OK);
  char* msg = nullptr;
  int rc = sqlite3_exec(db, text, nullptr, nullptr, &msg);
  std::string error = msg ? msg : "";
  sqlite3_free(msg);
  sqlite3_close(db);
  BOOST_TEST_REQUIRE(rc == SQLITE_OK, error);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(intake_retention)

BOOST_AUTO_TEST_CASE(reasons_are_deleted_after_the_retention_period) {
  IntakeData data(fast_batches);
  auto before = unix_now();
  submit_with_reasons(data, {"user:1", "user:2"});
  auto after = unix_now();
  auto store = intake::SqliteStore::open(data.dir() / "log.sqlite", false).value();
  auto openings = store->openings(0, 10).value();
  BOOST_TEST_REQUIRE(openings.size() == 2u);
  for (const auto& o : openings) {
    BOOST_TEST(o.received >= before);
    BOOST_TEST(o.received <= after);
  }
  // 89 days later nothing is due; 91 days later both are.
  BOOST_TEST(intake::delete_expired_reasons(*store, 90, after + 89 * kDay).value() == 0u);
  BOOST_TEST(reasons(data.dir()) == (std::vector<std::string>{"about user:1", "about user:2"}));
  BOOST_TEST(intake::delete_expired_reasons(*store, 90, after + 91 * kDay).value() == 2u);
  BOOST_TEST(reasons(data.dir()) == (std::vector<std::string>{"", ""}));
  sql(data.dir() / "log.sqlite", "PRAGMA wal_checkpoint(TRUNCATE)");
  BOOST_TEST(native::read_file(data.dir() / "log.sqlite", 64 << 20).value().find("about user:") == std::string::npos);
  // The rest of the opening stays: the account still matches its commitment.
  auto kept = store->openings(0, 10).value();
  BOOST_TEST(kept[0].account == "user:1");
  BOOST_TEST(kept[1].account == "user:2");
  BOOST_TEST(intake::delete_expired_reasons(*store, 90, after + 91 * kDay).value() == 0u);
}

BOOST_AUTO_TEST_CASE(serve_runs_the_deletion_job) {
  IntakeData data([](json& c) {
    fast_batches(c);
    c["retention"]["reason_days"] = 0;
  });
  submit_with_reasons(data, {"user:3"});
  BOOST_TEST(reasons(data.dir()) == (std::vector<std::string>{"about user:3"}));
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // received < now, at second resolution
  {
    IntakeServer server(data.dir());  // the job runs as serve starts
    auto logged = [&] { return server.log().find("event=reasons_deleted count=1 reason_days=0") != std::string::npos; };
    for (int i = 0; i < 250 && !logged(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    BOOST_TEST(logged(), server.log());
    // While the intake still serves, neither the file nor its WAL holds the text.
    for (const char* file : {"log.sqlite", "log.sqlite-wal"}) {
      auto bytes = native::read_file(data.dir() / file);
      BOOST_TEST((!bytes || bytes->find("about user:3") == std::string::npos), file);
    }
  }
  BOOST_TEST(reasons(data.dir()) == (std::vector<std::string>{""}));
}

BOOST_AUTO_TEST_CASE(migration_deletes_stored_contacts) {
  TempDir tmp;
  auto file = tmp.path() / "log.sqlite";
  // A store as the first release wrote it: no schema version, a contact column.
  sql(file, R"(
CREATE TABLE entries(idx INTEGER PRIMARY KEY, leaf BLOB NOT NULL UNIQUE, device_key BLOB NOT NULL UNIQUE,
  entry TEXT NOT NULL);
CREATE TABLE openings(idx INTEGER PRIMARY KEY REFERENCES entries(idx), account TEXT NOT NULL, r BLOB NOT NULL,
  contact TEXT, reason TEXT, received INTEGER NOT NULL);
CREATE TABLE nodes(level INTEGER NOT NULL, idx INTEGER NOT NULL, hash BLOB NOT NULL, PRIMARY KEY(level, idx))
  WITHOUT ROWID;
CREATE TABLE checkpoints(size INTEGER PRIMARY KEY, note TEXT NOT NULL);
INSERT INTO entries VALUES(0, x'01', x'02', '{}');
INSERT INTO openings VALUES(0, 'user:1', x'03', 'ana@example.org', 'mine', 1764131712);
)");
  auto store = intake::SqliteStore::open(file, false).value();
  BOOST_TEST(store->schema_version().value() == 6);
  auto o = store->openings(0, 1).value();
  BOOST_TEST_REQUIRE(o.size() == 1u);
  BOOST_TEST(o[0].reason == "mine");
  BOOST_TEST(o[0].received == 1764131712);
  // The column is gone, and with it every byte of the address in the table.
  sqlite3* db = nullptr;
  BOOST_TEST_REQUIRE(sqlite3_open(file.c_str(), &db) == SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  BOOST_TEST(sqlite3_prepare_v2(db, "SELECT contact FROM openings", -1, &s, nullptr) == SQLITE_ERROR);
  sqlite3_finalize(s);
  sqlite3_close(db);
  // Opening again is a no-op.
  BOOST_TEST(intake::SqliteStore::open(file, false).value()->schema_version().value() == 6);
  // Nothing of the address is left in the file (secure_delete), once the WAL
  // is checkpointed into it.
  sql(file, "PRAGMA wal_checkpoint(TRUNCATE)");
  auto bytes = native::read_file(file, 1 << 20).value();
  BOOST_TEST(bytes.find("ana@example.org") == std::string::npos);
  BOOST_TEST(bytes.find("mine") != std::string::npos);  // the reason is still there
}

BOOST_AUTO_TEST_CASE(a_newer_schema_is_refused) {
  TempDir tmp;
  auto file = tmp.path() / "log.sqlite";
  sql(file, "PRAGMA user_version = 99");
  auto store = intake::SqliteStore::open(file, false);
  BOOST_TEST_REQUIRE(!store.ok());
  BOOST_TEST(store.error().message == file.string() +
                                          ": schema version 99 is newer than this objector-intake knows (6; hint: "
                                          "run a newer release)");
}

BOOST_AUTO_TEST_SUITE_END()
