// objector-verify note, proof and consistency: one document each.
#include "core/encoding/base64.hpp"
#include "core/objection/entry.hpp"
#include "core/tlog/merkle.hpp"
#include "core/tlog/signed_checkpoint.hpp"
#include "core/tlog/tiles.hpp"
#include "core/tlog/tlog_proof.hpp"
#include "native/common/files.hpp"
#include "native/verify/commands.hpp"
#include "native/verify/output.hpp"

namespace objector::verify {
namespace {

Error usage(std::string message) { return make_error(errc::usage, std::move(message)); }

Result<std::vector<VerifierKey>> keys_of(const std::vector<std::string>& texts) {
  std::vector<VerifierKey> keys;
  for (const auto& k : texts) {
    auto key = parse_verifier_key(k);
    if (!key) return std::move(key).error().at("--key");
    keys.push_back(std::move(*key));
  }
  return keys;
}

// The leaf hash given as --entry FILE (the entry's JSON) or --leaf-hash B64.
Result<Hash> leaf_of(const native::Args& args) {
  if (args.has("leaf-hash")) {
    auto h = base64_decode_fixed<32>(args.get("leaf-hash"));
    if (!h) return std::move(h).error().at("--leaf-hash");
    return *h;
  }
  const auto file = args.get("entry");
  OBJECTOR_TRY(auto text, native::read_file(file, std::size_t{64} * 1024));
  JsonDocument doc;
  auto j = doc.parse(text);
  if (!j) return std::move(j).error().at(file);
  auto entry = entry_from_json(*j);
  if (!entry) return std::move(entry).error().at(file);
  return entry_leaf_hash(*entry);
}

// A local tile mirror as a HashReader for a tree of `size`.
HashReader mirror_reader(const std::filesystem::path& dir, std::uint64_t size) {
  return tile_hash_reader(
      [dir](const TileAddress& t) -> Result<Bytes> {
        auto text = native::read_file(dir / tile_path(t), 1 << 20);
        if (!text) {
          return make_error(errc::missing_tile, text.error().message + " (hint: run objector-verify mirror first)");
        }
        return Bytes(text->begin(), text->end());
      },
      size);
}

}  // namespace

int cmd_note(const native::Args& args) {
  if (args.positional.size() != 1 || args.all("key").empty())
    return report(usage("note needs --key VKEY and one FILE"));
  auto keys = keys_of(args.all("key"));
  if (!keys) return report(keys.error());
  const auto& file = args.positional[0];
  auto text = native::read_file(file, 1 << 20);
  if (!text) return report(text.error());
  auto note = parse_note(*text);
  if (!note) return report(note.error(), file);
  auto verified = verify_note(*note, *keys);
  if (!verified) return report(verified.error(), file);
  json signers = json::array();
  for (const auto& v : *verified) signers.push_back(format_verifier_key(v.key));
  return print_report(args, {{{"ok", true}, {"text", note->text}, {"signers", signers}}, note->text});
}

int cmd_proof(const native::Args& args) {
  if (args.positional.size() != 1 || args.has("entry") == args.has("leaf-hash")) {
    return report(usage("proof needs one PROOF file and either --entry FILE or --leaf-hash B64"));
  }
  auto policy = load_trust(args);
  if (!policy) return report(policy.error());
  auto leaf = leaf_of(args);
  if (!leaf) return report(leaf.error());
  const auto& file = args.positional[0];
  auto text = native::read_file(file, 1 << 20);
  if (!text) return report(text.error());
  auto proof = parse_tlog_proof(*text);
  if (!proof) return report(proof.error(), file);
  auto v = verify_tlog_proof(*proof, *leaf, *policy);
  if (!v) return report(v.error(), file);
  const auto& c = v->checkpoint;
  return print_report(
      args, {{{"ok", true}, {"index", proof->index}, {"leaf_hash", base64_encode(*leaf)}, {"checkpoint", to_json(c)}},
             file + ": verified: entry " + std::to_string(proof->index) + " is in " + c.origin + " at tree size " +
                 std::to_string(c.size) + "\n"});
}

// Two checkpoints of one log, from anywhere (the log's /checkpoint, a
// witness's, an old export): the same size must have the same root, and the
// smaller must be a prefix of the larger (proved from a tile mirror). Only
// the log's signature is required: two checkpoints it signed that disagree
// prove a split view, whoever cosigned them.
int cmd_consistency(const native::Args& args) {
  if (args.positional.size() != 2) return report(usage("consistency needs two checkpoint files"));
  auto policy = load_trust(args);
  if (!policy) return report(policy.error());
  policy->quorum = "none";  // each source carries its own witnesses' cosignatures
  std::vector<Checkpoint> cps;
  for (const auto& file : args.positional) {
    auto text = native::read_file(file, 1 << 20);
    if (!text) return report(text.error());
    auto v = open_checkpoint(*text, *policy);
    if (!v) return report(v.error(), file);
    cps.push_back(v->checkpoint);
  }
  if (cps[0].origin != cps[1].origin) {
    return report(make_error(errc::wrong_log, "the two checkpoints are from different logs"));
  }
  if (cps[0].size == cps[1].size) {
    if (cps[0].root != cps[1].root) {
      return report(make_error(errc::not_consistent, "SPLIT VIEW: the log signed two different trees of size " +
                                                         std::to_string(cps[0].size) +
                                                         " (keep both files: the log's signatures prove it)"));
    }
    return print_report(
        args, {{{"ok", true}, {"old", to_json(cps[0])}, {"new", to_json(cps[1])}, {"proof", json::array()}},
               "verified: both checkpoints are " + cps[0].origin + " at tree size " + std::to_string(cps[0].size) +
                   " with the same root\n"});
  }
  if (cps[0].size > cps[1].size) std::swap(cps[0], cps[1]);
  const auto& old_cp = cps[0];
  const auto& new_cp = cps[1];
  if (!args.has("tiles")) {
    return report(usage("checkpoints of different sizes need --tiles DIR (objector-verify mirror) for the proof"));
  }
  std::filesystem::path dir = args.get("tiles");
  auto nodes = mirror_reader(dir, new_cp.size);
  auto root = tree_root(nodes, new_cp.size);
  if (!root) return report(root.error());
  if (*root != new_cp.root) {
    return report(make_error(errc::root_mismatch, "the tiles in " + dir.string() + " do not lead to the root at size " +
                                                      std::to_string(new_cp.size) + " (hint: mirror again)"));
  }
  std::vector<Hash> proof;
  if (old_cp.size == 0 && old_cp.root != empty_root()) {
    return report(make_error(errc::not_consistent, "a checkpoint of size 0 with a root that is not the empty tree's"));
  }
  if (old_cp.size > 0) {
    auto p = consistency_proof(nodes, old_cp.size, new_cp.size);
    if (!p) return report(p.error());
    proof = std::move(*p);
    if (auto ok = verify_consistency(old_cp.size, new_cp.size, proof, old_cp.root, new_cp.root); !ok) {
      return report(make_error(errc::not_consistent, "SPLIT VIEW: the checkpoint at size " +
                                                         std::to_string(new_cp.size) +
                                                         " does not extend the one at size " +
                                                         std::to_string(old_cp.size) + ": " + ok.error().message));
    }
  }
  json hashes = json::array();
  for (const auto& h : proof) hashes.push_back(base64_encode(h));
  return print_report(
      args, {{{"ok", true}, {"old", to_json(old_cp)}, {"new", to_json(new_cp)}, {"proof", hashes}},
             "verified: " + new_cp.origin + " at tree size " + std::to_string(new_cp.size) + " extends tree size " +
                 std::to_string(old_cp.size) + " (" + std::to_string(proof.size()) + " proof hashes)\n"});
}

}  // namespace objector::verify
