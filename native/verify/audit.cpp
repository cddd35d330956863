// objector-verify audit: an intake export (FORMAT.md §7) checked end to end,
// and optionally a training manifest (FORMAT.md §8) against it. Two steps,
// each returning what it found or the first error with its file and line:
// the export in one pass (each entry canonical and signed, its opening on the
// same line opening its subject, the entries the checkpoint's tree), then the
// manifest.
#include <sodium.h>

#include <algorithm>
#include <array>
#include <bit>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>

#include "core/crypto/commitment.hpp"
#include "core/encoding/base64.hpp"
#include "core/objection/entry.hpp"
#include "core/objection/export_lines.hpp"
#include "core/objection/manifest.hpp"
#include "core/tlog/merkle.hpp"
#include "core/tlog/signed_checkpoint.hpp"
#include "native/common/clock.hpp"
#include "native/common/files.hpp"
#include "native/common/parallel.hpp"
#include "native/common/progress.hpp"
#include "native/verify/commands.hpp"
#include "native/verify/objector_set.hpp"
#include "native/verify/output.hpp"

namespace objector::verify {
namespace {

constexpr std::size_t kMaxExportFile = std::size_t{16} << 30;
using HashKey = std::array<std::uint8_t, crypto_shorthash_KEYBYTES>;

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

std::string line_label(const std::string& file, std::size_t index) { return file + ":" + std::to_string(index + 1); }

std::uint64_t account_hash(std::string_view account, const HashKey& key) {
  std::uint64_t h = 0;
  crypto_shorthash(reinterpret_cast<std::uint8_t*>(&h), as_bytes(account).data(), account.size(), key.data());
  return h;
}

// The account lines in [begin, end) of a manifest: each checked, hashed and
// looked up, a batch at a time, so that the filter's cache lines are on their
// way while the next accounts are hashed. `hit(offset, account, index)` for
// every objector whose hash an account has; `count`: lines seen; on a bad
// line, its offset in `bad_offset` and the error.
template <class Hit>
Status scan_accounts(std::string_view accounts, std::size_t begin, std::size_t end, const ObjectorSet& table,
                     const HashKey& key, std::size_t& count, std::size_t& bad_offset, Hit&& hit) {
  constexpr std::size_t kBatch = 16;
  struct Line {
    std::size_t offset;
    std::string_view account;
    std::uint64_t hash;
  };
  std::array<Line, kBatch> batch;
  for (auto pos = begin; pos < end;) {
    std::size_t n = 0;
    for (; n < kBatch && pos < end; ++n) {
      auto eol = std::min(accounts.find('\n', pos), end);
      auto account = accounts.substr(pos, eol - pos);
      if (auto ok = check_manifest_account(account); !ok) {
        bad_offset = pos;
        return ok;
      }
      batch[n] = {pos, account, account_hash(account, key)};
      __builtin_prefetch(table.block_address(batch[n].hash));
      pos = eol + 1;
    }
    for (std::size_t k = 0; k < n; ++k) {
      table.matches(batch[k].hash, [&](std::uint64_t index) { hit(batch[k].offset, batch[k].account, index); });
    }
    count += n;
  }
  return Ok{};
}

// Step 1: one pass over the export's lines, on all cores: every entry line is
// a canonical, validly signed entry (parsed once, the signature checked over
// its own bytes), its opening is on the same line number of openings.jsonl
// and opens its subject; together the entries are the checkpoint's tree.
struct Openings {
  // On the heap so that `lines`, views into it, survive moves of Openings
  // (a short std::string keeps its bytes inside the object). Wiped when done:
  // it holds every blinding value.
  std::unique_ptr<std::string> text = std::make_unique<std::string>();
  std::vector<std::string_view> lines;
  std::vector<std::uint64_t> account_hashes;  // keyed per run: nobody can aim collisions at it
  HashKey hash_key{};
  std::size_t distinct_accounts = 0;

