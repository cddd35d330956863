// Command-line conventions shared by objector-intake, objector-verify and the
// load generator (as minisign and age do them): exit 0 ok, 1 verification
// failed, 2 usage or input error; options are "--name value" or "--flag".
// Thread safety: plain values.
#pragma once

#include <cstdio>
#include <map>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace objector::native {

enum Exit : int { kExitOk = 0, kExitFailed = 1, kExitUsage = 2 };

struct Args {
  std::map<std::string, std::vector<std::string>, std::less<>> options;
  std::set<std::string, std::less<>> flags;
  std::vector<std::string> positional;

  bool has(std::string_view name) const { return options.count(name) != 0 || flags.count(name) != 0; }
  // The last value of --name, or `fallback`.
  std::string get(std::string_view name, const std::string& fallback = {}) const;
  const std::vector<std::string>& all(std::string_view name) const;
};

// `with_value` lists the options that take a value, `flags` those that don't;
// anything else starting with "--" is an error.
Result<Args> parse_args(int argc, char** argv, int first, const std::set<std::string, std::less<>>& with_value,
                        const std::set<std::string, std::less<>>& flags);

// How a tool reports a failure: "<name>: <message>" on stderr, and its
// usage text after a usage error.
struct Tool {
  const char* name;
  void (*usage)(FILE* out);
  int fail(const Error& e, int code = kExitFailed) const;
  int usage_error(const std::string& message) const;
};

// The commands of a server tool (objector-intake, objector-witness): libsodium
// set up, --help, the options, then the command named by the first argument.
// No positional arguments after it.
struct Command {
  std::string_view name;
  int (*run)(const Args& args);
};
int run_commands(const Tool& tool, int argc, char** argv, std::span<const Command> commands,
                 const std::set<std::string, std::less<>>& with_value, const std::set<std::string, std::less<>>& flags);

// main() for every native tool: runs `run` and turns an unexpected exception
// from the standard library (memory, file system) into a message and exit 2.
// Core reports errors as values; this only guards what core does not control.
int guarded_main(const char* program, int (*run)(int, char**), int argc, char** argv);

Result<std::uint64_t> parse_count(std::string_view text, std::string_view what);
// "30s", "15m", "1h", "7d" or plain seconds.
Result<std::int64_t> parse_duration(std::string_view text);

}  // namespace objector::native
