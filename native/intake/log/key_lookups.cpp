#include "native/intake/log/key_lookups.hpp"

#include <algorithm>
#include <set>

namespace objector::intake {

namespace {
const RowKeys* find_row(const std::vector<RowKeys>& rows, std::uint64_t index) {  // rows ascending
  auto it = std::ranges::lower_bound(rows, index, {}, &RowKeys::index);
  return it != rows.end() && it->index == index ? &*it : nullptr;
}
}  // namespace

Result<std::uint64_t> KeyLookups::catch_up(std::uint64_t most) {
  // Read in chunks, so a long catch-up (a first look-up, a node that was away) holds little at once.
  constexpr std::uint64_t kChunk = 8192;
  // One connection at a time: another one waiting would read the same rows again.
  auto turn = index_->catching_up();
  std::uint64_t count = 0;
  while (count < most) {
    auto want = std::min(kChunk, most - count);
    OBJECTOR_TRY(auto read, rows_.rows_from(index_->covered(), want));
    std::vector<KeyIndex::Row> rows;
    rows.reserve(read.size());
    for (const auto& r : read) rows.push_back({r.index, r.leaf, r.device_key, as_bytes(r.account)});
    OBJECTOR_RETURN_IF_ERROR(index_->add(rows));
    count += read.size();
    auto last = read.size() < want;
    // Committed rows, read by this connection: its later snapshots see them too.
    if (!read.empty()) recent_ = std::move(read);
    if (last) break;
  }
  return count;
}

Result<std::vector<std::vector<RowKeys>>> KeyLookups::holding(KeyIndex::Key kind, std::span<const ByteView> keys) {
  std::vector<std::vector<std::uint64_t>> candidates;
  std::vector<std::uint64_t> all;
  for (auto key : keys) {
    candidates.push_back(index_->candidates(kind, key));
    all.insert(all.end(), candidates.back().begin(), candidates.back().end());
  }
  std::vector<std::vector<RowKeys>> out(keys.size());
  if (all.empty()) return out;  // the usual answer: nothing to read
  std::ranges::sort(all);
  all.erase(std::unique(all.begin(), all.end()), all.end());
  // The rows this connection read last are at hand (a follower finds its submissions among them); the rest are
  // read, those this reader sees.
  std::vector<RowKeys> rows;
  std::vector<std::uint64_t> unread;
  for (auto index : all) {
    if (const auto* row = find_row(recent_, index)) {
      rows.push_back(*row);
    } else {
      unread.push_back(index);
    }
  }
  if (!unread.empty()) {
    OBJECTOR_TRY(auto read, rows_.rows_at(unread));
    rows.insert(rows.end(), std::make_move_iterator(read.begin()), std::make_move_iterator(read.end()));
    std::ranges::sort(rows, {}, &RowKeys::index);
  }
  for (std::size_t i = 0; i < keys.size(); ++i) {
    for (auto index : candidates[i]) {
      const auto* row = find_row(rows, index);
      if (row == nullptr) continue;
      ByteView held = kind == KeyIndex::Key::leaf         ? ByteView(row->leaf)
                      : kind == KeyIndex::Key::device_key ? ByteView(row->device_key)
                                                          : as_bytes(row->account);
      if (std::ranges::equal(held, keys[i])) out[i].push_back(*row);
    }
  }
  return out;
}

Result<std::optional<std::uint64_t>> KeyLookups::find_leaf(const Hash& leaf) {
  OBJECTOR_RETURN_IF_ERROR(catch_up());
  const ByteView key(leaf);
  OBJECTOR_TRY(auto found, holding(KeyIndex::Key::leaf, {&key, 1}));
  if (found[0].empty()) return std::optional<std::uint64_t>();
  return std::optional<std::uint64_t>(found[0].front().index);
}

Result<std::vector<Known>> KeyLookups::lookup(std::span<const Submission* const> submissions) {
  OBJECTOR_RETURN_IF_ERROR(catch_up());
  std::vector<ByteView> keys;
  keys.reserve(submissions.size());
  for (const auto* s : submissions) keys.emplace_back(s->entry.device_key);
  OBJECTOR_TRY(auto found, holding(KeyIndex::Key::device_key, keys));
  std::vector<Known> out(submissions.size());
  for (std::size_t i = 0; i < submissions.size(); ++i) {
    if (!found[i].empty()) out[i] = known_by_device_key(*submissions[i], found[i].front().index, found[i].front().leaf);
  }
  return out;
}

Result<std::vector<std::uint64_t>> KeyLookups::indices_of(std::string_view account) {
  OBJECTOR_RETURN_IF_ERROR(catch_up());
  const ByteView key = as_bytes(account);
  OBJECTOR_TRY(auto found, holding(KeyIndex::Key::account, {&key, 1}));
  std::vector<std::uint64_t> out;
  out.reserve(found[0].size());
  for (const auto& row : found[0]) out.push_back(row.index);
  return out;
}

Status KeyLookups::refuse_duplicates(const Batch& batch) {
  OBJECTOR_RETURN_IF_ERROR(catch_up());
  std::vector<ByteView> leaves, devices;
  for (const auto& e : batch.entries) {
    leaves.emplace_back(e.leaf);
    devices.emplace_back(e.device_key);
  }
  OBJECTOR_TRY(auto by_leaf, holding(KeyIndex::Key::leaf, leaves));
  OBJECTOR_TRY(auto by_device, holding(KeyIndex::Key::device_key, devices));
  std::set<Hash> seen_leaves, seen_devices;
  for (std::size_t i = 0; i < batch.entries.size(); ++i) {
    const auto& e = batch.entries[i];
    if (!by_leaf[i].empty() || !seen_leaves.insert(e.leaf).second) {
      return make_error(errc::storage_error, "cannot store entry: UNIQUE constraint failed: entries.leaf");
    }
    if (!by_device[i].empty() || !seen_devices.insert(e.device_key).second) {
      return make_error(errc::storage_error, "cannot store entry: UNIQUE constraint failed: entries.device_key");
    }
  }
  return Ok{};
}

void KeyLookups::logged(const Batch& batch) {
  std::vector<KeyIndex::Row> rows;
  rows.reserve(batch.entries.size());
  for (std::size_t i = 0; i < batch.entries.size(); ++i) {
    const auto& e = batch.entries[i];
    if (i >= batch.openings.size() || batch.openings[i].index != e.index) return;  // not a batch the stores write
    rows.push_back({e.index, e.leaf, e.device_key, as_bytes(batch.openings[i].account)});
  }
  // Refused when the index has not read up to the batch (a gap): the next catch-up reads it all.
  (void)index_->add(rows);
}

}  // namespace objector::intake
