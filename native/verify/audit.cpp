// objector-verify audit: an intake export (FORMAT.md §7) checked end to end,
// and optionally a training manifest (FORMAT.md §8) against it.
#include <sodium.h>

#include <algorithm>
#include <cstdio>
#include <thread>

#include "core/base64.hpp"
#include "core/commitment.hpp"
#include "core/entry.hpp"
#include "core/jcs.hpp"
#include "core/json_fields.hpp"
#include "core/merkle.hpp"
#include "core/signed_checkpoint.hpp"
#include "native/common/files.hpp"
#include "native/common/progress.hpp"
#include "native/verify/commands.hpp"

namespace objector::verify {
namespace {

constexpr std::string_view kManifestHeader = "objector-training-manifest/v1";

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

struct Manifest {
  Checkpoint checkpoint;
  std::vector<std::string_view> accounts;
  std::size_t first_account_line = 0;
};

Result<Manifest> parse_manifest(const std::string& text, const std::string& file) {
  auto lines = lines_of(text);
  auto bad = [&](std::size_t line, const std::string& m) {
    return make_error("bad_manifest", file + ":" + std::to_string(line) + ": " + m);
  };
  if (lines.empty() || lines[0] != kManifestHeader) return bad(1, "must start with \"objector-training-manifest/v1\"");
  Manifest m;
  auto field = [&](std::size_t i, std::string_view key) -> Result<std::string_view> {
    if (i >= lines.size() || lines[i].substr(0, key.size() + 1) != std::string(key) + " ") {
      return bad(i + 1, "expected \"" + std::string(key) + " <value>\"");
    }
    return lines[i].substr(key.size() + 1);
  };
  auto origin = field(1, "origin");
  OBJECTOR_RETURN_IF_ERROR(origin);
  m.checkpoint.origin = std::string(*origin);
  auto size = field(2, "size");
  OBJECTOR_RETURN_IF_ERROR(size);
  auto n = parse_decimal(*size, "size");
  if (!n) return bad(3, n.error().message);
  m.checkpoint.size = *n;
  auto root = field(3, "root");
  OBJECTOR_RETURN_IF_ERROR(root);
  auto r = base64_decode_fixed<32>(*root);
  if (!r) return bad(4, "root: " + r.error().message);
  m.checkpoint.root = *r;
  if (lines.size() < 5 || !lines[4].empty()) return bad(5, "expected a blank line before the accounts");
  m.first_account_line = 6;
  for (std::size_t i = 5; i < lines.size(); ++i) {
    if (auto ok = check_text(lines[i], "account", kMaxAccountBytes); !ok) return bad(i + 1, ok.error().message);
    m.accounts.push_back(lines[i]);
  }
  return m;
}

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
      auto j = parse_json(opening_lines[i], {.max_bytes = 4096, .max_depth = 2});
      OBJECTOR_RETURN_IF_ERROR(j);
      if (auto ok = expect_object(*j, "opening", {"index", "account", "r"}); !ok) return ok;
      auto index = get_integer(*j, "index", "opening", 0, INT64_MAX);
      OBJECTOR_RETURN_IF_ERROR(index);
      if (static_cast<std::uint64_t>(*index) != i) {
        return make_error("bad_export", "opening.index: " + std::to_string(*index) + " where " + std::to_string(i) +
                                            " was expected (openings are in index order)");
      }
      json o = {{"account", (*j)["account"]}, {"r", (*j)["r"]}};
      auto opening = opening_from_json(o);
      OBJECTOR_RETURN_IF_ERROR(opening);
      if (auto ok = check_opening(*opening, subjects[i]); !ok) return ok;
      account_hashes[i] = account_hash(opening->account, hash_key);
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
    auto manifest = parse_manifest(*text, file);
    if (!manifest) return fail(2, manifest.error().message);
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
    // Objectors before the manifest's checkpoint, as (account hash, index).
    std::vector<std::pair<std::uint64_t, std::uint64_t>> excluded;
    excluded.reserve(mc.size);
    for (std::uint64_t i = 0; i < mc.size; ++i) excluded.emplace_back(account_hashes[i], i);
    std::sort(excluded.begin(), excluded.end());
    native::Progress progress("manifest", manifest->accounts.size());
    json violations = json::array();
    for (std::size_t line = 0; line < manifest->accounts.size(); ++line) {
      auto account = manifest->accounts[line];
      auto h = account_hash(account, hash_key);
      auto range = std::equal_range(excluded.begin(), excluded.end(), std::make_pair(h, std::uint64_t{0}),
                                    [](const auto& a, const auto& b) { return a.first < b.first; });
      for (auto it = range.first; it != range.second; ++it) {
        // Confirm the hash hit against the opening itself.
        auto o = parse_json(opening_lines[it->second]).value();
        if (o["account"].get<std::string>() != account) continue;
        violations.push_back(
            {{"account", account}, {"index", it->second}, {"line", manifest->first_account_line + line}});
        human += file + ":" + std::to_string(manifest->first_account_line + line) + ": VIOLATION: account " +
                 std::string(account) + " objected (log entry " + std::to_string(it->second) +
                 ") before the manifest's checkpoint\n";
        break;
      }
      if (line % 4096 == 4095) progress.advance(4096);
    }
    progress.finish();
    report["manifest"] = {
        {"checkpoint_size", mc.size}, {"accounts", manifest->accounts.size()}, {"violations", violations}};
    if (!violations.empty()) {
      report["ok"] = false;
      status = 1;
      human += "FAILED: " + std::to_string(violations.size()) +
               " account(s) in the manifest objected before its checkpoint\n";
    } else {
      human += "verified: none of the manifest's " + std::to_string(manifest->accounts.size()) +
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
