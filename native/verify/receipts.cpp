// objector-verify receipt: files, folders, stdin and JSONL, on all cores;
// each distinct checkpoint is opened (signature, policy) once.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>

#include "core/encoding/base64.hpp"
#include "core/objection/receipt.hpp"
#include "native/common/clock.hpp"
#include "native/common/files.hpp"
#include "native/common/parallel.hpp"
#include "native/common/progress.hpp"
#include "native/verify/commands.hpp"
#include "native/verify/output.hpp"

namespace objector::verify {
namespace {

struct Item {
  std::shared_ptr<const std::string> source;  // the file's name, or "stdin"
  std::size_t line = 0;                       // in a JSONL file; 0 for a whole file
  std::string_view text;

  // "file" or "file:line", built only for what is reported.
  std::string label() const { return line == 0 ? *source : *source + ":" + std::to_string(line); }
};

struct Outcome {
  bool ok = false;
  bool is_public = false;  // a public receipt: account and author not checked
  Error error;
  ReceiptReport report;
};

// Several lines starting with '{' make a JSONL file; otherwise the file is one
// (possibly pretty-printed) receipt.
void add_text(const std::string& name, const std::string& text, std::vector<Item>& items) {
  auto source = std::make_shared<const std::string>(name);
  std::vector<std::pair<std::size_t, std::string_view>> lines;
  std::size_t number = 1;
  for (std::size_t pos = 0; pos < text.size(); ++number) {
    auto eol = text.find('\n', pos);
    if (eol == std::string::npos) eol = text.size();
    std::string_view line(text.data() + pos, eol - pos);
    if (!line.empty() && line.front() == '{') lines.emplace_back(number, line);
    pos = eol + 1;
  }
  if (lines.size() < 2) {
    items.push_back({source, 0, text});
    return;
  }
  for (const auto& [n, line] : lines) items.push_back({source, n, line});
}

Status collect(const std::vector<std::string>& args, std::vector<std::unique_ptr<std::string>>& texts,
               std::vector<Item>& items) {
  auto add_file = [&](const std::filesystem::path& p) -> Status {
    OBJECTOR_TRY(auto text, native::read_file(p, std::size_t{4} << 30));
    texts.push_back(std::make_unique<std::string>(std::move(text)));
    add_text(p.string(), *texts.back(), items);
    return Ok{};
  };
  for (const auto& a : args) {
    if (a == "-") {
      texts.push_back(
          std::make_unique<std::string>(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()));
      add_text("stdin", *texts.back(), items);
      continue;
    }
    std::error_code ec;
    if (std::filesystem::is_directory(a, ec)) {
      std::vector<std::filesystem::path> files;
      for (const auto& e : std::filesystem::recursive_directory_iterator(a, ec)) {
        auto ext = e.path().extension();
        if (e.is_regular_file() && (ext == ".json" || ext == ".jsonl")) files.push_back(e.path());
      }
      std::sort(files.begin(), files.end());
      for (const auto& f : files) {
        OBJECTOR_RETURN_IF_ERROR(add_file(f));
      }
    } else if (auto ok = add_file(a); !ok) {
      return ok;
    }
  }
  return Ok{};
}

class CheckpointCache {
 public:
  explicit CheckpointCache(const Policy& policy) : policy_(policy) {}
  // Copied outside the lock: the threads only meet on the lookup.
  Result<VerifiedCheckpoint> open(const std::string& note) {
    std::shared_ptr<const Result<VerifiedCheckpoint>> opened;
    {
      std::lock_guard lock(mutex_);
      if (auto it = cache_.find(note); it != cache_.end()) opened = it->second;
    }
    if (opened) return *opened;
    opened = std::make_shared<const Result<VerifiedCheckpoint>>(open_checkpoint(note, policy_));
    std::lock_guard lock(mutex_);
    if (cache_.size() < 4096) cache_.emplace(note, opened);
    return *opened;
  }

