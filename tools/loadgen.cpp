// objector-loadgen: real signed objections for synthetic accounts, submitted
// to an objector-intake (or several nodes of one log, the connections spread
// over them as a load balancer would) over keep-alive connections; prints
// throughput and latency percentiles, or with --once a single receipt.
#include <sodium.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <optional>
#include <sstream>

#include "core/crypto/sodium.hpp"
#include "core/encoding/base64.hpp"
#include "core/json/jcs.hpp"
#include "core/objection/receipt.hpp"
#include "native/common/cli.hpp"
#include "native/common/clock.hpp"
#include "native/common/files.hpp"
#include "native/common/parallel.hpp"
#include "native/common/url.hpp"
#include "native/intake/account_token.hpp"
#include "native/intake/config.hpp"
#include "tools/load_driver.hpp"

using namespace objector;
using Clock = std::chrono::steady_clock;

namespace {

void usage(FILE* out) {
  std::fputs(
      "Usage:\n"
      "  objector-loadgen --intake URL[,URL...] --dir DIR [--demo] [--count N] [--rate R] [--connections C] "
      "[--presign]\n"
      "                   [--cpu-pid PID] [--json]\n"
      "  objector-loadgen --intake URL --dir DIR [--demo] --once\n"
      "  objector-loadgen --intake URL --read PATH [--count N] [--connections C] [--cpu-pid PID] [--json]\n"
      "\n"
      "Examples:\n"
      "  objector-loadgen --intake http://127.0.0.1:8080 --dir build/demo-data --demo --once > receipt.json\n"
      "      submit one objection and print its receipt\n"
      "  objector-loadgen --intake http://127.0.0.1:8080 --dir demo-data --count 5000 --connections 64\n"
      "      submit 5000 objections as fast as the intake takes them, then print throughput and latency\n"
      "  objector-loadgen --intake http://127.0.0.1:8080 --dir demo-data --count 20000 --presign --json\n"
      "      sign all 20000 first, so the timed phase measures the intake, not the loader's signing\n"
      "  objector-loadgen --intake http://127.0.0.1:8080 --dir demo-data --count 20000 --presign --cpu-pid 4242 "
      "--json\n"
      "      also report the CPU time process 4242 (the intake) used during the timed phase\n"
      "  objector-loadgen --intake http://127.0.0.1:8080,http://127.0.0.1:8081 --dir node-a --count 20000 --presign\n"
      "      two nodes of one log: connections go to each in turn, all take the next objection from one queue\n"
      "  objector-loadgen --intake http://127.0.0.1:8080 --read /tile/0/000 --count 100000 --connections 32\n"
      "      GET one path (any server: the intake, nginx in front of publish.dir) as fast as it answers\n"
      "  objector-loadgen --intake http://127.0.0.1:8080 --read /checkpoint --count 100000 --connections 1000 "
      "--cpu-pid 4242\n"
      "      also report the server's CPU time per read: what one HTTP exchange costs it\n"
      "\n"
      "DIR is the intake's data folder: its token secret mints account tokens for synthetic accounts\n"
      "(with --demo, the secret of an intake serving with --demo).\n"
      "Exit status: 0 ok, 1 a request failed, 2 usage or input error.\n",
      out);
}

int fail(const Error& e, int status) {
  std::fprintf(stderr, "objector-loadgen: %s\n", e.message.c_str());
  return status;
}

struct Job {
  Objection objection;
  std::string token;
  std::string body;
};

struct Setup {
  intake::Config config;
  SecretBytes secret;
};

Result<Setup> load(const std::string& dir, bool demo) {
  OBJECTOR_TRY(auto config, intake::load_config(dir));
  intake::DataDir data{dir};
  OBJECTOR_TRY(auto secret, intake::read_token_secret(data, demo ? data.demo_token_key() : data.token_key()));
  return Setup{std::move(config), std::move(secret)};
}

Result<Job> make_job(const Setup& s, std::uint64_t n, std::int64_t now) {
  std::array<std::uint8_t, 8> id{};
  randombytes_buf(id.data(), id.size());
  auto account = "loadgen:" + to_hex(id) + "-" + std::to_string(n);
  std::string jurisdiction = s.config.jurisdictions.empty() ? "GB" : s.config.jurisdictions.front();
  ObjectionForm form{s.config.origin, jurisdiction, s.config.services, {"train-ai"}, "en-GB", now, account};
  OBJECTOR_TRY(auto objection, make_objection(form));
  auto body = canonicalize(json{{"entry", to_json(objection.entry)}, {"opening", to_json(objection.opening)}}).value();
  auto token = intake::mint_token({account, now + 3600}, s.secret.view());
  return Job{std::move(objection), std::move(token), std::move(body)};
}

// The POST that submits a job.
tools::LoadRequest objection_request(const Job& job) {
  return {"POST",
          "/v1/objections",
          job.body,
          {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + job.token}}};
}

