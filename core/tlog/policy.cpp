#include "core/tlog/policy.hpp"

#include <algorithm>
#include <map>

#include "core/encoding/decimal.hpp"
#include "core/tlog/checkpoint.hpp"

namespace objector {
namespace {

std::vector<std::string_view> fields(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    auto start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
    if (i > start) out.push_back(line.substr(start, i - start));
  }
  return out;
}

bool same_public_key(const VerifierKey& a, const VerifierKey& b) { return a.key == b.key; }

}  // namespace

Result<Policy> parse_policy(std::string_view text) {
  Policy p;
  bool have_quorum = false;
  std::map<std::string, bool, std::less<>> names{{"none", false}};  // name -> usable as a member
  std::size_t number = 0;
  for (auto rest = text; !rest.empty();) {
    auto eol = rest.find('\n');
    auto line = rest.substr(0, eol);
    rest.remove_prefix(eol == std::string_view::npos ? rest.size() : eol + 1);
    ++number;
    auto bad = [&](const std::string& m) {
      return make_error(errc::bad_policy, "policy line " + std::to_string(number) + ": " + m);
    };
    if (std::any_of(line.begin(), line.end(), [](char c) {
          auto u = static_cast<unsigned char>(c);
          return (u < 0x20 && u != '\t') || u == 0x7F;
        })) {
      return bad("control characters are not allowed");
    }
    auto f = fields(line);
    if (f.empty() || f[0][0] == '#') continue;
    auto define = [&](std::string_view name) -> Status {
      if (names.count(name) != 0) return bad("name \"" + std::string(name) + "\" is already defined");
      names.emplace(std::string(name), true);
      return Ok{};
    };
    if (f[0] == "log") {
      if (f.size() < 2 || f.size() > 3) return bad("expected: log <vkey> [<url>]");
      auto key = parse_verifier_key(f[1]);
      if (!key) return bad(key.error().message);
      if (key->type != KeyType::ed25519) return bad("a log key must be an Ed25519 (type 0x01) key");
      for (const auto& l : p.logs) {
        if (same_public_key(l, *key)) return bad("duplicate log key");
      }
      p.logs.push_back(std::move(*key));
    } else if (f[0] == "witness") {
      if (f.size() < 3 || f.size() > 4) return bad("expected: witness <name> <vkey> [<url>]");
      auto key = parse_verifier_key(f[2]);
      if (!key) return bad(key.error().message);
      if (key->type != KeyType::cosignature) return bad("a witness key must be a cosignature (type 0x04) key");
      for (const auto& w : p.witnesses) {
        if (same_public_key(w.key, *key)) return bad("duplicate witness key");
      }
      OBJECTOR_RETURN_IF_ERROR(define(f[1]));
      p.witnesses.push_back({std::string(f[1]), std::move(*key)});
    } else if (f[0] == "group") {
      if (f.size() < 4) return bad("expected: group <name> all|any|<k> <name>...");
      Policy::Group g{std::string(f[1]), 0, {}};
      for (std::size_t i = 3; i < f.size(); ++i) {
        auto it = names.find(f[i]);
        if (it == names.end() || !it->second)
          return bad("\"" + std::string(f[i]) + "\" is not a witness or group defined above");
        if (std::find(g.members.begin(), g.members.end(), f[i]) != g.members.end()) {
          return bad("\"" + std::string(f[i]) + "\" is listed twice");
        }
        g.members.emplace_back(f[i]);
      }
      if (f[2] == "all") {
        g.threshold = g.members.size();
      } else if (f[2] == "any") {
        g.threshold = 1;
      } else {
        auto k = parse_decimal(f[2], "threshold");
        if (!k || *k < 1 || *k > g.members.size()) return bad("threshold must be all, any or 1..number of members");
        g.threshold = static_cast<std::size_t>(*k);
      }
      OBJECTOR_RETURN_IF_ERROR(define(f[1]));
      p.groups.push_back(std::move(g));
    } else if (f[0] == "quorum") {
      if (f.size() != 2) return bad("expected: quorum <name>");
      if (have_quorum) return bad("only one quorum line is allowed");
      if (names.count(f[1]) == 0) return bad("\"" + std::string(f[1]) + "\" is not defined above");
      p.quorum = std::string(f[1]);
      have_quorum = true;
    } else {
      return bad("unknown keyword \"" + std::string(f[0]) + "\"");
    }
  }
  if (!have_quorum) return make_error(errc::bad_policy, "policy: a quorum line is required (hint: \"quorum none\")");
  return p;
}

Policy single_log_policy(VerifierKey log_key) {
  Policy p;
  p.logs.push_back(std::move(log_key));
  return p;
}

bool quorum_met(const Policy& policy, std::span<const std::string> cosigned) {
  // Groups only refer to names defined before them, so one pass in order works.
  std::map<std::string, bool, std::less<>> met{{"none", true}};
  for (const auto& w : policy.witnesses) {
    met[w.name] = std::find(cosigned.begin(), cosigned.end(), w.name) != cosigned.end();
  }
  for (const auto& g : policy.groups) {
    auto n = std::count_if(g.members.begin(), g.members.end(), [&](const std::string& m) { return met[m]; });
    met[g.name] = static_cast<std::size_t>(n) >= g.threshold;
  }
  return met[policy.quorum];
}

}  // namespace objector
