// objector-verify: the auditor's offline verifier. See usage() and docs/AUDIT.md.
#include <cstdio>
#include <map>

#include "core/crypto/sodium.hpp"
#include "native/verify/commands.hpp"
#include "native/verify/output.hpp"

using namespace objector;

namespace {

struct Command {
  int (*run)(const native::Args&);
  const char* usage;
};

const std::map<std::string, Command, std::less<>> kCommands{
    {"receipt",
     {verify::cmd_receipt,
      "objector-verify receipt --log-key VKEY [--policy FILE] [--json] RECEIPT...\n"
      "  Checks receipts: statement signature, device seed, opening, inclusion proof, checkpoint signature and\n"
      "  witness policy. RECEIPT is a file, a folder (every .json and .jsonl in it) or - for standard input;\n"
      "  JSONL holds one receipt per line. Many receipts are checked in parallel on all cores. A public\n"
      "  receipt (no seed, no opening) is checked for its signature and inclusion only.\n"
      "  example: objector-verify receipt --log-key log.vkey objection-receipt-2026-11-26.json\n"}},
    {"note",
     {verify::cmd_note,
      "objector-verify note --key VKEY [--key VKEY...] [--json] FILE\n"
      "  Verifies a C2SP signed note and prints its text.\n"
      "  example: objector-verify note --key \"$(cat log.vkey)\" checkpoint\n"}},
    {"proof",
     {verify::cmd_proof,
      "objector-verify proof --log-key VKEY [--policy FILE] (--entry FILE | --leaf-hash B64) [--json] PROOF\n"
      "  Verifies a c2sp.org/tlog-proof for an entry (its JSON) or a leaf hash.\n"
      "  example: objector-verify proof --log-key log.vkey --entry entry.json entry.tlog-proof\n"}},
    {"consistency",
     {verify::cmd_consistency,
      "objector-verify consistency (--log-key VKEY | --policy FILE) [--tiles DIR] [--json] CHECKPOINT CHECKPOINT\n"
      "  Checks that two checkpoints of the log, from any two sources (the log, a witness's monitoring\n"
      "  endpoint, an old export), show one history: equal sizes need equal roots, and the smaller must be\n"
      "  a prefix of the larger, proved from a tile mirror (--tiles). A pair the log signed that disagrees\n"
      "  is a split view (exit 1).\n"
      "  example: objector-verify consistency --log-key log.vkey --tiles mirror witness-checkpoint "
      "mirror/checkpoint\n"}},
    {"mirror",
     {verify::cmd_mirror,
      "objector-verify mirror --log-key VKEY [--timeout 60] [--connect-timeout 10] URL DIR\n"
      "  The one online command: downloads the log's checkpoint, tiles and entry bundles into DIR, resuming\n"
      "  and verifying as it goes. Each answer must arrive within --timeout seconds and fit its size; a\n"
      "  checkpoint that contradicts its tiles or the one mirrored before is kept in DIR/evidence/ (exit 1).\n"
      "  example: objector-verify mirror --log-key log.vkey http://127.0.0.1:8080 mirror\n"}},
    {"authorship",
     {verify::cmd_authorship,
      "objector-verify authorship --log-key VKEY [--policy FILE] --challenge TEXT [--json] PROOF RECEIPT\n"
      "  Checks that PROOF (objection-authorship/v1) answers TEXT with the device key of the objection in\n"
      "  RECEIPT (public or full), and that the objection is in the log. Ask the person for a proof of a\n"
      "  challenge you chose; they answer it in the widget's check mode without giving you their receipt.\n"
      "  example: objector-verify authorship --log-key log.vkey --challenge \"case 2026-114\" proof.json "
      "receipt.json\n"}},
    {"audit",
     {verify::cmd_audit,
      "objector-verify audit (--log-key VKEY | --policy FILE) --export DIR [--manifest FILE [--max-lag 24h]] [--json]\n"
      "  Rebuilds the tree of an intake export and matches the signed checkpoint, verifies every statement\n"
      "  and opening, and counts the excluded accounts. With a training manifest, proves its checkpoint is\n"
      "  in the log and lists every account that objected before it yet is in the manifest (exit 1), and\n"
      "  those that objected after it (warnings). With --policy, the witnesses date the log: the quorum\n"
      "  must have cosigned the manifest's checkpoint no earlier than --max-lag before the run started.\n"
      "  example: objector-verify audit --policy policy --export export --manifest run-42.manifest\n"}},
};

void usage(FILE* out) {
  std::fputs("Usage:\n", out);
  for (const auto& [name, c] : kCommands)
    std::fprintf(out, "  %.*s", static_cast<int>(std::string_view(c.usage).find('\n') + 1), c.usage);
  std::fputs(
      "\nobjector-verify COMMAND --help shows what a command checks, with an example.\n"
      "Exit status: 0 verified, 1 verification failed, 2 usage, I/O or format error.\n",
      out);
}

}  // namespace

namespace {

int run(int argc, char** argv) {
  if (!init_crypto()) return verify::report(make_error(errc::init, "libsodium failed to initialise"));
  if (argc < 2 || std::string_view(argv[1]) == "--help" || std::string_view(argv[1]) == "-h") {
    usage(argc < 2 ? stderr : stdout);
    return argc < 2 ? native::kExitUsage : native::kExitOk;
  }
  auto it = kCommands.find(std::string_view(argv[1]));
  if (it == kCommands.end()) {
    std::fprintf(stderr, "objector-verify: unknown command \"%s\"\n\n", argv[1]);
    usage(stderr);
    return native::kExitUsage;
  }
  auto args = native::parse_args(argc, argv, 2,
                                 {"log-key", "policy", "key", "entry", "leaf-hash", "tiles", "export", "manifest",
                                  "timeout", "connect-timeout", "challenge", "max-lag"},
                                 {"json", "help"});
  if (!args) {
    std::fprintf(stderr, "objector-verify: %s\n\nUsage:\n  %s", args.error().message.c_str(), it->second.usage);
    return native::kExitUsage;
  }
  if (args->has("help")) {
    std::printf("Usage:\n  %s", it->second.usage);
    return native::kExitOk;
  }
  return it->second.run(*args);
}

}  // namespace

int main(int argc, char** argv) { return objector::native::guarded_main("objector-verify", run, argc, argv); }