  Openings() = default;
  Openings(Openings&&) = default;
  Openings(const Openings&) = delete;
  ~Openings() {
    if (text) wipe(*text);
  }
};

struct CheckedExport {
  MemoryTree tree;
  Openings openings;
};

Status check_line_counts(const std::string& entries_file, std::size_t entries, const std::string& openings_file,
                         std::size_t openings, const Checkpoint& cp) {
  if (entries != cp.size) {
    return make_error(errc::bad_export, entries_file + ": " + std::to_string(entries) +
                                            " entries, but the checkpoint's tree has " + std::to_string(cp.size));
  }
  if (openings != cp.size) {
    return make_error(errc::bad_export, openings_file + ": " + std::to_string(openings) + " openings for " +
                                            std::to_string(cp.size) + " entries");
  }
  return Ok{};
}

Status check_opening_line(std::string_view line, std::size_t i, const Hash& subject, const HashKey& key,
                          std::uint64_t& account_hash_out) {
  OBJECTOR_TRY(auto parsed, parse_export_opening(line));
  if (parsed.index != i) {
    return make_error(errc::bad_export, "opening.index: " + std::to_string(parsed.index) + " where " +
                                            std::to_string(i) + " was expected (openings are in index order)");
  }
  OBJECTOR_RETURN_IF_ERROR(check_opening(parsed.opening, subject));
  account_hash_out = account_hash(parsed.opening.account, key);
  return Ok{};
}

Result<CheckedExport> check_export(const std::filesystem::path& dir, const Checkpoint& cp) {
  auto entries_file = (dir / "entries.jsonl").string();
  auto openings_file = (dir / "openings.jsonl").string();
  OBJECTOR_TRY(auto text, native::read_file(entries_file, kMaxExportFile));
  auto lines = lines_of(text);
  CheckedExport out;
  auto& o = out.openings;
  OBJECTOR_TRY(*o.text, native::read_file(openings_file, kMaxExportFile));
  o.lines = lines_of(*o.text);
  OBJECTOR_RETURN_IF_ERROR(check_line_counts(entries_file, lines.size(), openings_file, o.lines.size(), cp));
  randombytes_buf(o.hash_key.data(), o.hash_key.size());
  o.account_hashes.resize(cp.size);
  std::vector<Hash> leaves(cp.size);
  native::Progress progress("export", cp.size);
  auto failure = native::parallel_for(
      cp.size,
      [&](std::size_t i) -> Status {
        auto entry = verify_entry_bytes(lines[i]);
        if (!entry) return std::move(entry).error().at(line_label(entries_file, i));
        leaves[i] = leaf_hash(as_bytes(lines[i]));
        if (auto ok = check_opening_line(o.lines[i], i, entry->statement.subject, o.hash_key, o.account_hashes[i]);
            !ok) {
          return std::move(ok).error().at(line_label(openings_file, i));
        }
        return Ok{};
      },
      {.on_done = [&](std::size_t k) { progress.advance(k); }});
  progress.finish();
  if (failure) return std::move(failure->error);
  for (const auto& l : leaves) out.tree.append(l);
  if (out.tree.root() != cp.root) {
    return make_error(errc::root_mismatch,
                      entries_file +
                          ": the entries do not lead to the checkpoint's root (the export does not match the "
                          "signed log)");
  }
  auto sorted = o.account_hashes;
  std::sort(sorted.begin(), sorted.end());
  o.distinct_accounts = static_cast<std::size_t>(std::unique(sorted.begin(), sorted.end()) - sorted.begin());
  return out;
}

// Step 2: the manifest's checkpoint is a prefix of the signed log, and none
// of its accounts objected before that checkpoint.
struct Violation {
  std::string account;
  std::uint64_t index;
  std::size_t line;
};

struct ManifestFindings {
  std::uint64_t checkpoint_size = 0;
  std::uint64_t export_size = 0;
  std::optional<std::uint64_t> started;
  std::size_t accounts = 0;
  std::vector<Violation> violations;  // objected before the manifest's checkpoint
  std::vector<Violation> missed;      // objected after it (up to the export), yet in the manifest
  double seconds = 0;
  std::size_t table_bytes = 0;
};

Status check_manifest_checkpoint(const std::string& file, const Checkpoint& mc, const Checkpoint& log,
                                 const MemoryTree& tree) {
  if (mc.origin != log.origin) {
    return make_error(errc::wrong_log,
                      file + ": the manifest names log \"" + mc.origin + "\", the export is of \"" + log.origin + "\"");
  }
  if (mc.size > log.size) {
    return make_error(errc::bad_manifest, file + ": the manifest's checkpoint (size " + std::to_string(mc.size) +
                                              ") is newer than the export (size " + std::to_string(log.size) +
                                              "; hint: export again)");
  }
  if (mc.size == 0) {
    if (mc.root == empty_root()) return Ok{};
    return make_error(errc::not_consistent, file +
                                                ": the manifest's checkpoint has size 0 but its root is not the "
                                                "empty tree's (" +
                                                base64_encode(empty_root()) + ")");
  }
  auto old_root = tree_root(tree.reader(), mc.size).value();
  auto proof = consistency_proof(tree.reader(), mc.size, log.size).value();
  if (old_root != mc.root || !verify_consistency(mc.size, log.size, proof, mc.root, log.root).ok()) {
    return make_error(errc::not_consistent, file + ": the manifest's checkpoint (size " + std::to_string(mc.size) +
                                                ") is not consistent with the log's: its root is not the root of the "
                                                "log's first " +
                                                std::to_string(mc.size) + " entries");
  }
  return Ok{};
}

Result<ManifestFindings> check_manifest(const std::string& file, const Checkpoint& log, const MemoryTree& tree,
                                        const Openings& openings) {
  auto t0 = std::chrono::steady_clock::now();                 // the check's time includes reading the manifest
  OBJECTOR_TRY(auto mapped, native::MappedFile::open(file));  // read once, in order, by all cores
  const auto text = mapped.view();
  auto manifest = parse_manifest_header(text);
  if (!manifest) {
    auto e = std::move(manifest).error();  // its message starts with the line number
    e.message = file + ":" + e.message;
    return e;
  }
  const auto& mc = manifest->checkpoint;
  OBJECTOR_RETURN_IF_ERROR(check_manifest_checkpoint(file, mc, log, tree));

  // Every objector of the export: those before the checkpoint are violations,
  // those after it were missed by a run that named an older checkpoint.
  const ObjectorSet table(
      std::span(openings.account_hashes).first(std::min<std::size_t>(log.size, openings.account_hashes.size())));

  // Scan the account lines in parallel, in chunks cut at newlines.
  std::string_view accounts(text.data() + manifest->accounts_offset, text.size() - manifest->accounts_offset);
  const std::size_t pieces = std::size_t{native::core_count()} * 8;
  std::vector<std::size_t> cuts{0};
  for (std::size_t k = 1; k < pieces; ++k) {
    auto nl = accounts.find('\n', std::max(accounts.size() * k / pieces, cuts.back()));
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
  std::vector<std::size_t> bad_offset(cuts.size() - 1);  // where a chunk's bad line starts
  std::atomic<std::size_t> lines_seen{0};
  auto failure = native::parallel_for(
      cuts.size() - 1,
      [&](std::size_t c) -> Status {
        std::size_t count = 0;
        auto ok = scan_accounts(accounts, cuts[c], cuts[c + 1], table, openings.hash_key, count, bad_offset[c],
                                [&](std::size_t pos, std::string_view account, std::uint64_t index) {
                                  std::lock_guard lock(mutex);
                                  hits.push_back({pos, account, index});
                                });
        lines_seen += count;
        return ok;
      },
      {.chunk = 1});
  // Line numbers only where something is reported.
  auto line_of = [&](std::size_t offset) {
    return manifest->first_line + static_cast<std::size_t>(std::count(
                                      accounts.begin(), accounts.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
  };
  if (failure) return std::move(failure->error).at(file + ":" + std::to_string(line_of(bad_offset[failure->index])));
  std::sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) { return a.offset < b.offset; });
  ManifestFindings out{mc.size, log.size, manifest->started, lines_seen, {}, {}, 0, table.bytes()};
  for (const auto& h : hits) {
    // Confirm the 64-bit hash hit against the opening itself.
    if (parse_export_opening(openings.lines[h.index]).value().opening.account != h.account) continue;
    (h.index < mc.size ? out.violations : out.missed).push_back({std::string(h.account), h.index, line_of(h.offset)});
  }
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return out;
}

// When the policy's quorum last cosigned each exported checkpoint
// (checkpoints.jsonl), each checked against the export's tree: a checkpoint
// the log signed with another root is a split view.
using WitnessedSizes = std::map<std::uint64_t, std::uint64_t>;  // size -> witnessed time

Result<WitnessedSizes> witnessed_sizes(const std::filesystem::path& dir, const Policy& policy, const MemoryTree& tree) {
  auto file = (dir / "checkpoints.jsonl").string();
  OBJECTOR_TRY(auto text, native::read_file(file, kMaxExportFile));
  WitnessedSizes out;
  auto lines = lines_of(text);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    auto c = parse_export_checkpoint(lines[i]);
    if (!c) return std::move(c).error().at(line_label(file, i));
    auto v = open_checkpoint(c->note, policy);
    if (!v) {
      if (v.error().is(errc::quorum_not_met)) continue;  // never cosigned by a quorum: no time
      return std::move(v).error().at(line_label(file, i));
    }
    const auto& cp = v->checkpoint;
    if (cp.size > tree.size() || tree_root(tree.reader(), cp.size).value() != cp.root) {
      return make_error(errc::not_consistent, line_label(file, i) + ": the log signed a checkpoint of size " +
                                                  std::to_string(cp.size) +
                                                  " that is not the export's tree (a split view: keep this file)");
    }
    if (auto when = witnessed_time(policy, *v)) out[cp.size] = std::max(out[cp.size], *when);
  }
  return out;
}

// The manifest in time: its checkpoint was cosigned no earlier than
// started - max_lag, and objectors it missed are dated.
struct Timing {
  std::uint64_t witnessed = 0;  // when the quorum last cosigned the manifest's checkpoint
  bool stale = false;
  std::vector<std::optional<std::uint64_t>> missed;  // per missed objector: when it was first witnessed
};

Result<Timing> check_timing(const std::string& file, const ManifestFindings& m, const WitnessedSizes& witnessed,
                            std::int64_t max_lag) {
  if (!m.started) {
    return make_error(errc::bad_manifest, file +
                                              ": with --policy the manifest needs a \"started <Unix seconds>\" "
                                              "line after its root (when the training run began)");
  }
  auto it = witnessed.find(m.checkpoint_size);
  if (it == witnessed.end()) {
    return make_error(errc::quorum_not_met,
                      file + ": no checkpoint of size " + std::to_string(m.checkpoint_size) +
                          " cosigned by the policy's quorum is in the export (checkpoints.jsonl)");
  }
  Timing t;
  t.witnessed = it->second;
  t.stale = static_cast<std::int64_t>(t.witnessed) + max_lag < static_cast<std::int64_t>(*m.started);
  for (const auto& v : m.missed) {
    auto covering = witnessed.upper_bound(v.index);  // the first witnessed checkpoint that holds the entry
    t.missed.push_back(covering == witnessed.end() ? std::nullopt : std::optional(covering->second));
  }
  return t;
}

void add_manifest(Report& report, const std::string& file, const ManifestFindings& m, const Timing* timing,
                  std::int64_t max_lag) {
  json violations = json::array(), missed = json::array();
  for (const auto& v : m.violations) {
    violations.push_back({{"account", v.account}, {"index", v.index}, {"line", v.line}});
    report.text += file + ":" + std::to_string(v.line) + ": VIOLATION: account " + v.account + " objected (log entry " +
                   std::to_string(v.index) + ") before the manifest's checkpoint\n";
  }
  if (m.checkpoint_size < m.export_size) {
    report.text += "the manifest's checkpoint (tree size " + std::to_string(m.checkpoint_size) + ") is " +
                   std::to_string(m.export_size - m.checkpoint_size) + " entries behind the export (tree size " +
                   std::to_string(m.export_size) + ")\n";
  }
  for (std::size_t i = 0; i < m.missed.size(); ++i) {
    const auto& v = m.missed[i];
    // When the witnesses first saw the entry (0: not known).
    const std::uint64_t when = timing && timing->missed[i] ? *timing->missed[i] : 0;
    const bool before_start = when != 0 && m.started && when < *m.started;
    missed.push_back({{"account", v.account},
                      {"index", v.index},
                      {"line", v.line},
                      {"witnessed_time", when != 0 ? json(when) : json(nullptr)},
                      {"before_started", before_start}});
    report.text += file + ":" + std::to_string(v.line) + ": WARNING: account " + v.account + " objected (log entry " +
                   std::to_string(v.index) + ") after the manifest's checkpoint" +
                   (before_start ? ", and the witnesses saw it logged at " +
                                       native::utc_time(static_cast<std::int64_t>(when)) + ", before the run started"
                                 : std::string()) +
                   "\n";
  }
  report.data["manifest"] = {{"checkpoint_size", m.checkpoint_size},
                             {"behind", m.export_size - m.checkpoint_size},
                             {"started", m.started ? json(*m.started) : json(nullptr)},
                             {"accounts", m.accounts},
                             {"violations", violations},
                             {"missed", missed},
                             {"check_seconds", static_cast<double>(static_cast<std::int64_t>(m.seconds * 1e6)) / 1e6},
                             {"table_bytes", m.table_bytes}};
  if (timing) {
    auto lag = static_cast<std::int64_t>(*m.started) - static_cast<std::int64_t>(timing->witnessed);
    report.data["manifest"]["witnessed_time"] = timing->witnessed;
    report.data["manifest"]["stale"] = timing->stale;
    report.text += std::string(timing->stale ? "FAILED: stale checkpoint: " : "witnessed: ") +
                   "the policy's quorum last cosigned the manifest's checkpoint at " +
                   native::utc_time(static_cast<std::int64_t>(timing->witnessed)) + ", " + native::human_duration(lag) +
                   (lag >= 0 ? " before" : " after") + " the run started (" +
                   native::utc_time(static_cast<std::int64_t>(*m.started)) + "; --max-lag " +
                   native::human_duration(max_lag) + ")\n";
  }
  const bool stale = timing && timing->stale;
  if (m.violations.empty() && !stale) {
    report.text += "verified: none of the manifest's " + std::to_string(m.accounts) +
                   " accounts objected before its checkpoint (tree size " + std::to_string(m.checkpoint_size) + ")\n";
    return;
  }
  report.data["ok"] = false;
  report.status = native::kExitFailed;
  if (!m.violations.empty()) {
    report.text += "FAILED: " + std::to_string(m.violations.size()) +
                   " account(s) in the manifest objected before its checkpoint\n";
  }
}

}  // namespace

int cmd_audit(const native::Args& args) {
  if (!args.has("export") || !args.positional.empty()) {
    return report(make_error(errc::usage, "audit needs --export DIR"));
  }
  auto policy = load_trust(args);
  if (!policy) return report(policy.error());
  std::filesystem::path dir = args.get("export");

  auto note = native::read_file(dir / "checkpoint", 1 << 20);
  if (!note) return report(note.error());
  auto cp = open_checkpoint(*note, *policy);
  if (!cp) return report(cp.error(), (dir / "checkpoint").string());
  const auto& checkpoint = cp->checkpoint;

  auto checked = check_export(dir, checkpoint);
  if (!checked) return report(checked.error());
  const auto& openings = checked->openings;

  Report out;
  out.data = {{"ok", true},
              {"objections", checkpoint.size},
              {"excluded_accounts", openings.distinct_accounts},
              {"checkpoint", to_json(checkpoint)}};
  out.text = "verified: " + std::to_string(checkpoint.size) + " objections, " +
             std::to_string(openings.distinct_accounts) + " excluded accounts, log " + checkpoint.origin +
             " at tree size " + std::to_string(checkpoint.size) + "\n";
  if (args.has("manifest")) {
    auto max_lag = native::parse_duration(args.get("max-lag", "24h"));
    if (!max_lag) return report(max_lag.error());
    auto file = args.get("manifest");
    auto findings = check_manifest(file, checkpoint, checked->tree, openings);
    if (!findings) return report(findings.error());
    std::optional<Timing> timing;
    if (args.has("policy")) {  // the policy's witnesses date the log: the manifest must be recent
      auto witnessed = witnessed_sizes(dir, *policy, checked->tree);
      if (!witnessed) return report(witnessed.error());
      auto t = check_timing(file, *findings, *witnessed, *max_lag);
      if (!t) return report(t.error());
      timing = std::move(*t);
    }
    add_manifest(out, file, *findings, timing ? &*timing : nullptr, *max_lag);
  }
  return print_report(args, out);
}

}  // namespace objector::verify
