// objector-witness's add-checkpoint on one core, in process (no HTTP): a log
// growing by one entry per request, each checked (log signature, consistency
// proof), cosigned and stored durably (SQLite, synchronous=FULL) before the
// next. Reported against the one-core ceiling of the signature work alone
// (one Ed25519 verify + one sign), medians of five runs. Run through tools/bench.
//
//   objector-witness-bench [--quick]     prints JSON
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <vector>

#include "core/crypto/sodium.hpp"
#include "core/tlog/merkle.hpp"
#include "core/tlog/signed_checkpoint.hpp"
#include "core/tlog/witness_request.hpp"
#include "native/witness/add_checkpoint.hpp"

using namespace objector;
using Clock = std::chrono::steady_clock;

namespace {

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  const bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
  if (!init_crypto()) return 2;
  const int n = quick ? 200 : 1000;
  auto log = generate_signer("bench.example/log").value();
  auto witness = generate_signer("bench.example/witness", KeyType::cosignature).value();

  // The requests, made beforehand: old k -> k + 1 with its proof.
  MemoryTree tree;
  std::vector<std::string> requests;
  tree.append(leaf_hash(as_bytes(std::string("entry 0"))));
  requests.push_back(format_add_checkpoint({0, {}, sign_checkpoint({log.name, 1, tree.root(), {}}, log)}));
  for (int k = 1; k < n; ++k) {
    tree.append(leaf_hash(as_bytes("entry " + std::to_string(k))));
    auto size = static_cast<std::uint64_t>(k + 1);
    auto proof = consistency_proof(tree.reader(), size - 1, size).value();
    requests.push_back(
        format_add_checkpoint({size - 1, proof, sign_checkpoint({log.name, size, tree.root(), {}}, log)}));
  }

  std::vector<double> rates;
  for (int run = 0; run < 5; ++run) {
    auto dir = std::filesystem::temp_directory_path() / ("objector-witness-bench-" + std::to_string(run));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    auto state = witness::WitnessState::open(dir / "w.sqlite", true).value();
    if (!state.add_log(verifier_of(log)).ok()) return 1;
    auto t0 = Clock::now();
    for (const auto& r : requests) {
      if (witness::add_checkpoint(state, witness, r, 1).status != 200) return 1;
    }
    rates.push_back(n / std::chrono::duration<double>(Clock::now() - t0).count());
    std::filesystem::remove_all(dir);
  }

  // The ceiling: the same signature work and nothing else.
  auto note = parse_note(requests.back().substr(requests.back().find("\n\n") + 2)).value();
  const VerifierKey keys[] = {verifier_of(log)};
  std::vector<double> ceilings;
  for (int run = 0; run < 5; ++run) {
    auto t0 = Clock::now();
    for (int i = 0; i < n; ++i) {
      if (!verify_note(note, keys).ok()) return 1;
      auto s = sign_note_text(note.text, witness, static_cast<std::uint64_t>(i));
      if (s.signature.empty()) return 1;
    }
    ceilings.push_back(n / std::chrono::duration<double>(Clock::now() - t0).count());
  }
  std::printf("{\"add_checkpoint_per_s\":%.0f,\"sign_verify_ceiling_per_s\":%.0f}\n", median(rates), median(ceilings));
  return 0;
}
