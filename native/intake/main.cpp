// objector-intake: the controller's server. See usage() and docs/INTEGRATION.md.
#include <sodium.h>
#include <sys/stat.h>

#include <cstdio>
#include <thread>

#include "core/crypto/commitment.hpp"
#include "core/encoding/base64.hpp"
#include "core/json/jcs.hpp"
#include "core/objection/statement.hpp"
#include "core/tlog/note_key.hpp"
#include "core/tlog/policy.hpp"
#include "core/tlog/signed_checkpoint.hpp"
#include "native/common/cli.hpp"
#include "native/common/clock.hpp"
#include "native/common/files.hpp"
#include "native/common/key_files.hpp"
#include "native/common/log.hpp"
#include "native/common/postgres.hpp"
#include "native/intake/account_token.hpp"
#include "native/intake/discovery.hpp"
#include "native/intake/export.hpp"
#include "native/intake/log/witness_gateway.hpp"
#include "native/intake/migrate.hpp"
#include "native/intake/retention.hpp"
#include "native/intake/service.hpp"

using namespace objector;
using namespace objector::intake;
namespace net = boost::asio;

namespace {

void usage(FILE* out) {
  std::fputs(
      "Usage:\n"
      "  objector-intake init --origin ORIGIN --dir DIR [--store URI]\n"
      "  objector-intake serve --dir DIR [--listen HOST:PORT] [--web DIR] [--demo] [--quiet]\n"
      "  objector-intake token --dir DIR --account ACCOUNT [--ttl 1h] [--demo]\n"
      "  objector-intake export --dir DIR --out EXPORT_DIR\n"
      "  objector-intake migrate --dir DIR --to URI\n"
      "  objector-intake publish --dir DIR [--to FOLDER]\n"
      "\n"
      "Examples:\n"
      "  objector-intake init --origin social.example/ai-training --dir /var/lib/objector\n"
      "      make a data folder: log key (log.key, mode 0600), verifier key (log.vkey),\n"
      "      token secret (token.key, mode 0600) and config.json with every default;\n"
      "      the log goes in log.sqlite, or with --store postgresql://HOST/DB in PostgreSQL,\n"
      "      where several nodes share it (a node's folder is a copy of the first's).\n"
      "      Run again with the same --store, it brings the store's schema up to date\n"
      "  objector-intake serve --dir /var/lib/objector --listen 127.0.0.1:8080\n"
      "      take objections over HTTP; the address is loopback unless you say otherwise.\n"
      "      The data folder and its key and log files must be private (0700, 0600).\n"
      "      --demo (loopback only) mints tokens for demo accounts with its own key, demo-token.key\n"
      "  objector-intake token --dir /var/lib/objector --account user:1234 --ttl 15m\n"
      "      print an account token (what the platform's backend gives a signed-in user);\n"
      "      with --demo, one a --demo server takes\n"
      "  objector-intake export --dir /var/lib/objector --out ./export\n"
      "      write the exclusion list for auditors: checkpoint, entries, openings\n"
      "  objector-intake migrate --dir /var/lib/objector --to postgresql:///objector\n"
      "      copy a stopped node's log.sqlite into an empty PostgreSQL store, check the copy\n"
      "      (every checkpoint, root, signature, entry and opening), then point config.json at it.\n"
      "      PostgreSQL passwords come from PGPASSWORD or a password file, never from the URI\n"
      "  objector-intake publish --dir /var/lib/objector\n"
      "      write or repair config.json's publish.dir (or --to FOLDER) from the store: every\n"
      "      tile and entry bundle of the latest checkpoint, then the checkpoint (c2sp.org/tlog-tiles).\n"
      "      Run it with the intake stopped: to turn publishing on for a log, or after a lost disk\n"
      "\n"
      "Exit status: 0 ok, 1 failed, 2 usage or input error.\n",
      out);
}

const native::Tool kTool{"objector-intake", usage};

StoreLocation location(const Config& config, const DataDir& dir) { return {config.store, dir.database()}; }

// init on a folder that exists, with its own --store: the schema's migrations, idempotently.
int upgrade_store(const DataDir& dir, const std::string& uri) {
  auto config = load_config(dir.root);
  if (!config) return kTool.fail(config.error(), native::kExitUsage);
  if (config->store != uri) {
    return kTool.fail(make_error(errc::exists, dir.config().string() + " already exists with another store (hint: use "
                                                                       "another --dir)"),
                      native::kExitUsage);
  }
  auto store = Store::open(location(*config, dir), true);
  if (!store) return kTool.fail(store.error());
  auto version = (*store)->schema_version();
  if (!version) return kTool.fail(version.error());
  std::printf("store schema at version %d\n", *version);
  return native::kExitOk;
}

int cmd_init(const native::Args& args) {
  if (!args.has("origin") || !args.has("dir")) return kTool.usage_error("init needs --origin and --dir");
  DataDir dir{args.get("dir")};
  Config config;
  config.origin = args.get("origin");
  if (auto ok = check_origin(config.origin, "--origin"); !ok) return kTool.fail(ok.error(), native::kExitUsage);
  config.store = args.get("store", "sqlite");
  if (config.store != "sqlite") {
    if (auto ok = native::pg::check_uri(config.store, "--store"); !ok)
      return kTool.fail(ok.error(), native::kExitUsage);
  }
  std::error_code ec;
  if (std::filesystem::exists(dir.config(), ec)) {
    if (args.has("store")) return upgrade_store(dir, config.store);
    return kTool.fail(make_error(errc::exists, dir.config().string() + " already exists (hint: use another --dir)"),
                      native::kExitUsage);
  }
  // A shared store first: nothing is written when it is unreachable or holds another log.
  std::unique_ptr<Store> shared;
  if (config.store != "sqlite") {
    auto store = Store::open(location(config, dir), true);
    if (!store) return kTool.fail(store.error());
    auto latest = (*store)->latest_checkpoint();
    if (!latest) return kTool.fail(latest.error());
    if (*latest) {
      return kTool.fail(
          make_error(errc::exists, "the store already holds a log (tree size " + std::to_string((*latest)->size) +
                                       "; hint: a second node is a copy of the first node's folder)"),
          native::kExitUsage);
    }
    shared = std::move(*store);
  }
  if (auto ok = native::make_private_dir(dir.root); !ok) return kTool.fail(ok.error());
  auto log_key = generate_signer(config.origin);
  if (!log_key) return kTool.fail(log_key.error());
  auto vkey = native::write_key_files(*log_key, dir.log_key(), dir.log_vkey());
  if (!vkey) return kTool.fail(vkey.error());
  if (auto secret = make_token_secret(dir.token_key()); !secret) return kTool.fail(secret.error());
  if (auto ok = native::write_file(dir.config(), to_json(config).dump(2) + "\n"); !ok) return kTool.fail(ok.error());
  if (!shared) {
    auto store = Store::open(location(config, dir), true);
    if (!store) return kTool.fail(store.error());
  } else {
    // The empty tree's checkpoint claims the shared store for this log's key.
    auto note = sign_checkpoint({config.origin, 0, empty_root(), {}}, *log_key);
    if (auto ok = shared->commit(Batch{std::nullopt, {}, {}, {}, {0, note}, {}, {}}); !ok)
      return kTool.fail(ok.error());
  }
  std::printf("%s\n", vkey->c_str());
  return native::kExitOk;
}

int cmd_token(const native::Args& args) {
  if (!args.has("dir") || !args.has("account")) return kTool.usage_error("token needs --dir and --account");
  DataDir dir{args.get("dir")};
  auto config = load_config(dir.root);
  if (!config) return kTool.fail(config.error(), native::kExitUsage);
  auto ttl = native::parse_duration(args.get("ttl", "1h"));
  if (!ttl) return kTool.usage_error(ttl.error().message);
  if (*ttl > config->max_token_ttl_s) return kTool.usage_error("--ttl is longer than config.limits.max_token_ttl_s");
  auto account = args.get("account");
  if (auto ok = validate_account(account); !ok) return kTool.usage_error(ok.error().message);
  auto secret = args.has("demo") ? read_token_secret(dir, dir.demo_token_key()) : read_token_secret(dir);
  if (!secret) return kTool.fail(secret.error());
  std::printf("%s\n", mint_token({account, native::unix_now() + *ttl}, secret->view()).c_str());
  return native::kExitOk;
}

// The witnesses of config.witnesses, with their keys parsed (config_from_json checked them).
std::vector<WitnessEndpoint> witness_endpoints(const Config& config) {
  std::vector<WitnessEndpoint> out;
  for (const auto& w : config.witnesses) out.push_back({w.name, w.url, parse_verifier_key(w.key).value()});
  return out;
}

struct WitnessPolicy {
  Policy policy;
  std::string text;  // as served at /policy; "" when config.policy is not set
};

// config.policy, which must trust this log's key and know every witness it
// names; without one, the log and its witnesses with no quorum.
Result<WitnessPolicy> witness_policy(const Config& config, const DataDir& dir, const std::string& log_vkey) {
  auto log_key = parse_verifier_key(log_vkey).value();
  OBJECTOR_TRY(auto text, policy_text(config, dir.root));
  if (text.empty()) {
    Policy p = single_log_policy(log_key);
    for (const auto& w : witness_endpoints(config)) p.witnesses.push_back({w.name, w.key});
    return WitnessPolicy{std::move(p), ""};
  }
  auto parsed = parse_policy(text);
  if (!parsed) return std::move(parsed).error().at("config.policy");
  bool trusts_log = std::any_of(parsed->logs.begin(), parsed->logs.end(),
                                [&](const VerifierKey& k) { return k.name == log_key.name && k.id == log_key.id; });
  if (!trusts_log) {
    return make_error(errc::bad_config,
                      "config.policy: no \"log\" line with this log's key (hint: log " + log_vkey + ")");
  }
  return WitnessPolicy{std::move(*parsed), std::move(text)};
}

// The first look-up after a start would otherwise wait for what warm_up()
// reads (store.hpp): read it beside the server, which answers meanwhile.
// Stops at the next turn when the server does.
std::jthread warm_up_lookups(const StoreLocation& where) {
  return std::jthread([where](const std::stop_token& stop) {
    auto began = std::chrono::steady_clock::now();
    auto store = Store::open(where);
    auto done = store ? (*store)->warm_up(stop) : Status(store.error());
    if (!done) {
      native::log_line(native::LogLevel::warning, "warm_up_failed", {{"error", done.error().message}});
    } else if (!stop.stop_requested()) {
      auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - began);
      native::log_line(native::LogLevel::info, "lookups_ready", {{"ms", std::to_string(ms.count())}});
    }
  });
}

