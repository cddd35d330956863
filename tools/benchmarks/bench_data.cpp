// Synthetic, fully valid data for the verifier benchmarks, made with core:
//   objector-bench-data export   --out DIR --count N        an intake export (FORMAT.md §7)
//   objector-bench-data receipts --out FILE --count N       N receipts (JSONL) under one checkpoint
//   objector-bench-data manifest --export DIR --out FILE --accounts M [--objectors K]
//       a manifest at the export's checkpoint naming M accounts, K of them (default 0) objectors
#include <cstdio>

#include "core/crypto/sodium.hpp"
#include "core/encoding/base64.hpp"
#include "core/json/jcs.hpp"
#include "core/objection/export_lines.hpp"
#include "core/objection/receipt.hpp"
#include "core/tlog/merkle.hpp"
#include "core/tlog/signed_checkpoint.hpp"
#include "core/tlog/tlog_proof.hpp"
#include "native/common/cli.hpp"
#include "native/common/files.hpp"
#include "native/common/parallel.hpp"

using namespace objector;

namespace {

std::vector<Objection> objections(std::uint64_t n) {
  std::vector<std::optional<Objection>> out(n);
  native::parallel_for(n, [&](std::size_t i) -> Status {
    ObjectionForm form{
        "bench.example/log",        "GB", {"facebook", "instagram"}, {"train-genai"}, "en-GB", 1764131712,
        "user:" + std::to_string(i)};
    out[i] = make_objection(form).value();
    return Ok{};
  });
  std::vector<Objection> result;
  result.reserve(n);
  for (auto& o : out) result.push_back(std::move(*o));
  return result;
}

NoteSigner log_key() { return generate_signer("bench.example/log").value(); }

int write_export(const std::string& dir, std::uint64_t n) {
  auto all = objections(n);
  auto key = log_key();
  std::string entries, openings;
  CompactTree tree;
  for (std::uint64_t i = 0; i < n; ++i) {
    auto bytes = entry_bytes(all[i].entry);
    tree.append(leaf_hash(as_bytes(bytes)));
    entries += bytes + "\n";
    openings += format_export_opening(i, all[i].opening) + "\n";
  }
  if (!native::make_dir(dir).ok()) return 2;
  auto ok =
      native::write_file(std::filesystem::path(dir) / "entries.jsonl", entries).ok() &&
      native::write_file(std::filesystem::path(dir) / "openings.jsonl", openings).ok() &&
      native::write_file(std::filesystem::path(dir) / "checkpoint",
                         sign_checkpoint({key.name, n, tree.root(), {}}, key))
          .ok() &&
      native::write_file(std::filesystem::path(dir) / "log.vkey", format_verifier_key(verifier_of(key)) + "\n").ok();
  return ok ? 0 : 2;
}

int write_receipts(const std::string& file, std::uint64_t n) {
  auto all = objections(n);
  auto key = log_key();
  MemoryTree tree;
  for (const auto& o : all) tree.append(entry_leaf_hash(o.entry));
  auto note = sign_checkpoint({key.name, n, tree.root(), {}}, key);
  std::string out;
  for (std::uint64_t i = 0; i < n; ++i) {
    TlogProof p{std::nullopt, i, inclusion_proof(tree.reader(), i, n).value(), note};
    out += serialize(make_receipt(std::move(all[i]), format_tlog_proof(p))) + "\n";
  }
  auto ok = native::write_file(file, out).ok() &&
            native::write_file(file + ".vkey", format_verifier_key(verifier_of(key)) + "\n").ok();
  return ok ? 0 : 2;
}

int write_manifest(const std::string& export_dir, const std::string& file, std::uint64_t accounts,
                   std::uint64_t objectors) {
  auto note = native::read_file(std::filesystem::path(export_dir) / "checkpoint");
  if (!note) return 2;
  auto c = parse_checkpoint_text(parse_note(*note).value().text).value();
  std::string out = "objector-training-manifest/v1\norigin " + c.origin + "\nsize " + std::to_string(c.size) +
                    "\nroot " + base64_encode(c.root) + "\n\n";
  out.reserve(out.size() + accounts * 20);
  for (std::uint64_t i = 0; i < accounts; ++i) {
    // Objector accounts are user:<index>; the others never objected.
    out += i < objectors ? "user:" + std::to_string(i * 7 % c.size) + "\n" : "member:" + std::to_string(i) + "\n";
  }
  return native::write_file(file, out).ok() ? 0 : 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (!init_crypto() || argc < 2) return 2;
  auto args = native::parse_args(argc, argv, 2, {"out", "count", "export", "accounts", "objectors"}, {});
  if (!args) return 2;
  std::string mode = argv[1];
  auto number = [&](const char* name, const char* fallback) {
    return native::parse_count(args->get(name, fallback), name).value();
  };
  if (mode == "export") return write_export(args->get("out"), number("count", "1000"));
  if (mode == "receipts") return write_receipts(args->get("out"), number("count", "1000"));
  if (mode == "manifest") {
    return write_manifest(args->get("export"), args->get("out"), number("accounts", "1000"), number("objectors", "0"));
  }
  std::fprintf(stderr, "usage: objector-bench-data export|receipts|manifest ... (see the source)\n");
  return 2;
}