int once(const Setup& setup, const native::HttpUrl& target) {
  auto job = make_job(setup, 0, native::unix_now());
  if (!job) return fail(job.error(), native::kExitFailed);
  tools::LoadAnswer r;
  tools::drive(
      {target}, {1, 1, 0}, [&](std::uint64_t) { return objection_request(*job); },
      [&](std::uint64_t, tools::LoadAnswer a) { r = std::move(a); });
  if (r.status == 0) return fail(make_error(errc::http, r.error), native::kExitFailed);
  if (r.status != 201 && r.status != 200) {
    std::fprintf(stderr, "objector-loadgen: intake answered %d: %s\n", r.status, r.body.c_str());
    return native::kExitFailed;
  }
  auto reply = parse_json(r.body);
  if (!reply || !reply->contains("proof") || !(*reply)["proof"].is_string()) {
    std::fprintf(stderr, "objector-loadgen: unexpected reply: %s\n", r.body.c_str());
    return native::kExitFailed;
  }
  auto receipt = make_receipt(std::move(job->objection), (*reply)["proof"].get<std::string>());
  auto text = serialize(receipt);
  std::printf("%s\n", text.c_str());
  wipe(text);
  return native::kExitOk;
}

// The CPU time process `pid` has used, from /proc/<pid>/stat: in its own
// code (user) and in the kernel for it (system: sockets, files, page faults).
struct ProcessCpu {
  double user = 0, system = 0;
  double total() const { return user + system; }
  ProcessCpu operator-(const ProcessCpu& o) const { return {user - o.user, system - o.system}; }
};
Result<ProcessCpu> cpu_seconds(std::uint64_t pid) {
  auto stat = native::read_file("/proc/" + std::to_string(pid) + "/stat", 4096);
  if (!stat) return stat.error();
  // The fields after the command name, which is in parentheses and may hold spaces.
  auto rest = stat->substr(stat->rfind(')') + 2);
  std::istringstream fields(rest);
  std::string field;
  unsigned long long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {  // utime is field 14, stime 15 (proc(5))
    if (i == 14) utime = std::stoull(field);
    if (i == 15) stime = std::stoull(field);
  }
  auto tck = static_cast<double>(::sysconf(_SC_CLK_TCK));
  return ProcessCpu{static_cast<double>(utime) / tck, static_cast<double>(stime) / tck};
}

// cpu_seconds, or 0 without a process to watch (or once it is gone).
ProcessCpu cpu_so_far(std::optional<std::uint64_t> pid) {
  auto c = pid ? cpu_seconds(*pid) : Result<ProcessCpu>(ProcessCpu{});
  return c ? *c : ProcessCpu{};
}

// The machine's CPU time so far, from /proc/stat: busy (user, nice, system,
// irq, softirq: what every process used, the loader's own included) and idle
// (with iowait). Steal and guest time are left out (guest is in user already).
struct MachineCpu {
  double busy = 0, idle = 0;
};
MachineCpu machine_cpu() {
  auto stat = native::read_file("/proc/stat", 1 << 16);
  MachineCpu out;
  if (!stat) return out;
  std::istringstream fields(stat->substr(0, stat->find('\n')));
  std::string name;
  fields >> name;  // "cpu": the sum over every core
  unsigned long long v = 0;
  for (int i = 0; i < 7 && fields >> v; ++i) (i == 3 || i == 4 ? out.idle : out.busy) += static_cast<double>(v);
  auto tck = static_cast<double>(::sysconf(_SC_CLK_TCK));
  return {out.busy / tck, out.idle / tck};
}