int cmd_serve(const native::Args& args) {
  if (!args.has("dir")) return kTool.usage_error("serve needs --dir");
  native::set_log_quiet(args.has("quiet"));
  DataDir dir{args.get("dir")};
  auto config = load_config(dir.root);
  if (!config) return kTool.fail(config.error(), native::kExitUsage);
  auto endpoint = native::parse_listen(args.get("listen", config->listen));
  if (!endpoint) return kTool.usage_error(endpoint.error().message);
  auto log_key = read_log_key(dir);
  if (!log_key) return kTool.fail(log_key.error());
  if (log_key->name != config->origin) {
    return kTool.fail(make_error(
        errc::bad_key, "log.key is named \"" + log_key->name + "\" but the origin is \"" + config->origin + "\""));
  }
  auto vkey = format_verifier_key(verifier_of(*log_key));
  std::unique_ptr<TilePublisher> publisher;
  if (auto folder = publish_dir(*config, dir.root); !folder.empty()) {
    auto opened = TilePublisher::open(folder, single_log_policy(verifier_of(*log_key)));
    if (!opened) return kTool.fail(opened.error(), native::kExitUsage);
    publisher = std::move(*opened);
  }
  bool demo = args.has("demo");
  if (demo && !endpoint->address().is_loopback()) {
    return kTool.usage_error(
        "--demo mints tokens for anyone who asks: it serves on a loopback address only (hint: "
        "--listen 127.0.0.1:8080)");
  }
  if (auto ok = check_private(dir); !ok) return kTool.fail(ok.error(), native::kExitUsage);
  auto trusted = native::ProxyRules::parse(config->trusted_proxies, config->proxy_header, "config.proxy");
  if (!trusted) return kTool.fail(std::move(trusted).error().at(dir.config().string()), native::kExitUsage);
  // Demo tokens never share a key with real ones.
  auto secret = demo ? demo_token_secret(dir) : read_token_secret(dir);
  if (!secret) return kTool.fail(secret.error());
  WebRoot web;
  if (args.has("web")) {
    if (auto ok = web.load(args.get("web")); !ok) return kTool.fail(ok.error(), native::kExitUsage);
  }
  auto store = location(*config, dir);
  auto readers = ReaderPool::open(store, config->store_pool);
  if (!readers) return kTool.fail(readers.error());
  SequencerOptions options;
  options.max_entries = config->batch_max_entries;
  options.interval = std::chrono::milliseconds(config->batch_interval_ms);
  options.max_queue = config->max_queue;
  auto sequencer = Sequencer::start(store, std::move(*log_key), options, publisher.get());
  if (!sequencer) return kTool.fail(sequencer.error());
  auto warming = warm_up_lookups(store);
  auto policy = witness_policy(*config, dir, vkey);
  if (!policy) return kTool.fail(policy.error(), native::kExitUsage);
  std::unique_ptr<WitnessGateway> witnessing;
  if (!config->witnesses.empty()) {
    auto* seq = sequencer->get();
    auto started = WitnessGateway::start(store, witness_endpoints(*config), policy->policy,
                                         std::chrono::milliseconds(config->witness_timeout_ms),
                                         [seq](const Cosigned& c) { seq->cosigned(c); });
    if (!started) return kTool.fail(started.error(), native::kExitUsage);
    witnessing = std::move(*started);
    seq->witness_with(witnessing.get(), std::chrono::seconds(config->witness_refresh_s));
  }
  auto retention = RetentionJob::start(store, config->reason_days, std::chrono::hours(1), native::unix_now);
  if (!retention) return kTool.fail(retention.error());
  std::unique_ptr<ContactDesk> contact;
  if (config->contact) {
    auto server = load_mail_server(*config->contact, dir.root);
    if (!server) return kTool.fail(server.error(), native::kExitUsage);
    // An e-mail token lives a day at most, and never longer than the tokens the intake takes.
    auto ttl = std::min<std::int64_t>(86400, config->max_token_ttl_s);
    auto started = ContactDesk::start(
        store, {*config->contact, std::move(*server), config->origin, SecretBytes(secret->view()), ttl},
        native::unix_now);
    if (!started) return kTool.fail(started.error());
    contact = std::move(*started);
  }

  net::io_context io;
  auto published = publisher ? publisher->dir() : std::filesystem::path();
  auto trusted_peers = trusted->trusted;  // a trusted proxy carries many clients: no per-address connection cap
  IntakeService service({*config, vkey, std::move(*secret), demo, policy->text, published, contact.get()},
                        std::move(*trusted), std::move(*readers), **sequencer, std::move(web));
  native::HttpLimits limits;
  limits.max_body_bytes = config->max_body_bytes;
  limits.read_timeout = std::chrono::milliseconds(config->read_timeout_ms);
  limits.head_timeout = std::chrono::milliseconds(config->header_timeout_ms);
  limits.max_connections = config->max_connections;
  limits.max_connections_per_client = config->max_connections_per_client;
  limits.shared_peer = [proxies = trusted_peers](const boost::asio::ip::address& a) { return proxies.contains(a); };
  native::HttpServer server(io, service, std::move(limits));
  if (auto ec = server.listen(*endpoint)) {
    return kTool.fail(
        make_error(errc::io_error, "cannot listen on " + args.get("listen", config->listen) + ": " + ec.message()));
  }
  auto bound = server.local_endpoint();
  native::log_line(native::LogLevel::info, "listening",
                   {{"address", bound.address().to_string() + ":" + std::to_string(bound.port())},
                    {"origin", config->origin},
                    {"store", store.shared() ? "postgresql" : "sqlite"},
                    {"role", (*sequencer)->leading() ? "sequencer" : "follower"},
                    {"tree_size", std::to_string((*sequencer)->latest()->size)}});

  // SIGTERM/SIGINT: stop accepting, answer new requests with 503, integrate
  // the batch in flight (which answers its waiting requests), then exit 0.
  native::serve_until_signal(
      io, server, [&] { service.drain(); }, [&] { (*sequencer)->stop(); });
  (*sequencer)->stop();
  if (witnessing) witnessing->stop();
  (*retention)->stop();
  if (contact) contact->stop();
  native::log_line(native::LogLevel::info, "stopped", {{"tree_size", std::to_string((*sequencer)->latest()->size)}});
  return native::kExitOk;
}

