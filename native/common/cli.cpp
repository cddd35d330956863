#include "native/common/cli.hpp"

#include <cstdio>
#include <exception>

#include "core/crypto/sodium.hpp"
#include "core/encoding/decimal.hpp"
#include "core/tlog/checkpoint.hpp"

namespace objector::native {

std::string Args::get(std::string_view name, const std::string& fallback) const {
  auto it = options.find(name);
  return it == options.end() || it->second.empty() ? fallback : it->second.back();
}

const std::vector<std::string>& Args::all(std::string_view name) const {
  static const std::vector<std::string> none;
  auto it = options.find(name);
  return it == options.end() ? none : it->second;
}

Result<Args> parse_args(int argc, char** argv, int first, const std::set<std::string, std::less<>>& with_value,
                        const std::set<std::string, std::less<>>& flags) {
  Args args;
  for (int i = first; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--") {
      for (++i; i < argc; ++i) args.positional.emplace_back(argv[i]);
      break;
    }
    if (a.rfind("--", 0) != 0 || a == "-") {
      args.positional.push_back(a);
      continue;
    }
    auto name = a.substr(2);
    if (auto eq = name.find('='); eq != std::string::npos) {
      auto key = name.substr(0, eq);
      if (with_value.count(key) == 0) return make_error(errc::usage, "unknown option --" + key);
      args.options[key].push_back(name.substr(eq + 1));
    } else if (flags.count(name) != 0) {
      args.flags.insert(name);
    } else if (with_value.count(name) != 0) {
      if (i + 1 >= argc) return make_error(errc::usage, "option --" + name + " needs a value");
      args.options[name].emplace_back(argv[++i]);
    } else {
      return make_error(errc::usage, "unknown option --" + name);
    }
  }
  return args;
}

int guarded_main(const char* program, int (*run)(int, char**), int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: %s\n", program, e.what());
    return kExitUsage;
  }
}

Result<std::uint64_t> parse_count(std::string_view text, std::string_view what) {
  auto v = parse_decimal(text, what);
  if (!v) return make_error(errc::usage, std::string(what) + ": \"" + std::string(text) + "\" is not a whole number");
  return v;
}

Result<std::int64_t> parse_duration(std::string_view text) {
  std::int64_t unit = 1;
  if (!text.empty()) {
    switch (text.back()) {
      case 's':
        unit = 1;
        break;
      case 'm':
        unit = 60;
        break;
      case 'h':
        unit = 3600;
        break;
      case 'd':
        unit = 86400;
        break;
      default:
        unit = 0;
    }
    if (unit != 0) text.remove_suffix(1);
    if (unit == 0) unit = 1;
  }
  auto n = parse_decimal(text, "duration");
  if (!n || *n == 0 || *n > 10ull * 365 * 86400) {
    return make_error(errc::usage, "\"" + std::string(text) + "\" is not a duration (hint: 30s, 15m, 1h or 7d)");
  }
  return static_cast<std::int64_t>(*n) * unit;
}

int Tool::fail(const Error& e, int code) const {
  std::fprintf(stderr, "%s: %s\n", name, e.message.c_str());
  return code;
}

int Tool::usage_error(const std::string& message) const {
  std::fprintf(stderr, "%s: %s\n\n", name, message.c_str());
  usage(stderr);
  return kExitUsage;
}

int run_commands(const Tool& tool, int argc, char** argv, std::span<const Command> commands,
                 const std::set<std::string, std::less<>>& with_value,
                 const std::set<std::string, std::less<>>& flags) {
  if (!init_crypto()) return tool.fail(make_error(errc::init, "libsodium failed to initialise"));
  if (argc < 2 || std::string_view(argv[1]) == "--help" || std::string_view(argv[1]) == "-h") {
    tool.usage(argc < 2 ? stderr : stdout);
    return argc < 2 ? kExitUsage : kExitOk;
  }
  std::string_view name = argv[1];
  auto all_flags = flags;
  all_flags.insert("help");
  auto args = parse_args(argc, argv, 2, with_value, all_flags);
  if (!args) return tool.usage_error(args.error().message);
  if (args->has("help")) {
    tool.usage(stdout);
    return kExitOk;
  }
  if (!args->positional.empty()) return tool.usage_error("unexpected argument \"" + args->positional[0] + "\"");
  for (const auto& c : commands) {
    if (c.name == name) return c.run(*args);
  }
  return tool.usage_error("unknown command \"" + std::string(name) + "\"");
}

}  // namespace objector::native
