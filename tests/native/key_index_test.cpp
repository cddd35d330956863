// The embedded store's key index in memory: what it answers, what it
// refuses, and the SQLite store on it (rows another writer logged, and a
// version-5 file migrated to the schema without the SQL indexes).
#include "native/intake/log/key_index.hpp"

#include <sqlite3.h>

#include <boost/test/unit_test.hpp>
#include <stop_token>
#include <thread>

#include "core/crypto/sha256.hpp"
#include "native/intake/log/store_sqlite.hpp"
#include "tests/support/process.hpp"

using namespace objector;
using namespace objector::intake;
using namespace objector::test;

namespace {

Hash leaf(std::uint64_t i) { return sha256(as_bytes("leaf " + std::to_string(i))); }
Hash device(std::uint64_t i) { return sha256(as_bytes("device " + std::to_string(i))); }
std::string account(std::uint64_t i) { return "user:" + std::to_string(i % 7); }  // seven accounts share them

// Entries [from, to) of a log, as the store reads them back.
struct Rows {
  std::vector<Hash> leaves, devices;
  std::vector<std::string> accounts;
  std::vector<KeyIndex::Row> rows;
  Rows(std::uint64_t from, std::uint64_t to) {
    for (auto i = from; i < to; ++i) {
      leaves.push_back(leaf(i));
      devices.push_back(device(i));
      accounts.push_back(account(i));
    }
    for (auto i = from; i < to; ++i) {
      auto k = static_cast<std::size_t>(i - from);
      rows.push_back({i, leaves[k], devices[k], as_bytes(accounts[k])});
    }
  }
};

void sql(const std::filesystem::path& file, const char* text) {
  sqlite3* db = nullptr;
  BOOST_TEST_REQUIRE(sqlite3_open(file.c_str(), &db) == SQLITE_OK);
  char* error = nullptr;
  int rc = sqlite3_exec(db, text, nullptr, nullptr, &error);
  BOOST_TEST(rc == SQLITE_OK, (error ? error : ""));
  sqlite3_free(error);
  sqlite3_close(db);
}

// Logs entries [from, to) through a connection of its own, as another
// process would, in one transaction.
void log_rows(const std::filesystem::path& file, std::uint64_t from, std::uint64_t to, const char* account) {
  sqlite3* db = nullptr;
  BOOST_TEST_REQUIRE(sqlite3_open(file.c_str(), &db) == SQLITE_OK);
  sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(db, "INSERT INTO entries(idx, leaf, device_key, entry) VALUES(?, ?, ?, '{}')", -1, &s, nullptr);
  sqlite3_stmt* o = nullptr;
  sqlite3_prepare_v2(db, "INSERT INTO openings(idx, account, r, received) VALUES(?, ?, x'00', 0)", -1, &o, nullptr);
  for (auto i = from; i < to; ++i) {
    auto l = leaf(i), d = device(i);
    sqlite3_bind_int64(s, 1, static_cast<std::int64_t>(i));
    sqlite3_bind_blob(s, 2, l.data(), 32, SQLITE_TRANSIENT);
    sqlite3_bind_blob(s, 3, d.data(), 32, SQLITE_TRANSIENT);
    BOOST_TEST_REQUIRE(sqlite3_step(s) == SQLITE_DONE);
    sqlite3_reset(s);
    sqlite3_bind_int64(o, 1, static_cast<std::int64_t>(i));
    sqlite3_bind_text(o, 2, account, -1, SQLITE_STATIC);
    BOOST_TEST_REQUIRE(sqlite3_step(o) == SQLITE_DONE);
    sqlite3_reset(o);
  }
  sqlite3_finalize(s);
  sqlite3_finalize(o);
  BOOST_TEST(sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(db);
}

std::vector<std::string> indexes(const std::filesystem::path& file) {
  sqlite3* db = nullptr;
  BOOST_TEST_REQUIRE(sqlite3_open(file.c_str(), &db) == SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(db, "SELECT name FROM sqlite_schema WHERE type = 'index' ORDER BY name", -1, &s, nullptr);
  std::vector<std::string> out;
  while (sqlite3_step(s) == SQLITE_ROW) out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)));
  sqlite3_finalize(s);
  sqlite3_close(db);
  return out;
}

