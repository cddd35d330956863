// objector-verify audit: an intake export (FORMAT.md §7) checked end to end,
// and optionally a training manifest (FORMAT.md §8) against it.
#include <sodium.h>

#include <algorithm>
#include <bit>
#include <chrono>
#include <cstdio>
#include <thread>

#include "core/base64.hpp"
#include "core/commitment.hpp"
#include "core/entry.hpp"
#include "core/export_lines.hpp"
#include "core/jcs.hpp"
#include "core/json_fields.hpp"
#include "core/manifest.hpp"
#include "core/merkle.hpp"
#include "core/signed_checkpoint.hpp"
#include "native/common/files.hpp"
#include "native/common/progress.hpp"
#include "native/verify/commands.hpp"

namespace objector::verify {
namespace {

struct Failure {
  int code;  // exit status
  std::string message;
};

// Lines of `text` (each ending in '\n'; a last line without one is allowed).
std::vector<std::string_view> lines_of(const std::string& text) {
  std::vector<std::string_view> out;
  for (std::size_t pos = 0; pos < text.size();) {
    auto eol = text.find('\n', pos);
    if (eol == std::string::npos) eol = text.size();
    out.emplace_back(text.data() + pos, eol - pos);
    pos = eol + 1;
  }
  return out;
}

// Runs body(i) for i in [0, n) on all cores; stops early at the first failure
// and returns the one with the lowest index.
std::optional<std::pair<std::size_t, Error>> parallel_for(std::size_t n, native::Progress& progress,
                                                          const std::function<Status(std::size_t)>& body) {
  std::atomic<std::size_t> next{0};
  std::mutex mutex;
  std::optional<std::pair<std::size_t, Error>> first;
  std::atomic<bool> stop{false};
  auto worker = [&] {
    constexpr std::size_t kChunk = 256;
    for (std::size_t start; !stop && (start = next.fetch_add(kChunk)) < n;) {
      auto end = std::min(n, start + kChunk);
      for (std::size_t i = start; i < end; ++i) {
        if (auto ok = body(i); !ok) {
          std::lock_guard lock(mutex);
          if (!first || i < first->first) first.emplace(i, ok.error());
          stop = true;
          break;
        }
      }
      progress.advance(end - start);
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < std::max(1u, std::thread::hardware_concurrency()); ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  progress.finish();
  return first;
}

// Objectors as an open-addressing table of (64-bit keyed account hash,
// index + 1): 32 bytes per objector at the table's load of one half.
class ObjectorTable {
 public:
  explicit ObjectorTable(std::size_t n)
      : slots_(std::bit_ceil(std::max<std::size_t>(2 * n, 16))), mask_(slots_.size() - 1) {}
  void insert(std::uint64_t hash, std::uint64_t index) {
    for (auto i = hash & mask_;; i = (i + 1) & mask_) {
      if (slots_[i].second == 0) {
        slots_[i] = {hash, index + 1};
        return;
      }
    }
  }
  template <class F>
  void matches(std::uint64_t hash, F&& f) const {
    for (auto i = hash & mask_; slots_[i].second != 0; i = (i + 1) & mask_) {
      if (slots_[i].first == hash) f(slots_[i].second - 1);
    }
  }
  std::size_t bytes() const { return slots_.size() * sizeof(slots_[0]); }

 private:
  std::vector<std::pair<std::uint64_t, std::uint64_t>> slots_;
  std::size_t mask_;
};

std::uint64_t account_hash(std::string_view account, const std::array<std::uint8_t, crypto_shorthash_KEYBYTES>& key) {
  std::uint64_t h = 0;
  crypto_shorthash(reinterpret_cast<std::uint8_t*>(&h), as_bytes(account).data(), account.size(), key.data());
  return h;
}

}  // namespace

int cmd_audit(const native::Args& args) {
  if (!args.has("export") || !args.positional.empty()) return report_error("audit needs --export DIR", 2);
  auto policy = load_trust(args);
  if (!policy) return report_error(policy.error().message, 2);
  std::filesystem::path dir = args.get("export");
  auto fail = [&](int code, const std::string& message) { return report_error(message, code); };

  auto note = native::read_file(dir / "checkpoint", 1 << 20);
  if (!note) return fail(2, note.error().message);
  auto cp = open_checkpoint(*note, *policy);
  if (!cp)
    return fail(is_format_error(cp.error().code) ? 2 : 1, (dir / "checkpoint").string() + ": " + cp.error().message);
  const auto size = cp->checkpoint.size;

  // Entries: canonical, signed, and together the checkpoint's tree.
  auto entries_file = (dir / "entries.jsonl").string();
  auto entries_text = native::read_file(entries_file, std::size_t{16} << 30);
  if (!entries_text) return fail(2, entries_text.error().message);
  auto entry_lines = lines_of(*entries_text);
  if (entry_lines.size() != size) {
    return fail(2, entries_file + ": " + std::to_string(entry_lines.size()) +
                       " entries, but the checkpoint's tree has " + std::to_string(size));
  }
  std::vector<Hash> leaves(size), subjects(size);
  {
    native::Progress progress("entries", size);
    auto failure = parallel_for(size, progress, [&](std::size_t i) -> Status {
      auto entry = parse_entry_bytes(entry_lines[i]);
      OBJECTOR_RETURN_IF_ERROR(entry);
      if (auto ok = verify_entry(*entry); !ok) return ok;
      leaves[i] = leaf_hash(as_bytes(entry_lines[i]));
      subjects[i] = entry->statement.subject;
      return Ok{};
    });
    if (failure) {
      return fail(is_format_error(failure->second.code) ? 2 : 1,
                  entries_file + ":" + std::to_string(failure->first + 1) + ": " + failure->second.message);
    }
  }
  MemoryTree tree;
  for (const auto& l : leaves) tree.append(l);
  if (tree.root() != cp->checkpoint.root) {
    return fail(1, entries_file +
                       ": the entries do not lead to the checkpoint's root (the export does not match the "
                       "signed log)");
  }

  // Openings: one per entry, in order, each opening its entry's subject.
  auto openings_file = (dir / "openings.jsonl").string();
  auto openings_text = native::read_file(openings_file, std::size_t{16} << 30);
  if (!openings_text) return fail(2, openings_text.error().message);
  auto opening_lines = lines_of(*openings_text);
  if (opening_lines.size() != size) {
    return fail(2, openings_file + ": " + std::to_string(opening_lines.size()) + " openings for " +
                       std::to_string(size) + " entries");
  }
  std::array<std::uint8_t, crypto_shorthash_KEYBYTES> hash_key{};
  randombytes_buf(hash_key.data(), hash_key.size());  // per run: nobody can aim collisions at it
  std::vector<std::uint64_t> account_hashes(size);
  {
    native::Progress progress("openings", size);
    auto failure = parallel_for(size, progress, [&](std::size_t i) -> Status {
      auto line = parse_export_opening(opening_lines[i]);
      OBJECTOR_RETURN_IF_ERROR(line);
      if (line->index != i) {
        return make_error("bad_export", "opening.index: " + std::to_string(line->index) + " where " +
                                            std::to_string(i) + " was expected (openings are in index order)");
      }
      const auto& opening = line->opening;
      if (auto ok = check_opening(opening, subjects[i]); !ok) return ok;
      account_hashes[i] = account_hash(opening.account, hash_key);
      return Ok{};
    });
    if (failure) {
      return fail(is_format_error(failure->second.code) ? 2 : 1,
                  openings_file + ":" + std::to_string(failure->first + 1) + ": " + failure->second.message);
    }
  }
  auto sorted = account_hashes;
  std::sort(sorted.begin(), sorted.end());
  auto distinct = static_cast<std::size_t>(std::unique(sorted.begin(), sorted.end()) - sorted.begin());

  json report = {{"ok", true},
                 {"objections", size},
                 {"excluded_accounts", distinct},
                 {"checkpoint",
                  {{"origin", cp->checkpoint.origin}, {"size", size}, {"root", base64_encode(cp->checkpoint.root)}}}};
  std::string human = "verified: " + std::to_string(size) + " objections, " + std::to_string(distinct) +
                      " excluded accounts, log " + cp->checkpoint.origin + " at tree size " + std::to_string(size) +
                      "\n";
  int status = 0;

  if (args.has("manifest")) {
    auto file = args.get("manifest");
    auto text = native::read_file(file, std::size_t{16} << 30);
    if (!text) return fail(2, text.error().message);
    auto manifest = parse_manifest_header(*text);
    if (!manifest) return fail(2, file + ":" + manifest.error().message);
    const auto& mc = manifest->checkpoint;
    if (mc.origin != cp->checkpoint.origin) {
      return fail(1, file + ": the manifest names log \"" + mc.origin + "\", the export is of \"" +
                         cp->checkpoint.origin + "\"");
    }
    if (mc.size > size) {
      return fail(2, file + ": the manifest's checkpoint (size " + std::to_string(mc.size) +
                         ") is newer than the export (size " + std::to_string(size) + "; hint: export again)");
    }
    // The manifest's checkpoint must be a prefix of the signed log.
    if (mc.size > 0) {
      auto old_root = tree_root(tree.reader(), mc.size).value();
      auto proof = consistency_proof(tree.reader(), mc.size, size).value();
      if (old_root != mc.root || !verify_consistency(mc.size, size, proof, mc.root, cp->checkpoint.root).ok()) {
        return fail(1, file + ": the manifest's checkpoint (size " + std::to_string(mc.size) +
                           ") is not consistent with the log's: its root is not the root of the log's first " +
                           std::to_string(mc.size) + " entries");
      }
    }
    auto t0 = std::chrono::steady_clock::now();
    ObjectorTable table(mc.size);  // those who objected before the manifest's checkpoint
    for (std::uint64_t i = 0; i < mc.size; ++i) table.insert(account_hashes[i], i);

    // Scan the account lines in parallel, in chunks cut at newlines.
    std::string_view accounts(text->data() + manifest->accounts_offset, text->size() - manifest->accounts_offset);
    unsigned threads = std::max(1u, std::thread::hardware_concurrency());
    std::vector<std::size_t> cuts{0};
    for (unsigned k = 1; k < threads * 8; ++k) {
      auto at = accounts.size() * k / (std::size_t{threads} * 8);
      auto nl = accounts.find('\n', std::max(at, cuts.back()));
      if (nl == std::string_view::npos) break;
      cuts.push_back(nl + 1);
    }
    cuts.push_back(accounts.size());
    struct Hit {
      std::size_t offset;
      std::string_view account;
      std::uint64_t index;
    };
    std::mutex mutex;
    std::vector<Hit> hits;
    std::optional<std::pair<std::size_t, Error>> bad_line;
    std::atomic<std::size_t> next_chunk{0}, lines_seen{0};
    auto worker = [&] {
      for (std::size_t c; (c = next_chunk++) + 1 < cuts.size();) {
        std::size_t count = 0;
        for (auto pos = cuts[c]; pos < cuts[c + 1]; ++count) {
          auto eol = accounts.find('\n', pos);
          if (eol == std::string_view::npos || eol > cuts[c + 1]) eol = cuts[c + 1];
          auto account = accounts.substr(pos, eol - pos);
          if (auto ok = check_manifest_account(account); !ok) {
            std::lock_guard lock(mutex);
            if (!bad_line || pos < bad_line->first) bad_line.emplace(pos, ok.error());
            break;
          }
          table.matches(account_hash(account, hash_key), [&](std::uint64_t index) {
            std::lock_guard lock(mutex);
            hits.push_back({pos, account, index});
          });
          pos = eol + 1;
        }
        lines_seen += count;
      }
    };
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t) pool.emplace_back(worker);
    worker();
    for (auto& t : pool) t.join();
    // Line numbers only where something is reported.
    auto line_of = [&](std::size_t offset) {
      return manifest->first_line +
             static_cast<std::size_t>(
                 std::count(accounts.begin(), accounts.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
    };
    if (bad_line)
      return fail(2, file + ":" + std::to_string(line_of(bad_line->first)) + ": " + bad_line->second.message);
    std::sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) { return a.offset < b.offset; });
    json violations = json::array();
    for (const auto& h : hits) {
      // Confirm the 64-bit hash hit against the opening itself.
      if (parse_export_opening(opening_lines[h.index]).value().opening.account != h.account) continue;
      auto line = line_of(h.offset);
      violations.push_back({{"account", h.account}, {"index", h.index}, {"line", line}});
      human += file + ":" + std::to_string(line) + ": VIOLATION: account " + std::string(h.account) +
               " objected (log entry " + std::to_string(h.index) + ") before the manifest's checkpoint\n";
    }
    double manifest_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::size_t account_count = lines_seen;
    report["manifest"] = {
        {"checkpoint_size", mc.size},
        {"accounts", account_count},
        {"violations", violations},
        {"check_seconds", static_cast<double>(static_cast<std::int64_t>(manifest_seconds * 1e6)) / 1e6},
        {"table_bytes", table.bytes()}};
    if (!violations.empty()) {
      report["ok"] = false;
      status = 1;
      human += "FAILED: " + std::to_string(violations.size()) +
               " account(s) in the manifest objected before its checkpoint\n";
    } else {
      human += "verified: none of the manifest's " + std::to_string(account_count) +
               " accounts objected before its checkpoint (tree size " + std::to_string(mc.size) + ")\n";
    }
  }
  if (args.has("json")) {
    std::printf("%s\n", canonicalize(report).value().c_str());
  } else {
    std::fputs(human.c_str(), stdout);
  }
  wipe(*openings_text);
  return status;
}

}  // namespace objector::verify
