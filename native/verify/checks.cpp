// objector-verify note, proof and consistency: one document each.
#include <cstdio>

#include "core/base64.hpp"
#include "core/entry.hpp"
#include "core/jcs.hpp"
#include "core/merkle.hpp"
#include "core/tiles.hpp"
#include "core/tlog_proof.hpp"
#include "native/common/files.hpp"
#include "native/verify/commands.hpp"

namespace objector::verify {
namespace {

int fail(const std::string& where, const Error& e) {
  return report_error(where + ": " + e.message, is_format_error(e.code) ? 2 : 1);
}

json checkpoint_json(const Checkpoint& c) {
  return {{"origin", c.origin}, {"size", c.size}, {"root", base64_encode(c.root)}};
}

}  // namespace

int cmd_note(const native::Args& args) {
  if (args.positional.size() != 1 || args.all("key").empty())
    return report_error("note needs --key VKEY and one FILE", 2);
  std::vector<VerifierKey> keys;
  for (const auto& k : args.all("key")) {
    auto key = parse_verifier_key(k);
    if (!key) return report_error("--key: " + key.error().message, 2);
    keys.push_back(std::move(*key));
  }
  const auto& file = args.positional[0];
  auto text = native::read_file(file, 1 << 20);
  if (!text) return report_error(text.error().message, 2);
  auto note = parse_note(*text);
  if (!note) return fail(file, note.error());
  auto verified = verify_note(*note, keys);
  if (!verified) return fail(file, verified.error());
  if (args.has("json")) {
    json signers = json::array();
    for (const auto& v : *verified) signers.push_back(format_verifier_key(v.key));
    std::printf("%s\n", canonicalize(json{{"ok", true}, {"text", note->text}, {"signers", signers}}).value().c_str());
  } else {
    std::fputs(note->text.c_str(), stdout);
  }
  return 0;
}

int cmd_proof(const native::Args& args) {
  if (args.positional.size() != 1 || args.has("entry") == args.has("leaf-hash")) {
    return report_error("proof needs one PROOF file and either --entry FILE or --leaf-hash B64", 2);
  }
  auto policy = load_trust(args);
  if (!policy) return report_error(policy.error().message, 2);
  Hash leaf{};
  if (args.has("entry")) {
    auto text = native::read_file(args.get("entry"), std::size_t{64} * 1024);
    if (!text) return report_error(text.error().message, 2);
    auto j = parse_json(*text);
    if (!j) return fail(args.get("entry"), j.error());
    auto entry = entry_from_json(*j);
    if (!entry) return fail(args.get("entry"), entry.error());
    leaf = entry_leaf_hash(*entry);
  } else {
    auto h = base64_decode_fixed<32>(args.get("leaf-hash"));
    if (!h) return report_error("--leaf-hash: " + h.error().message, 2);
    leaf = *h;
  }
  const auto& file = args.positional[0];
  auto text = native::read_file(file, 1 << 20);
  if (!text) return report_error(text.error().message, 2);
  auto proof = parse_tlog_proof(*text);
  if (!proof) return fail(file, proof.error());
  auto v = verify_tlog_proof(*proof, leaf, *policy);
  if (!v) return fail(file, v.error());
  if (args.has("json")) {
    std::printf("%s\n", canonicalize(json{{"ok", true},
                                          {"index", proof->index},
                                          {"leaf_hash", base64_encode(leaf)},
                                          {"checkpoint", checkpoint_json(v->checkpoint)}})
                            .value()
                            .c_str());
  } else {
    std::printf("%s: verified: entry %llu is in %s at tree size %llu\n", file.c_str(),
                static_cast<unsigned long long>(proof->index), v->checkpoint.origin.c_str(),
                static_cast<unsigned long long>(v->checkpoint.size));
  }
  return 0;
}

int cmd_consistency(const native::Args& args) {
  if (args.positional.size() != 2 || !args.has("tiles")) {
    return report_error("consistency needs --tiles DIR and two checkpoint files, OLD and NEW", 2);
  }
  auto policy = load_trust(args);
  if (!policy) return report_error(policy.error().message, 2);
  std::vector<Checkpoint> cps;
  for (const auto& file : args.positional) {
    auto text = native::read_file(file, 1 << 20);
    if (!text) return report_error(text.error().message, 2);
    auto v = open_checkpoint(*text, *policy);
    if (!v) return fail(file, v.error());
    cps.push_back(v->checkpoint);
  }
  const auto& old_cp = cps[0];
  const auto& new_cp = cps[1];
  if (old_cp.origin != new_cp.origin) return report_error("the two checkpoints are from different logs", 1);
  if (old_cp.size > new_cp.size) {
    return report_error(
        "OLD (size " + std::to_string(old_cp.size) + ") is larger than NEW (size " + std::to_string(new_cp.size) + ")",
        1);
  }
  std::filesystem::path dir = args.get("tiles");
  auto nodes = tile_node_reader(
      [&](const TileAddress& t) -> Result<Bytes> {
        auto text = native::read_file(dir / tile_path(t), 1 << 20);
        if (!text)
          return make_error("missing_tile", text.error().message + " (hint: run objector-verify mirror first)");
        return Bytes(text->begin(), text->end());
      },
      new_cp.size);
  auto root = tree_root(nodes, new_cp.size);
  if (!root) return report_error(root.error().message, 2);
  if (*root != new_cp.root) {
    return report_error("the tiles in " + dir.string() + " do not lead to NEW's root (hint: mirror again)", 1);
  }
  std::vector<Hash> proof;
  if (old_cp.size > 0) {
    auto p = consistency_proof(nodes, old_cp.size, new_cp.size);
    if (!p) return report_error(p.error().message, 2);
    proof = std::move(*p);
    if (auto ok = verify_consistency(old_cp.size, new_cp.size, proof, old_cp.root, new_cp.root); !ok) {
      return report_error(
          "checkpoint NEW does not extend OLD: " + ok.error().message + " (the log rewrote or dropped entries)", 1);
    }
  }
  if (args.has("json")) {
    json hashes = json::array();
    for (const auto& h : proof) hashes.push_back(base64_encode(h));
    std::printf(
        "%s\n",
        canonicalize(
            json{{"ok", true}, {"old", checkpoint_json(old_cp)}, {"new", checkpoint_json(new_cp)}, {"proof", hashes}})
            .value()
            .c_str());
  } else {
    std::printf("verified: %s at tree size %llu extends tree size %llu (%zu proof hashes)\n", new_cp.origin.c_str(),
                static_cast<unsigned long long>(new_cp.size), static_cast<unsigned long long>(old_cp.size),
                proof.size());
  }
  return 0;
}

}  // namespace objector::verify