using Indices = std::vector<std::uint64_t>;

// The SQLite store's migrations, as the store has them.
constexpr const char* kSqliteMigrations[] = {
#include "native/intake/log/schema_sqlite.inc"
};

}  // namespace

BOOST_AUTO_TEST_SUITE(key_index)

BOOST_AUTO_TEST_CASE(answers_each_key_with_the_entries_that_may_hold_it) {
  KeyIndex index;
  Rows rows(0, 20);
  BOOST_TEST_REQUIRE(index.add(rows.rows).ok());
  BOOST_TEST(index.covered() == 20u);
  BOOST_TEST((index.candidates(KeyIndex::Key::leaf, leaf(13)) == Indices{13}));
  BOOST_TEST((index.candidates(KeyIndex::Key::device_key, device(4)) == Indices{4}));
  BOOST_TEST((index.candidates(KeyIndex::Key::account, as_bytes(std::string("user:3"))) == Indices{3, 10, 17}));
  // A key of one kind is not one of another: each has its table.
  BOOST_TEST(index.candidates(KeyIndex::Key::device_key, leaf(13)).empty());
  BOOST_TEST(index.candidates(KeyIndex::Key::leaf, leaf(20)).empty());
  BOOST_TEST(index.candidates(KeyIndex::Key::account, as_bytes(std::string("user:9"))).empty());
}

BOOST_AUTO_TEST_CASE(grows_past_its_first_tables_and_keeps_every_key) {
  KeyIndex index;
  auto empty = index.bytes();
  Rows rows(0, 5000);
  for (std::size_t at = 0; at < rows.rows.size(); at += 1000) {
    BOOST_TEST_REQUIRE(index.add(std::span(rows.rows).subspan(at, 1000)).ok());
  }
  BOOST_TEST(index.covered() == 5000u);
  BOOST_TEST(index.bytes() > empty);
  // 8-byte slots for 5,000 leaves and 5,000 device keys, at most three quarters full and at least three eighths;
  // the account table's first 1,024 slots, for seven accounts; and in each table a 4-byte link per entry, with
  // the vector's room to grow.
  BOOST_TEST(index.bytes() <= 2u * 8u * 5000u * 8u / 3u + 8u * 1024u + 3u * 4u * 2u * 5000u);
  BOOST_TEST(index.bytes() >= 2u * 8u * 5000u * 4u / 3u + 8u * 1024u + 3u * 4u * 5000u);
  for (std::uint64_t i = 0; i < 5000; ++i) {
    auto found = index.candidates(KeyIndex::Key::leaf, leaf(i));
    BOOST_TEST_REQUIRE(std::count(found.begin(), found.end(), i) == 1);
    found = index.candidates(KeyIndex::Key::device_key, device(i));
    BOOST_TEST_REQUIRE(std::count(found.begin(), found.end(), i) == 1);
  }
  BOOST_TEST(index.candidates(KeyIndex::Key::account, as_bytes(std::string("user:0"))).size() == 715u);
}

BOOST_AUTO_TEST_CASE(an_account_with_many_entries_takes_one_slot) {
  KeyIndex index;
  Rows rows(0, 20000);
  for (auto& r : rows.rows) r.account = as_bytes(std::string_view("user:many"));
  BOOST_TEST_REQUIRE(index.add(rows.rows).ok());
  // Against 20,000 accounts of an entry each, it saves at least a slot per entry.
  KeyIndex distinct;
  Rows one_each(0, 20000);
  for (auto& r : one_each.rows) r.account = r.leaf;
  BOOST_TEST_REQUIRE(distinct.add(one_each.rows).ok());
  BOOST_TEST(index.bytes() + 8u * 20000u <= distinct.bytes());
  auto all = index.candidates(KeyIndex::Key::account, as_bytes(std::string_view("user:many")));
  BOOST_TEST_REQUIRE(all.size() == 20000u);
  for (std::uint64_t i = 0; i < 20000; ++i) BOOST_TEST_REQUIRE(all[i] == i);
  BOOST_TEST((index.candidates(KeyIndex::Key::leaf, leaf(12345)) == Indices{12345}));
}

