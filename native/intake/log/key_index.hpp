// The log's index of its keys, in memory: leaf hash, device key and account
// -> entry index (the stores' look-ups go through it: key_lookups.hpp). Why
// not SQL indexes: SQLite writes a whole page to the WAL for each page a
// commit dirties, and an index on random keys dirties a page per key once it
// outgrows what a batch's keys share. At 200,000 objections three such
// indexes cost an objection about 30 KB of writes and the intake 1.4 times
// the CPU (tools/bench). On PostgreSQL, with two nodes, the database spent
// 46 us per objection with them and 38 without. Here an entry's key
// costs no write, and 4 to 8 bytes of memory (a link, with its vector's room
// to grow), plus 11 to 21 when the key is new (an 8-byte slot, the table 3/8
// to 3/4 full).
//
// The index is derived from the log and never stored: it covers entries
// [0, covered()) and is brought up to date by adding the rows after it, as
// read from the store (any writer's, in any process). It answers candidates:
// each key is kept as a 32-bit tag of a keyed hash (SipHash, a key per
// index, so nobody can aim keys at one slot), and the caller confirms a
// candidate against the row it names. A candidate outside the caller's
// snapshot then simply does not confirm.
// Thread safety: every method may be called from any thread.
#pragma once

#include <sodium.h>

#include <array>
#include <filesystem>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <vector>

#include "core/bytes.hpp"
#include "core/result.hpp"

namespace objector::intake {

class KeyIndex {
 public:
  enum class Key { leaf, device_key, account };
  struct Row {  // one logged entry's keys
    std::uint64_t index = 0;
    ByteView leaf, device_key, account;
  };
  // Entry indices the index can hold: below 2^32 - 1.
  static constexpr std::uint64_t kMaxEntries = 0xffffffffu;

  KeyIndex();
  ~KeyIndex();
  KeyIndex(const KeyIndex&) = delete;
  KeyIndex& operator=(const KeyIndex&) = delete;
  // The one index of this log file, or database (by its URI), in this
  // process, shared by its connections while one holds it.
  static std::shared_ptr<KeyIndex> of(const std::filesystem::path& file);
  static std::shared_ptr<KeyIndex> of_database(std::string_view uri);

  std::uint64_t covered() const;
  // Rows read from the store in index order, from at most covered(): the
  // ones already covered are skipped. A row past covered() (a gap) or past
  // kMaxEntries is an error, with nothing of it added.
  Status add(std::span<const Row> rows);
  // Held by the one connection reading rows for add(): another waits for it,
  // then reads only what is still missing.
  std::unique_lock<std::mutex> catching_up() { return std::unique_lock(catch_up_mutex_); }
  // Entry indices that may hold `key`, ascending.
  std::vector<std::uint64_t> candidates(Key kind, ByteView key) const;
  // Memory held, in bytes (its tables).
  std::size_t bytes() const;

 private:
  struct Slot {
    std::uint32_t tag = 0;
    std::uint32_t index_plus_one = 0;  // the latest entry with this tag; 0: empty
  };
  // One slot per distinct tag (open addressing, linear probing, a power of
  // two), and per entry the one before it with its tag: an account with many
  // entries is one slot and a chain, so neither its inserts nor its
  // neighbours' probes grow with it.
  struct Table {
    std::vector<Slot> slots;
    std::size_t used = 0;
    std::vector<std::uint32_t> previous;  // by entry index: the previous entry's index plus one, 0: none
  };
  static std::shared_ptr<KeyIndex> named(const std::string& log);
  std::uint32_t tag(ByteView key) const;
  static void insert(Table& table, std::uint32_t tag, std::uint32_t index_plus_one);
  static void place(std::vector<Slot>& slots, Slot slot);

  mutable std::shared_mutex mutex_;
  std::mutex catch_up_mutex_;
  std::array<unsigned char, crypto_shorthash_KEYBYTES> hash_key_{};
  std::array<Table, 3> tables_;
  std::uint64_t covered_ = 0;
};

}  // namespace objector::intake
