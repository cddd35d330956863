#include "native/intake/log/key_index.hpp"

#include <algorithm>
#include <cstring>
#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace objector::intake {

namespace {

constexpr std::size_t kFirstSlots = 1024;

std::size_t position(std::uint32_t tag, std::size_t slots) { return tag & (slots - 1); }

}  // namespace

KeyIndex::KeyIndex() {
  crypto_shorthash_keygen(hash_key_.data());
  for (auto& t : tables_) t.slots.resize(kFirstSlots);
}

KeyIndex::~KeyIndex() { sodium_memzero(hash_key_.data(), hash_key_.size()); }

std::shared_ptr<KeyIndex> KeyIndex::of(const std::filesystem::path& file) {
  std::error_code ec;
  auto name = std::filesystem::weakly_canonical(file, ec);
  return named("file " + (ec ? file : name).string());
}

std::shared_ptr<KeyIndex> KeyIndex::of_database(std::string_view uri) { return named("database " + std::string(uri)); }

std::shared_ptr<KeyIndex> KeyIndex::named(const std::string& log) {
  static std::mutex mutex;
  static std::map<std::string, std::weak_ptr<KeyIndex>> indexes;
  std::lock_guard lock(mutex);
  std::erase_if(indexes, [](const auto& entry) { return entry.second.expired(); });
  auto& slot = indexes[log];
  auto index = slot.lock();
  if (!index) slot = index = std::make_shared<KeyIndex>();
  return index;
}

std::uint64_t KeyIndex::covered() const {
  std::shared_lock lock(mutex_);
  return covered_;
}

std::uint32_t KeyIndex::tag(ByteView key) const {
  std::array<unsigned char, crypto_shorthash_BYTES> h{};
  crypto_shorthash(h.data(), key.data(), key.size(), hash_key_.data());
  std::uint32_t t = 0;
  std::memcpy(&t, h.data(), sizeof t);
  return t;
}

void KeyIndex::place(std::vector<Slot>& slots, Slot slot) {
  auto p = position(slot.tag, slots.size());
  while (slots[p].index_plus_one != 0) p = (p + 1) & (slots.size() - 1);
  slots[p] = slot;
}

void KeyIndex::insert(Table& table, std::uint32_t tag, std::uint32_t index_plus_one) {
  auto& slots = table.slots;
  for (auto p = position(tag, slots.size()); slots[p].index_plus_one != 0; p = (p + 1) & (slots.size() - 1)) {
    if (slots[p].tag == tag) {  // a key seen before (or a tag two keys share): the entry joins its chain
      table.previous.push_back(std::exchange(slots[p].index_plus_one, index_plus_one));
      return;
    }
  }
  table.previous.push_back(0);
  // At most three quarters full: linear probing's runs stay short.
  if ((table.used + 1) * 4 > slots.size() * 3) {
    std::vector<Slot> bigger(slots.size() * 2);
    for (const auto& s : slots) {
      if (s.index_plus_one != 0) place(bigger, s);
    }
    slots.swap(bigger);
  }
  place(slots, {tag, index_plus_one});
  ++table.used;
}

Status KeyIndex::add(std::span<const Row> rows) {
  std::unique_lock lock(mutex_);
  auto first = std::find_if(rows.begin(), rows.end(), [&](const Row& r) { return r.index >= covered_; });
  for (auto it = first; it != rows.end(); ++it) {
    if (it->index >= kMaxEntries) {
      return make_error(errc::storage_error, "key index: an intake indexes " + std::to_string(kMaxEntries) +
                                                 " entries at most (hint: this log is full; start a new one)");
    }
    auto expected = covered_ + static_cast<std::uint64_t>(it - first);
    if (it->index != expected) {
      return make_error(errc::storage_error, "key index: entry " + std::to_string(it->index) + " comes where entry " +
                                                 std::to_string(expected) +
                                                 " should (hint: the store's entries have a gap)");
    }
  }
  for (auto it = first; it != rows.end(); ++it) {
    auto plus_one = static_cast<std::uint32_t>(it->index + 1);
    const ByteView keys[] = {it->leaf, it->device_key, it->account};
    for (std::size_t k = 0; k < tables_.size(); ++k) insert(tables_[k], tag(keys[k]), plus_one);
  }
  covered_ += static_cast<std::uint64_t>(rows.end() - first);
  return Ok{};
}

std::vector<std::uint64_t> KeyIndex::candidates(Key kind, ByteView key) const {
  auto t = tag(key);
  std::shared_lock lock(mutex_);
  const auto& table = tables_[static_cast<std::size_t>(kind)];
  const auto& slots = table.slots;
  std::vector<std::uint64_t> out;
  for (auto p = position(t, slots.size()); slots[p].index_plus_one != 0; p = (p + 1) & (slots.size() - 1)) {
    if (slots[p].tag != t) continue;
    for (auto at = slots[p].index_plus_one; at != 0; at = table.previous[at - 1]) out.push_back(at - 1u);
    break;
  }
  std::reverse(out.begin(), out.end());  // the chain runs from the latest entry back
  return out;
}

std::size_t KeyIndex::bytes() const {
  std::shared_lock lock(mutex_);
  std::size_t n = 0;
  for (const auto& t : tables_) n += t.slots.size() * sizeof(Slot) + t.previous.capacity() * sizeof(std::uint32_t);
  return n;
}

}  // namespace objector::intake