int cmd_export(const native::Args& args) {
  if (!args.has("dir") || !args.has("out")) return kTool.usage_error("export needs --dir and --out");
  DataDir dir{args.get("dir")};
  auto config = load_config(dir.root);
  if (!config) return kTool.fail(config.error(), native::kExitUsage);
  auto store = Store::open(location(*config, dir));
  if (!store) return kTool.fail(store.error());
  auto vkey = native::read_file(dir.log_vkey(), 1024);
  if (!vkey) return kTool.fail(vkey.error());
  auto policy = policy_text(*config, dir.root);
  if (!policy) return kTool.fail(policy.error(), native::kExitUsage);
  auto discovery = canonicalize(discovery_document(*config, vkey->substr(0, vkey->find('\n')), *policy)).value();
  auto written = export_log(**store, *vkey, discovery + "\n", *policy, args.get("out"));
  if (!written) return kTool.fail(written.error());
  std::printf("exported %llu entries at tree size %llu to %s\n", static_cast<unsigned long long>(*written),
              static_cast<unsigned long long>(*written), args.get("out").c_str());
  return native::kExitOk;
}

int cmd_migrate(const native::Args& args) {
  if (!args.has("dir") || !args.has("to")) return kTool.usage_error("migrate needs --dir and --to");
  DataDir dir{args.get("dir")};
  auto config = load_config(dir.root);
  if (!config) return kTool.fail(config.error(), native::kExitUsage);
  auto uri = args.get("to");
  if (auto ok = native::pg::check_uri(uri, "--to"); !ok) return kTool.fail(ok.error(), native::kExitUsage);
  if (config->store != "sqlite") {
    return kTool.fail(
        make_error(errc::bad_config,
                   "config.store is already a PostgreSQL store (hint: migrate copies a node's log.sqlite)"),
        native::kExitUsage);
  }
  auto vkey = native::read_file(dir.log_vkey(), 1024);
  if (!vkey) return kTool.fail(vkey.error());
  auto log_key = parse_verifier_key(vkey->substr(0, vkey->find('\n')));
  if (!log_key) return kTool.fail(std::move(log_key).error().at(dir.log_vkey().string()));
  std::vector<std::string> witnesses;
  for (const auto& w : witness_endpoints(*config)) witnesses.push_back(w.key.name);
  auto from = Store::open(location(*config, dir));
  if (!from) return kTool.fail(from.error());
  auto to = Store::open({uri, {}}, true);
  if (!to) return kTool.fail(to.error());
  auto report = migrate_store(**from, **to, *log_key, witnesses);
  if (!report) {
    bool input = report.error().is(errc::exists) || report.error().is(errc::empty_log);
    return kTool.fail(report.error(), input ? native::kExitUsage : native::kExitFailed);
  }
  config->store = uri;
  if (auto ok = native::write_file(dir.config(), to_json(*config).dump(2) + "\n"); !ok) return kTool.fail(ok.error());
  std::printf("copied %zu of %zu checkpoints; tree size %llu, root %s\n", report->copied, report->checkpoints,
              static_cast<unsigned long long>(report->tree_size), base64_encode(report->root).c_str());
  std::printf("checked: every checkpoint's signature and root, every entry and opening read back\n");
  std::printf("config.json now uses the PostgreSQL store; log.sqlite is left as it was\n");
  return native::kExitOk;
}

