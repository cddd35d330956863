// Real objector-witness servers for a test's log, and an intake configured
// to ask them (intake_witness, intake_nodes).
#pragma once

#include <memory>
#include <string>

#include "tests/support/intake_fixture.hpp"

namespace objector::test {

// A witness (init, add-log for `log`, serve on a free port). stop() kills
// it (-9); start() brings it back on the same state and port.
struct LogWitness {
  TempDir dir;
  std::string vkey;
  std::unique_ptr<WitnessServer> server;
  unsigned short port = 0;

  LogWitness(const std::string& name, const IntakeData& log);
  void start();
  void stop();
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port); }
  // The tree size of the log's checkpoint it last cosigned.
  std::uint64_t cosigned_size() const;
};

// Points `data`'s intake (config.json, with policy.txt beside it) at the two
// witnesses, answering once `quorum` ("all" or "any") of them cosigned;
// returns the policy's text.
std::string use_witnesses(const IntakeData& data, const LogWitness& w1, const LogWitness& w2, const std::string& quorum,
                          int timeout_ms = 1500, int refresh_s = 60);

// The note `data`'s store holds for the checkpoint of `size` (empty when it
// has none); read beside a running intake.
std::string stored_note(const IntakeData& data, std::uint64_t size);

}  // namespace objector::test
