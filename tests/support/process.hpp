// Running the real binaries from tests: a command with captured output, and
// an objector-intake server on a free loopback port.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace objector::test {

std::string intake_bin();
std::string witness_bin();
std::string loadgen_bin();
std::string verify_bin();

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `argv` to completion; `input` goes to its standard input.
CommandResult run(const std::vector<std::string>& argv, const std::string& input = {});

// A fresh temporary folder, removed when the object goes.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// A server binary run as `<binary> serve --dir dir --listen 127.0.0.1:port`
// (port 0: any free one), started once it logs that it listens.
class ServerProcess {
 public:
  ServerProcess(const std::string& binary, std::filesystem::path dir, std::vector<std::string> extra = {},
                unsigned short port = 0);
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;

  unsigned short port() const { return port_; }
  bool running() const { return pid_ > 0; }
  void kill(int signal);
  int wait();  // exit code, or 128 + signal
  std::string log() const;

 private:
  std::filesystem::path dir_;
  pid_t pid_ = -1;
  unsigned short port_ = 0;
};

// objector-intake serve; `extra` adds arguments (--web, --demo).
class IntakeServer : public ServerProcess {
 public:
  explicit IntakeServer(std::filesystem::path dir, std::vector<std::string> extra = {}, unsigned short port = 0)
      : ServerProcess(intake_bin(), std::move(dir), std::move(extra), port) {}
};

class WitnessServer : public ServerProcess {
 public:
  // Without a rate limit unless `extra` sets one.
  explicit WitnessServer(std::filesystem::path dir, unsigned short port = 0,
                         std::vector<std::string> extra = {"--rate", "0"})
      : ServerProcess(witness_bin(), std::move(dir), std::move(extra), port) {}
};

}  // namespace objector::test
