// objector-witness: a c2sp.org/tlog-witness that cosigns the checkpoints of
// the logs it was told about. See usage() and docs/WITNESS.md.
#include <sys/stat.h>

#include <cstdio>

#include "core/tlog/checkpoint.hpp"
#include "core/tlog/note_key.hpp"
#include "native/common/cli.hpp"
#include "native/common/client_address.hpp"
#include "native/common/files.hpp"
#include "native/common/http_server.hpp"
#include "native/common/key_files.hpp"
#include "native/common/log.hpp"
#include "native/witness/witness_service.hpp"

using namespace objector;
using namespace objector::witness;

namespace {

struct WitnessDir {
  std::filesystem::path root;
  std::filesystem::path key() const { return root / "witness.key"; }
  std::filesystem::path vkey() const { return root / "witness.vkey"; }
  std::filesystem::path state() const { return root / "witness.sqlite"; }
};

void usage(FILE* out) {
  std::fputs(
      "Usage:\n"
      "  objector-witness init --name NAME --dir DIR\n"
      "  objector-witness add-log --dir DIR --origin ORIGIN --key VKEY\n"
      "  objector-witness serve --dir DIR [--listen HOST:PORT] [--rate N] [--max-connections-per-client N]\n"
      "                         [--proxy-trusted CIDR]... [--proxy-header x-forwarded-for|forwarded] [--quiet]\n"
      "\n"
      "Examples:\n"
      "  objector-witness init --name witness.example.org/objector --dir /var/lib/witness\n"
      "      make a witness: its key (witness.key, mode 0600), its verifier key\n"
      "      (witness.vkey, printed: give it to the logs and their auditors) and its state\n"
      "  objector-witness add-log --dir /var/lib/witness --origin social.example/ai-training \\\n"
      "      --key social.example/ai-training+1a2b3c4d+AXl...\n"
      "      witness a log: VKEY is the log's verifier key, or a file holding it\n"
      "  objector-witness serve --dir /var/lib/witness --listen 127.0.0.1:7380\n"
      "      cosign checkpoints: POST /add-checkpoint (c2sp.org/tlog-witness); the latest\n"
      "      cosigned checkpoint of a log is at GET /<sha256 hex of its origin>/checkpoint.\n"
      "      --rate: requests a second per client address (default 50, bursts of twice that; 0: no limit)\n"
      "      --max-connections-per-client: open connections per client address (default 64; 0: no cap)\n"
      "  objector-witness serve --dir /var/lib/witness --proxy-trusted 127.0.0.1 --proxy-header x-forwarded-for\n"
      "      behind a TLS proxy on this machine: the client is the address that proxy\n"
      "      puts in its X-Forwarded-For (or Forwarded) header, as objector-intake's proxy settings\n"
      "\n"
      "Exit status: 0 ok, 1 failed, 2 usage or input error.\n",
      out);
}

const native::Tool kTool{"objector-witness", usage};

int cmd_init(const native::Args& args) {
  if (!args.has("name") || !args.has("dir")) return kTool.usage_error("init needs --name and --dir");
  WitnessDir dir{args.get("dir")};
  auto name = args.get("name");
  if (auto ok = check_origin(name, "--name"); !ok) return kTool.fail(ok.error(), native::kExitUsage);
  std::error_code ec;
  if (std::filesystem::exists(dir.key(), ec)) {
    return kTool.fail(make_error(errc::exists, dir.key().string() + " already exists (hint: use another --dir)"),
                      native::kExitUsage);
  }
  if (auto ok = native::make_private_dir(dir.root); !ok) return kTool.fail(ok.error());
  auto key = generate_signer(name, KeyType::cosignature);
  if (!key) return kTool.fail(key.error());
  auto vkey = native::write_key_files(*key, dir.key(), dir.vkey());
  if (!vkey) return kTool.fail(vkey.error());
  if (auto state = WitnessState::open(dir.state(), true); !state) return kTool.fail(state.error());
  std::printf("%s\n", vkey->c_str());
  return native::kExitOk;
}

// --key is the key itself or a file holding it (as objector-intake writes log.vkey).
Result<VerifierKey> read_vkey_arg(const std::string& text) {
  if (auto key = parse_verifier_key(text)) return key;
  auto file = native::read_file(text, 4096);
  if (!file) {
    return make_error(errc::bad_key, "--key \"" + text +
                                         "\" is neither a verifier key nor a readable file (hint: the log's log.vkey)");
  }
  auto key = parse_verifier_key(file->substr(0, file->find('\n')));
  if (!key) return std::move(key).error().at(text);
  return key;
}

int cmd_add_log(const native::Args& args) {
  if (!args.has("dir") || !args.has("origin") || !args.has("key")) {
    return kTool.usage_error("add-log needs --dir, --origin and --key");
  }
  WitnessDir dir{args.get("dir")};
  auto key = read_vkey_arg(args.get("key"));
  if (!key) return kTool.fail(key.error(), native::kExitUsage);
  if (key->name != args.get("origin")) {
    return kTool.fail(
        make_error(errc::wrong_log, "the key is named \"" + key->name + "\" but --origin is \"" + args.get("origin") +
                                        "\" (hint: a log's key is named by its origin)"),
        native::kExitUsage);
  }
  if (key->type != KeyType::ed25519) {
    return kTool.fail(make_error(errc::bad_key, "a log signs its checkpoints with an Ed25519 key (type 0x01)"),
                      native::kExitUsage);
  }
  auto state = WitnessState::open(dir.state());
  if (!state) return kTool.fail(state.error(), native::kExitUsage);
  if (auto ok = state->add_log(*key); !ok) return kTool.fail(ok.error());
  return native::kExitOk;
}

int cmd_serve(const native::Args& args) {
  if (!args.has("dir")) return kTool.usage_error("serve needs --dir");
  native::set_log_quiet(args.has("quiet"));
  WitnessDir dir{args.get("dir")};
  auto endpoint = native::parse_listen(args.get("listen", "127.0.0.1:7380"));
  if (!endpoint) return kTool.usage_error(endpoint.error().message);
  auto key = native::read_signer_key_file(dir.key());
  if (!key) return kTool.fail(key.error(), native::kExitUsage);
  if (key->type != KeyType::cosignature) {
    return kTool.fail(make_error(errc::bad_key, dir.key().string() + ": a witness key has type 0x04 (cosignature/v1)"),
                      native::kExitUsage);
  }
  auto rate = native::parse_count(args.get("rate", "50"), "--rate");
  if (!rate) return kTool.usage_error(rate.error().message);
  auto per_client = native::parse_count(args.get("max-connections-per-client", "64"), "--max-connections-per-client");
  if (!per_client) return kTool.usage_error(per_client.error().message);
  native::ProxyRules proxies;
  auto trusted = native::TrustedProxies::parse(args.all("proxy-trusted"), "--proxy-trusted");
  if (!trusted) return kTool.usage_error(trusted.error().message);
  auto header = native::parse_forwarding_header(args.get("proxy-header", "x-forwarded-for"), "--proxy-header");
  if (!header) return kTool.usage_error(header.error().message);
  proxies.trusted = std::move(*trusted);
  proxies.header = *header;
  auto state = WitnessState::open(dir.state());
  if (!state) return kTool.fail(state.error(), native::kExitUsage);
  auto origins = state->origins();
  if (!origins) return kTool.fail(origins.error());

  boost::asio::io_context io;
  const std::string name = key->name;
  native::HttpLimits limits;
  limits.max_body_bytes = std::size_t{128} * 1024;
  limits.max_connections = 1024;
  limits.max_connections_per_client = *per_client;
  limits.shared_peer = [trusted = proxies.trusted](const boost::asio::ip::address& a) { return trusted.contains(a); };
  WitnessService service(std::move(*state), std::move(*key),
                         {static_cast<double>(*rate), 2.0 * static_cast<double>(*rate)}, std::move(proxies));
  native::HttpServer server(io, service, std::move(limits));
  if (auto ec = server.listen(*endpoint)) {
    return kTool.fail(make_error(errc::io_error, "cannot listen on " + args.get("listen") + ": " + ec.message()));
  }
  auto bound = server.local_endpoint();
  native::log_line(native::LogLevel::info, "listening",
                   {{"address", bound.address().to_string() + ":" + std::to_string(bound.port())},
                    {"witness", name},
                    {"logs", std::to_string(origins->size())}});
  native::serve_until_signal(
      io, server, [&] { service.drain(); }, [] {});
  native::log_line(native::LogLevel::info, "stopped");
  return native::kExitOk;
}

constexpr native::Command kCommands[] = {
    {"init", cmd_init},
    {"add-log", cmd_add_log},
    {"serve", cmd_serve},
};

int run(int argc, char** argv) {
  ::umask(077);  // everything it creates is private unless it says otherwise (witness.vkey)
  return native::run_commands(
      kTool, argc, argv, kCommands,
      {"name", "dir", "origin", "key", "listen", "rate", "max-connections-per-client", "proxy-trusted", "proxy-header"},
      {"quiet"});
}

}  // namespace

int main(int argc, char** argv) { return objector::native::guarded_main("objector-witness", run, argc, argv); }