int cmd_publish(const native::Args& args) {
  if (!args.has("dir")) return kTool.usage_error("publish needs --dir");
  DataDir dir{args.get("dir")};
  auto config = load_config(dir.root);
  if (!config) return kTool.fail(config.error(), native::kExitUsage);
  auto folder = args.has("to") ? std::filesystem::path(args.get("to")) : publish_dir(*config, dir.root);
  if (folder.empty()) return kTool.usage_error("publish needs config.json's publish.dir or --to FOLDER");
  auto vkey = native::read_file(dir.log_vkey(), 1024);
  if (!vkey) return kTool.fail(vkey.error());
  auto log_key = parse_verifier_key(vkey->substr(0, vkey->find('\n')));
  if (!log_key) return kTool.fail(std::move(log_key).error().at(dir.log_vkey().string()));
  auto policy = single_log_policy(*log_key);
  auto publisher = TilePublisher::open(folder, policy, args.has("to") ? "--to" : "publish.dir");
  if (!publisher) return kTool.fail(publisher.error(), native::kExitUsage);
  auto store = Store::open(location(*config, dir));
  if (!store) return kTool.fail(store.error());
  auto latest = (*store)->latest_checkpoint();
  if (!latest) return kTool.fail(latest.error());
  if (!*latest)
    return kTool.fail(make_error(errc::empty_log, "the store holds no checkpoint yet (hint: serve once first)"));
  if (auto ok = open_checkpoint((*latest)->note, policy); !ok) {
    return kTool.fail(make_error(
        errc::bad_key, "the store's latest checkpoint does not verify under log.vkey (" + ok.error().message + ")"));
  }
  auto repaired = (*publisher)->repair(**store, {(*latest)->size, (*latest)->note});
  if (!repaired) return kTool.fail(repaired.error());
  std::printf("published tree size %llu to %s: %llu tiles and bundles, %llu written",
              static_cast<unsigned long long>((*latest)->size), folder.c_str(),
              static_cast<unsigned long long>(repaired->tiles), static_cast<unsigned long long>(repaired->rewritten));
  if (repaired->removed > 0) {
    std::printf(", %llu leftover temporary file%s removed", static_cast<unsigned long long>(repaired->removed),
                repaired->removed == 1 ? "" : "s");
  }
  std::printf("\n");
  return native::kExitOk;
}

constexpr native::Command kCommands[] = {
    {"init", cmd_init},     {"serve", cmd_serve},     {"token", cmd_token},
    {"export", cmd_export}, {"migrate", cmd_migrate}, {"publish", cmd_publish},
};

int run(int argc, char** argv) {
  ::umask(077);  // everything the intake creates is private unless it says otherwise (log.vkey)
  return native::run_commands(kTool, argc, argv, kCommands,
                              {"origin", "dir", "listen", "web", "account", "ttl", "out", "store", "to"},
                              {"demo", "quiet"});
}

}  // namespace

int main(int argc, char** argv) { return objector::native::guarded_main("objector-intake", run, argc, argv); }
