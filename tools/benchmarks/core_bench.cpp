// Native micro-benchmarks of core, reported as ratios of the machine's
// ceilings measured in the same run (libsodium's raw SHA-256 and Ed25519
// verify), each the median of several runs. Run through tools/bench.
//
//   objector-bench [--quick] [--json]
//   objector-bench --verify-ceiling    Ed25519 verifies/s on all cores, and the receipt ceiling, as JSON
#include <sodium.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "core/api.hpp"
#include "core/crypto/sodium.hpp"
#include "core/tlog/merkle.hpp"
#include "core/tlog/note_key.hpp"
#include "core/tlog/signed_checkpoint.hpp"
#include "native/common/parallel.hpp"

using namespace objector;
using Clock = std::chrono::steady_clock;

namespace {

bool quick = false;

// Median over `runs` of the rate (operations per second) of `body`, which
// performs `ops` operations per call.
double median_rate(int runs, double ops, const std::function<void()>& body) {
  std::vector<double> rates;
  for (int i = 0; i < runs; ++i) {
    auto t0 = Clock::now();
    body();
    double s = std::chrono::duration<double>(Clock::now() - t0).count();
    rates.push_back(ops / s);
  }
  std::sort(rates.begin(), rates.end());
  return rates[rates.size() / 2];
}

volatile std::uint8_t sink;

double sha256_ceiling() {
  const int n = quick ? 200000 : 2000000;
  std::array<std::uint8_t, 65> in{};
  std::array<std::uint8_t, 32> out{};
  return median_rate(7, n, [&] {
    for (int i = 0; i < n; ++i) {
      in[1] = static_cast<std::uint8_t>(i);
      crypto_hash_sha256(out.data(), in.data(), in.size());
      in[2] ^= out[0];
    }
    sink = in[2];
  });
}

struct SignedMessage {
  std::array<std::uint8_t, 32> pk{};
  std::array<std::uint8_t, 64> sig{};
  std::string message;
};

double verify_ceiling(const SignedMessage& m) {
  const int n = quick ? 2000 : 20000;
  return median_rate(7, n, [&] {
    int ok = 0;
    for (int i = 0; i < n; ++i) {
      ok += crypto_sign_verify_detached(m.sig.data(), reinterpret_cast<const std::uint8_t*>(m.message.data()),
                                        m.message.size(), m.pk.data()) == 0;
    }
    sink = static_cast<std::uint8_t>(ok);
  });
}

// Ed25519 verifies per second on `threads` cores at once (the intake's ceiling).
double verify_ceiling_all_cores(const SignedMessage& m, unsigned threads) {
  const int n = quick ? 2000 : 20000;
  return median_rate(5, static_cast<double>(n) * threads, [&] {
    native::run_threads(threads, [&](unsigned) {
      for (int i = 0; i < n; ++i) {
        if (crypto_sign_verify_detached(m.sig.data(), reinterpret_cast<const std::uint8_t*>(m.message.data()),
                                        m.message.size(), m.pk.data()) != 0) {
          std::abort();
        }
      }
    });
  });
}

// The receipt ceiling on `threads` cores: what a receipt's check cannot do
// without, one statement signature verify plus one seed -> public key
// derivation (the checkpoint's signature is checked once per distinct
// checkpoint, so it is not in the per-receipt cost).
double receipt_ceiling_all_cores(const SignedMessage& m, unsigned threads) {
  const int n = quick ? 2000 : 20000;
  return median_rate(5, static_cast<double>(n) * threads, [&] {
    native::run_threads(threads, [&](unsigned t) {
      std::array<std::uint8_t, 32> seed{}, pk{};
      std::array<std::uint8_t, 64> sk{};
      seed[0] = static_cast<std::uint8_t>(t);
      for (int i = 0; i < n; ++i) {
        seed[1] = static_cast<std::uint8_t>(i);
        crypto_sign_seed_keypair(pk.data(), sk.data(), seed.data());
        if (crypto_sign_verify_detached(m.sig.data(), reinterpret_cast<const std::uint8_t*>(m.message.data()),
                                        m.message.size(), m.pk.data()) != 0) {
          std::abort();
        }
      }
      sodium_memzero(sk.data(), sk.size());
      sink = pk[0];
    });
  });
}

double append_rate() {
  const std::uint64_t n = quick ? 100000 : 1000000;
  std::array<std::uint8_t, 64> entry{};
  return median_rate(5, static_cast<double>(n), [&] {
    CompactTree tree;
    for (std::uint64_t i = 0; i < n; ++i) {
      std::memcpy(entry.data(), &i, sizeof i);
      tree.append(leaf_hash(entry));
    }
    sink = tree.root()[0];
  });
}

// Root from a leaf and its audit path (RFC 9162 §2.1.3.2's walk), to make
// valid proofs for a 2^24-leaf tree without building it.
Hash root_from_path(std::uint64_t index, std::uint64_t size, Hash r, const std::vector<Hash>& path) {
  std::uint64_t fn = index, sn = size - 1;
  for (const auto& p : path) {
    if ((fn & 1) != 0 || fn == sn) {
      r = node_hash(p, r);
      while ((fn & 1) == 0 && fn != 0) fn >>= 1, sn >>= 1;
    } else {
      r = node_hash(r, p);
    }
    fn >>= 1, sn >>= 1;
  }
  return r;
}

double inclusion_rate() {
  const std::uint64_t size = std::uint64_t{1} << 24;
  std::mt19937_64 rng(7);
  struct Case {
    std::uint64_t index;
    Hash leaf, root;
    std::vector<Hash> path;
  };
  std::vector<Case> cases(256);
  for (auto& c : cases) {
    c.index = rng() % size;
    for (auto& b : c.leaf) b = static_cast<std::uint8_t>(rng());
    c.path.resize(24);
    for (auto& h : c.path)
      for (auto& b : h) b = static_cast<std::uint8_t>(rng());
    c.root = root_from_path(c.index, size, c.leaf, c.path);
  }
  const int rounds = quick ? 40 : 400;
  return median_rate(7, rounds * 256.0, [&] {
    int ok = 0;
    for (int r = 0; r < rounds; ++r) {
      for (const auto& c : cases) ok += verify_inclusion(c.index, size, c.leaf, c.path, c.root).ok();
    }
    if (ok != rounds * 256) std::abort();
  });
}

double note_rate(const NoteSigner& log) {
  Checkpoint c{log.name, 123456789, empty_root(), {}};
  auto note_text = sign_checkpoint(c, log);
  auto policy = single_log_policy(verifier_of(log));
  const int n = quick ? 2000 : 20000;
  return median_rate(7, n, [&] {
    int ok = 0;
    for (int i = 0; i < n; ++i) ok += open_checkpoint(note_text, policy).ok();
    if (ok != n) std::abort();
  });
}

double objection_rate() {
  const int n = quick ? 500 : 5000;
  const std::string args =
      R"({"controller":"social.example/ai-training","jurisdiction":"GB","services":["facebook","instagram"],)"
      R"("purposes":["train-genai"],"lang":"en-GB","created":1764131712,"account":"user:1234",)"
      R"("device_seed":"EBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBA=","r":"kJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJA="})";
  return median_rate(7, n, [&] {
    for (int i = 0; i < n; ++i) {
      if (!api::call("make_objection", args).ok) std::abort();
    }
  });
}

}  // namespace

