// objector-verify authorship: does a proof answer the auditor's challenge with
// the device key of a logged objection? The receipt may be public: the device
// seed and the opening are not needed, and not shown.
#include "core/objection/authorship.hpp"

#include "core/encoding/base64.hpp"
#include "native/common/files.hpp"
#include "native/verify/commands.hpp"
#include "native/verify/output.hpp"

namespace objector::verify {

int cmd_authorship(const native::Args& args) {
  if (args.positional.size() != 2) {
    return report(make_error(errc::usage, "authorship needs PROOF and RECEIPT (two files)"));
  }
  if (!args.has("challenge")) {
    return report(make_error(errc::usage, "authorship needs --challenge, the text the person was asked to sign"));
  }
  const auto& challenge = args.get("challenge");
  auto policy = load_trust(args);
  if (!policy) return report(policy.error());
  const auto& proof_file = args.positional[0];
  const auto& receipt_file = args.positional[1];
  auto proof_text = native::read_file(proof_file, std::size_t{64} * 1024);
  if (!proof_text) return report(proof_text.error());
  auto proof = parse_authorship(*proof_text);
  if (!proof) return report(proof.error(), proof_file);
  auto receipt_text = native::read_file(receipt_file, kMaxReceiptBytes);
  if (!receipt_text) return report(receipt_text.error());
  JsonDocument doc;
  auto value = parse_receipt_json(doc, *receipt_text);
  if (!value) {
    wipe(*receipt_text);
    return report(value.error(), receipt_file);
  }
  auto receipt = public_part_from_json(*value);
  wipe(*receipt_text);
  if (!receipt) return report(receipt.error(), receipt_file);
  auto checked = verify_public_receipt(*receipt, *policy);
  if (!checked) return report(checked.error(), receipt_file);
  if (auto ok = verify_authorship(*proof, receipt->entry, challenge); !ok) return report(ok.error(), proof_file);

  const auto& c = checked->checkpoint.checkpoint;
  Report out;
  out.data = {{"ok", true},
              {"index", checked->index},
              {"leaf_hash", base64_encode(checked->leaf_hash)},
              {"challenge", challenge},
              {"checkpoint", to_json(c)}};
  out.text = "verified: the device key of objection " + std::to_string(checked->index) + " in " + c.origin +
             " (tree size " + std::to_string(c.size) +
             ") signed the challenge: whoever made this proof holds the receipt that made the objection\n";
  return print_report(args, out);
}

}  // namespace objector::verify