 private:
  const Policy& policy_;
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<const Result<VerifiedCheckpoint>>, std::less<>> cache_;
};

Outcome check(const Item& item, CheckpointCache& cache) {
  Outcome out;
  auto fail = [&](Error e) {
    out.error = std::move(e);
    return out;
  };
  JsonDocument doc;
  auto value = parse_receipt_json(doc, item.text);
  if (!value) return fail(std::move(value).error());
  auto receipt = check_any_receipt(*value);
  if (!receipt) return fail(std::move(receipt).error());
  out.is_public = receipt->is_public;
  auto proof = parse_tlog_proof(receipt->proof);
  if (!proof) return fail(std::move(proof).error().at("receipt.proof"));
  auto checkpoint = cache.open(proof->checkpoint);
  if (!checkpoint) return fail(Error(checkpoint.error()).at("receipt.proof"));
  auto report = verify_receipt_inclusion(receipt->entry, *proof, std::move(*checkpoint));
  if (!report) return fail(std::move(report).error());
  out.ok = true;
  out.report = std::move(*report);
  return out;
}

json witnessed_json(const Policy& policy, const VerifiedCheckpoint& v) {
  auto when = witnessed_time(policy, v);
  return when ? json(*when) : json(nullptr);
}

}  // namespace

int cmd_receipt(const native::Args& args) {
  if (args.positional.empty()) {
    return report(make_error(errc::usage, "receipt needs at least one RECEIPT (a file, a folder or -)"));
  }
  auto policy = load_trust(args);
  if (!policy) return report(policy.error());
  // The files' text: full receipts hold device seeds and blinding values.
  struct WipedTexts : std::vector<std::unique_ptr<std::string>> {
    ~WipedTexts() {
      for (auto& t : *this) wipe(*t);
    }
  } texts;
  std::vector<Item> items;
  if (auto ok = collect(args.positional, texts, items); !ok) return report(ok.error());
  if (items.empty()) return report(make_error(errc::usage, "no receipts found in the given inputs"));

  CheckpointCache cache(*policy);
  std::vector<Outcome> outcomes(items.size());
  native::Progress progress("receipts", items.size());
  native::parallel_for(items.size(),
                       [&](std::size_t i) -> Status {
                         outcomes[i] = check(items[i], cache);
                         return Ok{};
                       },
                       {.chunk = 16, .on_done = [&](std::size_t n) { progress.advance(n); }});
  progress.finish();

  std::size_t verified = 0, failed = 0, malformed = 0;
  const bool want_json = args.has("json");  // 20,000 results cost more to build than to print
  json results = json::array();
  Report out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const auto& o = outcomes[i];
    if (o.ok) {
      ++verified;
      const auto& c = o.report.checkpoint.checkpoint;
      if (want_json) {
        results.push_back({{"source", items[i].label()},
                           {"ok", true},
                           {"public", o.is_public},
                           {"index", o.report.index},
                           {"leaf_hash", base64_encode(o.report.leaf_hash)},
                           {"checkpoint", to_json(c)},
                           {"cosignatures", to_json(o.report.checkpoint)["cosignatures"]},
                           {"witnessed_time", witnessed_json(*policy, o.report.checkpoint)}});
      }
      if (items.size() <= 100) {
        out.text += items[i].label() + ": verified: objection " + std::to_string(o.report.index) + " in " + c.origin +
                    " (tree size " + std::to_string(c.size) + ")\n";
        if (auto when = witnessed_time(*policy, o.report.checkpoint)) {
          auto [cosigned, named] = witness_count(*policy, o.report.checkpoint);
          out.text += "  logged no later than " + native::utc_time(static_cast<std::int64_t>(*when)) +
                      ", cosigned by " + std::to_string(cosigned) + " of " + std::to_string(named) + " witnesses\n";
        }
        if (o.is_public) {
          out.text +=
              "  a public receipt: the statement and its place in the log were checked; who made it and "
              "for which account were not\n";
        }
      }
      continue;
    }
    bool failed_check = o.error.verification_failed();
    ++(failed_check ? failed : malformed);
    if (want_json) {
      results.push_back(
          {{"source", items[i].label()}, {"ok", false}, {"error", o.error.code}, {"message", o.error.message}});
    } else {
      print_note(items[i].label() + ": " + (failed_check ? "FAILED" : "error") + ": " + o.error.message);
    }
  }
  out.data = {{"verified", verified}, {"failed", failed}, {"malformed", malformed}, {"results", results}};
  if (items.size() > 1) {
    out.text += std::to_string(verified) + " of " + std::to_string(items.size()) + " receipts verified";
    if (failed) out.text += ", " + std::to_string(failed) + " failed verification";
    if (malformed) out.text += ", " + std::to_string(malformed) + " malformed";
    out.text += "\n";
  }
  out.status = malformed ? native::kExitUsage : failed ? native::kExitFailed : native::kExitOk;
  return print_report(args, out);
}

}  // namespace objector::verify