BOOST_AUTO_TEST_CASE(skips_rows_it_covers_and_refuses_a_gap_whole) {
  KeyIndex index;
  Rows first(0, 10), again(5, 15), gap(16, 18);
  BOOST_TEST_REQUIRE(index.add(first.rows).ok());
  BOOST_TEST_REQUIRE(index.add(again.rows).ok());  // two connections caught up on the same rows
  BOOST_TEST(index.covered() == 15u);
  BOOST_TEST((index.candidates(KeyIndex::Key::leaf, leaf(7)) == Indices{7}));
  auto refused = index.add(gap.rows);
  BOOST_TEST_REQUIRE(!refused.ok());
  BOOST_TEST(refused.error().code == "storage_error");
  BOOST_TEST(refused.error().message ==
             "key index: entry 16 comes where entry 15 should (hint: the store's entries have a gap)");
  BOOST_TEST(index.covered() == 15u);
  BOOST_TEST(index.candidates(KeyIndex::Key::leaf, leaf(16)).empty());
}

BOOST_AUTO_TEST_CASE(refuses_an_index_past_its_slots) {
  KeyIndex index;
  Hash h{};
  std::vector<KeyIndex::Row> rows{{KeyIndex::kMaxEntries, h, h, {}}};
  auto refused = index.add(rows);
  BOOST_TEST_REQUIRE(!refused.ok());
  BOOST_TEST(refused.error().message ==
             "key index: an intake indexes 4294967295 entries at most (hint: this log is full; start a new one)");
  BOOST_TEST(index.covered() == 0u);
}

BOOST_AUTO_TEST_CASE(one_index_per_log_file_while_it_is_open) {
  TempDir tmp;
  auto a = KeyIndex::of(tmp.path() / "log.sqlite");
  auto b = KeyIndex::of(tmp.path() / "." / "log.sqlite");
  auto other = KeyIndex::of(tmp.path() / "other.sqlite");
  BOOST_TEST(a.get() == b.get());
  BOOST_TEST(a.get() != other.get());
  BOOST_TEST_REQUIRE(a->add(Rows(0, 3).rows).ok());
  a.reset();
  BOOST_TEST(b->covered() == 3u);
  b.reset();
  // Once no connection holds it, the next one starts again from the file.
  BOOST_TEST(KeyIndex::of(tmp.path() / "log.sqlite")->covered() == 0u);
}

BOOST_AUTO_TEST_CASE(the_sqlite_store_finds_what_another_writer_logged) {
  TempDir tmp;
  auto file = tmp.path() / "log.sqlite";
  auto store = SqliteStore::open(file, true).value();
  BOOST_TEST(!store->find_leaf(leaf(0)).value().has_value());  // the index is now at the log's end
  log_rows(file, 0, 2, "user:5");  // another connection's (another process's, as far as the store can tell)
  BOOST_TEST(store->find_leaf(leaf(1)).value().value_or(99) == 1u);
  BOOST_TEST((store->indices_of("user:5").value() == Indices{0, 1}));
  BOOST_TEST(store->indices_of("user:6").value().empty());
  BOOST_TEST(!store->find_leaf(device(1)).value().has_value());  // a device key is not a leaf
}

BOOST_AUTO_TEST_CASE(a_corrupt_row_is_named_and_nothing_of_it_is_indexed) {
  TempDir tmp;
  auto file = tmp.path() / "log.sqlite";
  auto store = SqliteStore::open(file, true).value();
  log_rows(file, 0, 2, "user:1");
  sql(file, "INSERT INTO entries(idx, leaf, device_key, entry) VALUES(2, x'00', x'00', '{}')");
  auto found = store->find_leaf(leaf(0));
  BOOST_TEST_REQUIRE(!found.ok());
  BOOST_TEST(found.error().code == "storage_error");
  BOOST_TEST(found.error().message ==
             "corrupt entry row 2: its leaf or device key is not 32 bytes (hint: log.sqlite was changed outside "
             "objector-intake; restore it from a backup)");
  BOOST_TEST(KeyIndex::of(file)->covered() == 0u);  // the batch it came in is refused whole
  BOOST_TEST(store->warm_up(std::stop_token()).error().message == found.error().message);
  BOOST_TEST(store->entries(0, 3).error().message == found.error().message);
}

