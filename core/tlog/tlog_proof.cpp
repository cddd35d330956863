#include "core/tlog/tlog_proof.hpp"

#include "core/encoding/base64.hpp"
#include "core/encoding/decimal.hpp"
#include "core/tlog/merkle.hpp"

namespace objector {

Result<TlogProof> parse_tlog_proof(std::string_view text) {
  std::size_t number = 0;
  auto bad = [&](const std::string& m) {
    return make_error(errc::bad_proof_format, "tlog-proof line " + std::to_string(number) + ": " + m);
  };
  auto next_line = [&](std::string_view& line) {
    auto eol = text.find('\n');
    if (eol == std::string_view::npos) return false;
    line = text.substr(0, eol);
    text.remove_prefix(eol + 1);
    ++number;
    return true;
  };
  std::string_view line;
  if (!next_line(line) || line != kTlogProofHeader) return bad("must be \"c2sp.org/tlog-proof@v1\"");
  TlogProof p;
  if (!next_line(line)) return bad("missing index line");
  if (line.substr(0, 6) == "extra ") {
    auto extra = base64_decode(line.substr(6));
    if (!extra) return bad("extra data: " + extra.error().message);
    p.extra = std::move(*extra);
    if (!next_line(line)) return bad("missing index line");
  }
  if (line.substr(0, 6) != "index ") return bad("expected \"index <N>\"");
  auto index = parse_decimal(line.substr(6), "index");
  if (!index) return bad(index.error().message);
  p.index = *index;
  while (true) {
    if (!next_line(line)) return bad("missing blank line before the checkpoint");
    if (line.empty()) break;
    if (p.hashes.size() == 64) return bad("more than 64 proof hashes");
    auto h = base64_decode_fixed<32>(line);
    if (!h) return bad("proof hash: " + h.error().message);
    p.hashes.push_back(*h);
  }
  if (text.empty()) return bad("missing checkpoint");
  p.checkpoint = std::string(text);
  return p;
}

std::string format_tlog_proof(const TlogProof& proof) {
  std::string out = std::string(kTlogProofHeader) + "\n";
  if (proof.extra) out += "extra " + base64_encode(*proof.extra) + "\n";
  out += "index " + std::to_string(proof.index) + "\n";
  for (const auto& h : proof.hashes) out += base64_encode(h) + "\n";
  return out + "\n" + proof.checkpoint;
}

Result<VerifiedCheckpoint> verify_tlog_proof(const TlogProof& proof, const Hash& leaf, const Policy& policy) {
  OBJECTOR_TRY(auto checkpoint, open_checkpoint(proof.checkpoint, policy));
  const auto& c = checkpoint.checkpoint;
  OBJECTOR_RETURN_IF_ERROR(verify_inclusion(proof.index, c.size, leaf, proof.hashes, c.root));
  return checkpoint;
}

}  // namespace objector