// --read: GETs `path` `count` times over `connections` keep-alive connections;
// with `cpu_pid`, also the CPU time that process used meanwhile.
int read_load(const native::HttpUrl& target, const std::string& path, std::uint64_t count, std::uint64_t connections,
              std::optional<std::uint64_t> cpu_pid, bool as_json) {
  std::uint64_t ok = 0;
  auto cpu_start = cpu_so_far(cpu_pid);
  auto start = Clock::now();
  tools::drive(
      {target}, {count, connections, 0},
      [&](std::uint64_t) {
        return tools::LoadRequest{"GET", path, {}, {}};
      },
      [&](std::uint64_t, const tools::LoadAnswer& a) { ok += a.status == 200 ? 1 : 0; });
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  auto server = cpu_so_far(cpu_pid) - cpu_start;
  double server_cpu = server.total();
  double per_second = static_cast<double>(ok) / seconds;
  if (as_json) {
    std::printf(
        "{\"reads\":%llu,\"ok\":%llu,\"seconds\":%.3f,\"per_second\":%.1f,\"server_cpu_seconds\":%.3f,"
        "\"server_system_seconds\":%.3f}\n",
        static_cast<unsigned long long>(count), static_cast<unsigned long long>(ok), seconds, per_second, server_cpu,
        server.system);
  } else {
    std::printf("GET %s: %llu of %llu answered 200 in %.2f s, %.0f reads/s\n", path.c_str(),
                static_cast<unsigned long long>(ok), static_cast<unsigned long long>(count), seconds, per_second);
    if (cpu_pid && count > 0) {
      std::printf("process %llu used %.2f s of CPU (%.2f s in the kernel): %.1f us a read\n",
                  static_cast<unsigned long long>(*cpu_pid), server_cpu, server.system,
                  1e6 * server_cpu / static_cast<double>(count));
    }
  }
  return ok == count ? native::kExitOk : native::kExitFailed;
}

}  // namespace

