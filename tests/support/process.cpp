#include "tests/support/process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace objector::test {
namespace {

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

pid_t spawn(const std::vector<std::string>& argv, const std::string& in, const std::string& out,
            const std::string& err) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, in.c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  if (posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ) != 0) pid = -1;
  posix_spawn_file_actions_destroy(&actions);
  return pid;
}

int exit_code(int status) { return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status); }

}  // namespace

TempDir::TempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "objector-test-XXXXXX").string();
  if (mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

CommandResult run(const std::vector<std::string>& argv, const std::string& input) {
  TempDir io;
  auto in = io.path() / "in", out = io.path() / "out", err = io.path() / "err";
  std::ofstream(in, std::ios::binary) << input;
  pid_t pid = spawn(argv, in, out, err);
  if (pid < 0) throw std::runtime_error("cannot run " + argv[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  return {exit_code(status), slurp(out), slurp(err)};
}

ServerProcess::ServerProcess(const std::string& binary, std::filesystem::path dir, std::vector<std::string> extra,
                             unsigned short port)
    : dir_(std::move(dir)) {
  std::vector<std::string> argv{binary,        "serve",    "--dir",
                                dir_.string(), "--listen", "127.0.0.1:" + std::to_string(port)};
  argv.insert(argv.end(), extra.begin(), extra.end());
  pid_ = spawn(argv, "/dev/null", (dir_ / "serve.out").string(), (dir_ / "serve.log").string());
  if (pid_ < 0) throw std::runtime_error("cannot start " + binary);
  std::regex listening("event=listening address=127\\.0\\.0\\.1:([0-9]+)");
  for (int i = 0; i < 600 && port_ == 0; ++i) {
    std::smatch m;
    auto text = log();
    if (std::regex_search(text, m, listening)) port_ = static_cast<unsigned short>(std::stoi(m[1]));
    if (port_ == 0) std::this_thread::sleep_for(std::chrono::milliseconds(25));
    int status = 0;
    if (port_ == 0 && waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error(binary + " exited: " + log());
    }
  }
  if (port_ == 0) throw std::runtime_error(binary + " did not start: " + log());
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    wait();
  }
}

void ServerProcess::kill(int signal) {
  if (pid_ > 0) ::kill(pid_, signal);
}

int ServerProcess::wait() {
  if (pid_ <= 0) return -1;
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return exit_code(status);
}

std::string ServerProcess::log() const { return slurp(dir_ / "serve.log"); }

std::string intake_bin() { return OBJECTOR_INTAKE_BIN; }
std::string loadgen_bin() { return OBJECTOR_LOADGEN_BIN; }
std::string verify_bin() { return OBJECTOR_VERIFY_BIN; }
std::string witness_bin() { return OBJECTOR_WITNESS_BIN; }

}  // namespace objector::test