int main(int argc, char** argv) {
  bool as_json = false;
  bool ceiling_only = false;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--verify-ceiling") == 0) ceiling_only = true;
    if (std::strcmp(argv[i], "--quick") == 0) quick = true;
    if (std::strcmp(argv[i], "--json") == 0) as_json = true;
  }
  if (!init_crypto()) return 2;
  auto log = generate_signer("bench.example/log").value();
  Checkpoint c{log.name, 123456789, empty_root(), {}};
  SignedMessage m;
  m.message = checkpoint_text(c);
  m.pk = log.key.public_key();
  m.sig = log.key.sign(as_bytes(m.message));

  if (ceiling_only) {
    auto threads = native::core_count();
    std::printf("{\"threads\":%u,\"ed25519_verify_per_s\":%.0f,\"receipt_ceiling_per_s\":%.0f}\n", threads,
                verify_ceiling_all_cores(m, threads), receipt_ceiling_all_cores(m, threads));
    return 0;
  }
  double sha = sha256_ceiling();
  double verify = verify_ceiling(m);
  double append = append_rate();
  double inclusion = inclusion_rate();
  double note = note_rate(log);
  double objection = objection_rate();

  if (as_json) {
    std::printf(
        "{\"sha256_per_s\":%.0f,\"ed25519_verify_per_s\":%.0f,\"append_per_s\":%.0f,\"inclusion_verify_per_s\":%.0f,"
        "\"note_verify_per_s\":%.0f,\"make_objection_per_s\":%.0f}\n",
        sha, verify, append, inclusion, note, objection);
    return 0;
  }
  std::printf("ceilings (one core, libsodium)\n");
  std::printf("  SHA-256, 65-byte input        %12.0f /s\n", sha);
  std::printf("  Ed25519 verify                %12.0f /s\n", verify);
  std::printf("core (median of 5-7 runs)                          ratio of ceiling\n");
  std::printf("  tree append (%s leaves)  %12.0f /s   %.2f  (2 hashes per leaf; goal >= 0.80)\n",
              quick ? "100,000  " : "1,000,000", append, append * 2 / sha);
  std::printf("  inclusion verify, 2^24 tree   %12.0f /s   %.2f  (24 hashes per proof)\n", inclusion,
              inclusion * 24 / sha);
  std::printf("  signed-note verify            %12.0f /s   %.2f  (1 signature; goal >= 0.90)\n", note, note / verify);
  std::printf("  make_objection (JSON in/out)  %12.0f /s   %.1f us each\n", objection, 1e6 / objection);
  return 0;
}