namespace {

int run(int argc, char** argv) {
  if (!init_crypto()) return fail(make_error(errc::init, "libsodium failed to initialise"), native::kExitFailed);
  auto args = native::parse_args(argc, argv, 1, {"intake", "dir", "count", "rate", "connections", "cpu-pid", "read"},
                                 {"once", "json", "demo", "presign", "help"});
  if (!args || args->has("help") || !args->has("intake") || !(args->has("dir") || args->has("read"))) {
    if (!args) std::fprintf(stderr, "objector-loadgen: %s\n\n", args.error().message.c_str());
    usage(args && args->has("help") ? stdout : stderr);
    return args && args->has("help") ? native::kExitOk : native::kExitUsage;
  }
  auto parsed = native::parse_http_urls(args->get("intake"), "--intake");
  if (!parsed) return fail(parsed.error(), native::kExitUsage);
  const auto& targets = *parsed;
  if (targets.size() > 1 && (args->has("read") || args->has("once"))) {
    return fail(make_error(errc::usage, "--read and --once take one --intake URL"), native::kExitUsage);
  }
  const auto& target = targets.front();
  auto count = native::parse_count(args->get("count", "1000"), "--count");
  auto connections = native::parse_count(args->get("connections", "16"), "--connections");
  auto rate = native::parse_count(args->get("rate", "0"), "--rate");
  if (!count || !connections || !rate || *connections == 0 || *connections > 1024) {
    std::fprintf(stderr, "objector-loadgen: --count, --rate and --connections (1-1024) take whole numbers\n");
    return native::kExitUsage;
  }
  std::optional<std::uint64_t> cpu_pid;
  if (args->has("cpu-pid")) {
    auto pid = native::parse_count(args->get("cpu-pid"), "--cpu-pid");
    if (!pid || !cpu_seconds(*pid)) {
      std::fprintf(stderr, "objector-loadgen: --cpu-pid takes the process id of a running process\n");
      return native::kExitUsage;
    }
    cpu_pid = *pid;
  }
  if (args->has("read")) {
    auto path = args->get("read");
    if (path.empty() || path.front() != '/')
      return fail(make_error(errc::usage, "--read takes a path: /tile/0/000"), native::kExitUsage);
    return read_load(target, path, *count, *connections, cpu_pid, args->has("json"));
  }
  auto setup = load(args->get("dir"), args->has("demo"));
  if (!setup) return fail(setup.error(), native::kExitUsage);
  if (args->has("once")) return once(*setup, target);
  // --presign: sign everything before the clock starts, so the timed phase
  // measures the intake alone (the loader shares the intake's cores).
  // Without it each connection signs its next objection as a device would.
  bool presign = args->has("presign");
  std::vector<std::optional<Job>> jobs(*count);
  auto now = native::unix_now();
  auto sign_start = Clock::now();
  if (presign) {
    auto failed = native::parallel_for(jobs.size(), [&](std::size_t i) -> Status {
      OBJECTOR_TRY(auto job, make_job(*setup, i, now));
      jobs[i] = std::move(job);
      return Ok{};
    });
    if (failed) return fail(failed->error, native::kExitUsage);
  }
  double sign_seconds = std::chrono::duration<double>(Clock::now() - sign_start).count();
  std::vector<double> latencies, rejected;  // all answers; 503s alone
  std::map<int, std::uint64_t> statuses;
  std::uint64_t transport_errors = 0;
  auto cpu_start = cpu_so_far(cpu_pid);
  auto machine_start = machine_cpu();
  auto start = Clock::now();
  auto request = [&](std::uint64_t i) -> std::optional<tools::LoadRequest> {
    if (!jobs[i]) {
      auto job = make_job(*setup, i, now);
      if (!job) return std::nullopt;
      jobs[i] = std::move(*job);
    }
    return objection_request(*jobs[i]);
  };
  auto answered = [&](std::uint64_t, const tools::LoadAnswer& a) {
    if (a.status == 0) {
      ++transport_errors;
      return;
    }
    ++statuses[a.status];
    latencies.push_back(a.ms);
    if (a.status == 503) rejected.push_back(a.ms);
  };
  tools::drive(targets, {jobs.size(), *connections, static_cast<double>(*rate)}, request, answered);
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  auto server = cpu_so_far(cpu_pid) - cpu_start;
  double server_cpu = server.total();
  auto machine_end = machine_cpu();
  double machine_busy = machine_end.busy - machine_start.busy;
  double machine_idle = machine_end.idle - machine_start.idle;
  std::sort(latencies.begin(), latencies.end());
  std::sort(rejected.begin(), rejected.end());
  auto percentile = [](const std::vector<double>& sorted, double p) {
    return sorted.empty()
               ? 0.0
               : sorted[std::min(sorted.size() - 1, static_cast<std::size_t>(p * static_cast<double>(sorted.size())))];
  };
  auto pct = [&](double p) { return percentile(latencies, p); };
  std::uint64_t accepted = statuses[201];
  double per_second = static_cast<double>(accepted) / seconds;
  if (args->has("json")) {
    std::printf(
        "{\"sent\":%zu,\"accepted\":%llu,\"seconds\":%.3f,\"per_second\":%.1f,\"p50_ms\":%.1f,\"p90_ms\":%.1f,"
        "\"p99_ms\":%.1f,\"max_ms\":%.1f,\"errors\":%llu,\"rejected\":%zu,\"p99_rejected_ms\":%.1f,"
        "\"presigned\":%s,\"sign_seconds\":%.3f,\"server_cpu_seconds\":%.3f,\"server_system_seconds\":%.3f,"
        "\"machine_busy_seconds\":%.3f,\"machine_idle_share\":%.3f}\n",
        jobs.size(), static_cast<unsigned long long>(accepted), seconds, per_second, pct(0.5), pct(0.9), pct(0.99),
        latencies.empty() ? 0.0 : latencies.back(), static_cast<unsigned long long>(jobs.size() - accepted),
        rejected.size(), percentile(rejected, 0.99), presign ? "true" : "false", sign_seconds, server_cpu,
        server.system, machine_busy,
        machine_busy + machine_idle > 0 ? machine_idle / (machine_busy + machine_idle) : 0.0);
  } else {
    if (presign) std::printf("signed %zu objections in %.2f s before the timed phase\n", jobs.size(), sign_seconds);
    std::printf("sent %zu objections over %llu connections in %.2f s\n", jobs.size(),
                static_cast<unsigned long long>(*connections), seconds);
    for (auto [status, n] : statuses) std::printf("  HTTP %d: %llu\n", status, static_cast<unsigned long long>(n));
    if (transport_errors) std::printf("  transport errors: %llu\n", static_cast<unsigned long long>(transport_errors));
    std::printf("accepted %.1f objections/s; latency p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms\n", per_second,
                pct(0.5), pct(0.9), pct(0.99), latencies.empty() ? 0.0 : latencies.back());
    if (cpu_pid) {
      std::printf("process %llu used %.2f s of CPU (%.2f s in the kernel): %.0f accepted per CPU second\n",
                  static_cast<unsigned long long>(*cpu_pid), server_cpu, server.system,
                  server_cpu > 0 ? static_cast<double>(accepted) / server_cpu : 0.0);
    }
  }
  return accepted == jobs.size() ? native::kExitOk : native::kExitFailed;
}

}  // namespace

int main(int argc, char** argv) { return objector::native::guarded_main("objector-loadgen", run, argc, argv); }