BOOST_AUTO_TEST_CASE(warm_up_reads_every_entry_in_turns_and_stops_when_asked) {
  TempDir tmp;
  auto file = tmp.path() / "log.sqlite";
  constexpr std::uint64_t kTurn = 65536, kEntries = 3 * kTurn + 100;
  (void)SqliteStore::open(file, true).value();
  log_rows(file, 0, kEntries, "user:1");
  auto keys = KeyIndex::of(file);
  {
    auto store = SqliteStore::open(file, false).value();
    std::stop_source stopped;
    stopped.request_stop();
    BOOST_TEST_REQUIRE(store->warm_up(stopped.get_token()).ok());
    BOOST_TEST(keys->covered() == 0u);  // asked to stop before it began: nothing read
    // Asked to stop while it reads: it stops at the end of a turn, before the log's end.
    std::stop_source source;
    std::jthread asker([&] {
      while (keys->covered() == 0) std::this_thread::yield();
      source.request_stop();
    });
    BOOST_TEST_REQUIRE(store->warm_up(source.get_token()).ok());
    asker.join();
    BOOST_TEST(keys->covered() % kTurn == 0u);
    BOOST_TEST(keys->covered() < kEntries);
    BOOST_TEST_REQUIRE(store->warm_up(std::stop_token()).ok());
    BOOST_TEST(keys->covered() == kEntries);
  }
  // Another connection's look-up finds it all without reading a row again.
  auto other = SqliteStore::open(file, false).value();
  BOOST_TEST(other->find_leaf(leaf(kEntries - 1)).value().value_or(0) == kEntries - 1);
  BOOST_TEST(other->indices_of("user:1").value().size() == kEntries);
}

BOOST_AUTO_TEST_CASE(a_version_5_store_loses_its_sql_indexes_and_keeps_its_entries) {
  TempDir tmp;
  auto file = tmp.path() / "log.sqlite";
  // A store at version 5, as migrations 1 to 5 made it, with two entries of one account.
  for (std::size_t v = 0; v < 5; ++v) sql(file, kSqliteMigrations[v]);
  sql(file, R"(
INSERT INTO entries VALUES(0, x'a5b1c6d3e2f4a5b1c6d3e2f4a5b1c6d3e2f4a5b1c6d3e2f4a5b1c6d3e2f4a5b1', x'0101010101010101010101010101010101010101010101010101010101010101', '{"e":0}');
INSERT INTO entries VALUES(1, x'b5b1c6d3e2f4a5b1c6d3e2f4a5b1c6d3e2f4a5b1c6d3e2f4a5b1c6d3e2f4a5b1', x'0202020202020202020202020202020202020202020202020202020202020202', '{"e":1}');
INSERT INTO openings VALUES(0, 'user:1', x'03', 'mine', 1764131712);
INSERT INTO openings VALUES(1, 'user:1', x'04', NULL, 1764131713);
PRAGMA user_version = 5;
)");
  BOOST_TEST(
      (indexes(file) == std::vector<std::string>{"contact_codes_by_address", "openings_by_account",
                                                 "openings_with_reason", "sqlite_autoindex_entries_1",
                                                 "sqlite_autoindex_entries_2", "sqlite_autoindex_witness_sizes_1"}));
  auto store = SqliteStore::open(file, false).value();
  BOOST_TEST(store->schema_version().value() == 6);
  BOOST_TEST((indexes(file) == std::vector<std::string>{"contact_codes_by_address", "openings_with_reason",
                                                        "sqlite_autoindex_witness_sizes_1"}));
  auto entries = store->entries(0, 10).value();
  BOOST_TEST_REQUIRE(entries.size() == 2u);
  BOOST_TEST(entries[1].bytes == "{\"e\":1}");
  auto openings = store->openings(0, 10).value();
  BOOST_TEST_REQUIRE(openings.size() == 2u);
  BOOST_TEST(openings[0].reason == "mine");
  BOOST_TEST(openings[1].received == 1764131713);
  BOOST_TEST((store->indices_of("user:1").value() == Indices{0, 1}));
  BOOST_TEST(store->find_leaf(entries[1].leaf).value().value_or(99) == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
