// Running the real binaries from tests: a command with captured output, and
// an objector-intake server on a free loopback port.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace objector::test {

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

class IntakeServer {
 public:
  // Starts `objector-intake serve --dir dir --listen 127.0.0.1:0` and waits
  // until it listens. `extra` adds arguments (--web, --demo).
  explicit IntakeServer(std::filesystem::path dir, std::vector<std::string> extra = {});
  ~IntakeServer();
  IntakeServer(const IntakeServer&) = delete;

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

std::string intake_bin();
std::string loadgen_bin();
std::string verify_bin();

}  // namespace objector::test
