// Objecting without an account (config contact): a code sent by mail through
// a real SMTP server (tests/support/smtp_sink.py, aiosmtpd), read back from
// it, buys an ordinary account token for "email:<address>". Every status of
// POST /v1/contact/code and /v1/contact/token, on each store.
#include <boost/test/unit_test.hpp>
#include <regex>
#include <thread>

#include "core/encoding/base64.hpp"
#include "native/common/files.hpp"
#include "native/common/http_client.hpp"
#include "native/intake/contact/code_mail.hpp"
#include "native/intake/contact/contact_codes.hpp"
#include "native/intake/contact/email_address.hpp"
#include "tests/support/intake_fixture.hpp"
#include "tests/support/json_value.hpp"

using namespace objector;
using namespace objector::test;
using objector::native::HttpClient;
using objector::native::HttpResult;

namespace {

constexpr const char* kFrom = "objections@social.example";

// The test's mail server and what it received.
struct MailSink {
  TempDir dir;
  std::unique_ptr<ServerProcess> server = std::make_unique<ServerProcess>(OBJECTOR_SMTP_SINK, dir.path());
  unsigned short port() const { return server->port(); }
  void stop() {
    server->kill(SIGKILL);
    server->wait();
  }
  void start_again() {
    auto port = server->port();
    server = std::make_unique<ServerProcess>(OBJECTOR_SMTP_SINK, dir.path(), std::vector<std::string>{}, port);
  }

  std::vector<std::string> mails() const {
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::directory_iterator(dir.path())) {
      auto name = e.path().filename().string();
      if (name.starts_with("mail-") && name.ends_with(".eml")) files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    std::vector<std::string> out;
    out.reserve(files.size());
    for (const auto& f : files) out.push_back(native::read_file(f).value());
    return out;
  }
  void refuse(bool on) const {
    if (on) {
      (void)native::write_file(dir.path() / "refuse", "");
    } else {
      std::filesystem::remove(dir.path() / "refuse");
    }
  }
};

std::function<void(json&)> with_contact(unsigned short smtp_port, const json& extra = json::object()) {
  return [smtp_port, extra](json& config) {
    fast_batches(config);
    config["contact"] = {{"smtp_url", "smtp://127.0.0.1:" + std::to_string(smtp_port)}, {"from", kFrom}};
    for (const auto& [k, v] : extra.items()) config["contact"][k] = v;
  };
}

std::string decode_base64_text(std::string_view text) {
  std::string joined;
  for (char c : text) {
    if (c != '\r' && c != '\n') joined += c;
  }
  auto bytes = base64_decode(joined).value();
  return {bytes.begin(), bytes.end()};
}

struct ReadMail {
  std::string envelope_to, to, subject, body;
};

ReadMail read_mail(const std::string& raw) {
  auto header = [&](const std::string& name) {
    std::smatch m;
    std::regex re("(^|\r\n)" + name + ": ([^\r\n]*)");
    BOOST_TEST_REQUIRE(std::regex_search(raw, m, re), name + " in " + raw);
    return m[2].str();
  };
  ReadMail out{header("X-Envelope-To"), header("To"), header("Subject"), ""};
  std::smatch m;
  BOOST_TEST_REQUIRE(std::regex_match(out.subject, m, std::regex(R"(=\?UTF-8\?B\?([A-Za-z0-9+/=]+)\?=)")));
  out.subject = decode_base64_text(m[1].str());
  BOOST_TEST(header("Content-Transfer-Encoding") == "base64");
  BOOST_TEST(header("Auto-Submitted") == "auto-generated");
  BOOST_TEST(header("From") == std::string("<") + kFrom + ">");
  out.body = decode_base64_text(raw.substr(raw.find("\r\n\r\n") + 4));
  return out;
}

std::string code_in(const ReadMail& mail) {
  std::smatch m;
  BOOST_TEST_REQUIRE(std::regex_search(mail.subject, m, std::regex("^([0-9]{6}) ")), mail.subject);
  return m[1].str();
}

HttpResult post(HttpClient& client, const std::string& path, const json& body) {
  return client.post_json(path, body.dump(), "");
}

json body_of(const HttpResult& r) { return parse_json(r.body).value(); }

// A running intake with contact on, and its mail server.
struct ContactIntake {
  explicit ContactIntake(const json& extra = json::object())
      : data(with_contact(sink.port(), extra)), server(data.dir()), client(server.port()) {}
  MailSink sink;
  IntakeData data;
  IntakeServer server;
  HttpClient client;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(intake_contact)

BOOST_AUTO_TEST_CASE(addresses_are_checked_and_normalized) {
  using intake::normalize_email;
  BOOST_TEST(normalize_email("  Ana.Souza@Example.COM.br \n").value() == "Ana.Souza@example.com.br");
  BOOST_TEST(normalize_email("o'brien+ai@xn--bcher-kva.example").value() == "o'brien+ai@xn--bcher-kva.example");
  for (std::string_view bad : {"",
                               "   ",
                               "ana",
                               "ana@",
                               "@example.com",
                               "ana@example",
                               "ana@@example.com",
                               "a@b@example.com",
                               ".ana@example.com",
                               "ana.@example.com",
                               "a..b@example.com",
                               "ana smith@example.com",
                               "ana@exa mple.com",
                               "ana@-example.com",
                               "ana@example-.com",
                               "ana@example..com",
                               "<ana@example.com>",
                               "ana@example.com>\r\nRCPT TO:<x@evil.example",
                               "\"ana\"@example.com",
                               "ana@bücher.example",
                               "anã@example.com"}) {
    auto r = normalize_email(bad);
    BOOST_TEST(!r.ok(), bad);
    if (!r.ok()) BOOST_TEST(r.error().code == "bad_email", bad);
  }
  BOOST_TEST(normalize_email(std::string(64, 'a') + "@" + std::string(185, 'b') + ".cd").ok() == false);  // 251 bytes
  BOOST_TEST(normalize_email(std::string(64, 'a') + "@" + std::string(60, 'b') + "." + std::string(60, 'c') + "." +
                             std::string(60, 'd') + ".ef")
                 .ok());  // 250 bytes
  BOOST_TEST(!normalize_email(std::string(65, 'a') + "@example.com").ok());
}

BOOST_AUTO_TEST_CASE(the_mail_is_in_the_persons_language) {
  auto pt = intake::code_mail("pt-BR", "ana@example.com", "012345", 900, "social.example/ai-training");
  BOOST_TEST(pt.subject == "012345 é o seu código para social.example/ai-training");
  BOOST_TEST(pt.body.starts_with("Seu código é 012345.\n\n"));
  BOOST_TEST(pt.body.find("por 15 minutos") != std::string::npos);
  BOOST_TEST(intake::code_mail("pl", "a@b.c", "999999", 600, "x").subject == "999999 to Twój kod do x");
  BOOST_TEST(intake::code_mail("de-AT", "a@b.c", "1", 60, "x").subject == "1 ist Ihr Code für x");  // primary subtag
  BOOST_TEST(intake::code_mail("ja", "a@b.c", "1", 60, "x").subject == "1 is your code for x");     // else en-GB
}

BOOST_AUTO_TEST_CASE(without_contact_the_routes_are_not_there) {
  RunningIntake intake;
  auto& [data, server, client] = intake;
  for (const char* path : {"/v1/contact/code", "/v1/contact/token"}) {
    auto r = post(client, path, {{"email", "ana@example.com"}, {"code", "123456"}});
    BOOST_TEST(r.status == 404, path);
    BOOST_TEST(body_of(r)["error"] == "not_found");
  }
  BOOST_TEST(!body_of(client.get("/.well-known/objector")).contains("contact"));
}

BOOST_AUTO_TEST_CASE(a_code_by_mail_buys_a_token_for_the_address_and_the_flow_is_todays) {
  ContactIntake intake;
  auto& client = intake.client;
  BOOST_TEST(body_of(client.get("/.well-known/objector"))["contact"] == json({{"code_ttl_s", 900}}));
  auto before = unix_now();
  auto sent = post(client, "/v1/contact/code", {{"email", "  Ana.Souza@Example.COM.br "}, {"lang", "pt-BR"}});
  BOOST_TEST_REQUIRE(sent.status == 202, sent.body);
  BOOST_TEST(sent.headers["cache-control"] == "no-store");
  auto expires = body_of(sent)["expires"].get<std::int64_t>();
  BOOST_TEST(expires >= before + 900);
  BOOST_TEST(expires <= unix_now() + 900);
  BOOST_TEST(body_of(sent) == json({{"expires", expires}}));
  auto mails = intake.sink.mails();
  BOOST_TEST_REQUIRE(mails.size() == 1u);
  auto mail = read_mail(mails[0]);
  BOOST_TEST(mail.envelope_to == "Ana.Souza@example.com.br");
  BOOST_TEST(mail.to == "<Ana.Souza@example.com.br>");
  auto code = code_in(mail);
  BOOST_TEST(mail.subject == code + " é o seu código para social.example/ai-training");
  BOOST_TEST(mail.body.starts_with("Seu código é " + code + ".\r\n\r\nDigite-o"));

  auto wrong = post(client, "/v1/contact/token", {{"email", "ana.souza@example.com.br"}, {"code", code}});
  BOOST_TEST(wrong.status == 401);  // the local part is the person's own: another spelling is another box
  BOOST_TEST(body_of(wrong)["error"] == "code_invalid");
  auto other = code == "000000" ? std::string("000001") : std::string("000000");
  auto bad = post(client, "/v1/contact/token", {{"email", "Ana.Souza@example.com.br"}, {"code", other}});
  BOOST_TEST(bad.status == 401);
  BOOST_TEST(body_of(bad)["error"] == "code_invalid");
  auto got = post(client, "/v1/contact/token", {{"email", "Ana.Souza@EXAMPLE.com.br"}, {"code", code}});
  BOOST_TEST_REQUIRE(got.status == 200, got.body);
  BOOST_TEST(got.headers["cache-control"] == "no-store");
  auto token = body_of(got)["token"].get<std::string>();
  BOOST_TEST(body_of(got)["account"] == "email:Ana.Souza@example.com.br");
  auto again = post(client, "/v1/contact/token", {{"email", "Ana.Souza@example.com.br"}, {"code", code}});
  BOOST_TEST(again.status == 401);  // a code works once
  BOOST_TEST(body_of(again)["error"] == "code_invalid");

  // From here it is today's flow, for the subject email:<address>.
  auto objection = intake.data.objection("email:Ana.Souza@example.com.br", "BR");
  auto made = client.post_json("/v1/objections", IntakeData::body(objection), token);
  BOOST_TEST_REQUIRE(made.status == 201, made.body);
  auto mine = client.request("GET", "/v1/objections", "", {{"authorization", "Bearer " + token}});
  BOOST_TEST(body_of(mine)["account"] == "email:Ana.Souza@example.com.br");
  BOOST_TEST(body_of(mine)["objections"].size() == 1u);
  BOOST_TEST(intake.data.open_store()->openings(0, 1).value()[0].account == "email:Ana.Souza@example.com.br");
  // The export (the exclusion list) carries the subject like an account.
  TempDir out;
  auto exported =
      run({intake_bin(), "export", "--dir", intake.data.dir().string(), "--out", (out.path() / "x").string()});
  BOOST_TEST_REQUIRE(exported.exit_code == 0, exported.err);
  auto openings = native::read_file(out.path() / "x" / "openings.jsonl").value();
  BOOST_TEST(openings.find(R"({"account":"email:Ana.Souza@example.com.br","index":0,"r":")") == 0u);
}

BOOST_AUTO_TEST_CASE(a_code_past_its_time_is_expired) {
  ContactIntake intake(json{{"code_ttl_s", 1}});
  BOOST_TEST_REQUIRE(post(intake.client, "/v1/contact/code", {{"email", "eve@example.com"}}).status == 202);
  auto code = code_in(read_mail(intake.sink.mails().at(0)));
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  auto late = post(intake.client, "/v1/contact/token", {{"email", "eve@example.com"}, {"code", code}});
  BOOST_TEST(late.status == 401);
  BOOST_TEST(body_of(late)["error"] == "code_expired");
}

BOOST_AUTO_TEST_CASE(a_malformed_address_is_400_and_sends_nothing) {
  ContactIntake intake;
  for (const json& body :
       {json{{"email", "ana"}}, json{{"email", "ana@example.com>\r\nRCPT TO:<x@evil.example"}}, json{{"email", ""}}}) {
    auto r = post(intake.client, "/v1/contact/code", body);
    BOOST_TEST(r.status == 400, r.body);
    BOOST_TEST(body_of(r)["error"] == "bad_email");
  }
  auto typed = post(intake.client, "/v1/contact/code", {{"email", 5}});
  BOOST_TEST(typed.status == 400);
  BOOST_TEST(body_of(typed)["error"] == "wrong_type");
  auto extra = post(intake.client, "/v1/contact/code", {{"email", "ana@example.com"}, {"phone", "1"}});
  BOOST_TEST(extra.status == 400);
  BOOST_TEST(body_of(extra)["error"] == "unknown_field");
  auto digits = post(intake.client, "/v1/contact/token", {{"email", "ana@example.com"}, {"code", "12345"}});
  BOOST_TEST(digits.status == 400);
  BOOST_TEST(body_of(digits)["error"] == "bad_request");
  BOOST_TEST(intake.sink.mails().empty());
}

BOOST_AUTO_TEST_CASE(wrong_codes_lock_the_code) {
  ContactIntake intake(json{{"max_attempts", 3}});
  BOOST_TEST_REQUIRE(post(intake.client, "/v1/contact/code", {{"email", "bo@example.org"}}).status == 202);
  auto code = code_in(read_mail(intake.sink.mails().at(0)));
  BOOST_TEST(read_mail(intake.sink.mails().at(0)).subject == code + " is your code for social.example/ai-training");
  auto wrong = code == "999999" ? std::string("999998") : std::string("999999");
  for (int i = 0; i < 3; ++i) {
    auto r = post(intake.client, "/v1/contact/token", {{"email", "bo@example.org"}, {"code", wrong}});
    BOOST_TEST(r.status == 401);
    BOOST_TEST(body_of(r)["error"] == "code_invalid");
  }
  auto locked = post(intake.client, "/v1/contact/token", {{"email", "bo@example.org"}, {"code", code}});
  BOOST_TEST(locked.status == 401);
  BOOST_TEST(body_of(locked)["error"] == "code_locked");
  // A new code works.
  BOOST_TEST_REQUIRE(post(intake.client, "/v1/contact/code", {{"email", "bo@example.org"}}).status == 202);
  auto fresh = code_in(read_mail(intake.sink.mails().at(1)));
  BOOST_TEST(post(intake.client, "/v1/contact/token", {{"email", "bo@example.org"}, {"code", fresh}}).status == 200);
}

BOOST_AUTO_TEST_CASE(codes_per_address_are_limited_and_a_mail_server_that_fails_costs_nothing) {
  ContactIntake intake(json{{"per_address_per_hour", 2}});
  auto ask = [&](const std::string& email) { return post(intake.client, "/v1/contact/code", {{"email", email}}); };
  intake.sink.refuse(true);
  auto refused = ask("cy@example.net");
  BOOST_TEST(refused.status == 503, refused.body);
  BOOST_TEST(body_of(refused)["error"] == "mail_unavailable");
  BOOST_TEST(refused.headers["retry-after"] == "30");
  intake.sink.refuse(false);
  BOOST_TEST(ask("cy@example.net").status == 202);  // the refused one did not count
  BOOST_TEST(ask("cy@example.net").status == 202);
  auto third = ask("CY@example.net");  // another spelling of the local part is another address
  BOOST_TEST(third.status == 202);
  auto over = ask("cy@EXAMPLE.net");
  BOOST_TEST(over.status == 429, over.body);
  BOOST_TEST(body_of(over)["error"] == "too_many_codes");
  auto retry = std::stoi(over.headers["retry-after"]);
  BOOST_TEST(retry > 3500);
  BOOST_TEST(retry <= 3600);
  // Only the newest code works.
  auto mails = intake.sink.mails();
  BOOST_TEST_REQUIRE(mails.size() == 3u);
  auto first = code_in(read_mail(mails[0]));
  auto second = code_in(read_mail(mails[1]));
  if (first != second) {
    auto old = post(intake.client, "/v1/contact/token", {{"email", "cy@example.net"}, {"code", first}});
    BOOST_TEST(body_of(old)["error"] == "code_invalid");
  }
  BOOST_TEST(post(intake.client, "/v1/contact/token", {{"email", "cy@example.net"}, {"code", second}}).status == 200);
  // A mail server that is down: 503, and the address's budget is untouched.
  intake.sink.stop();
  for (int i = 0; i < 3; ++i) {
    auto down = ask("dee@example.net");
    BOOST_TEST(down.status == 503);
    BOOST_TEST(body_of(down)["error"] == "mail_unavailable");
    BOOST_TEST(down.headers["retry-after"] == "30");
  }
  intake.sink.start_again();
  BOOST_TEST(ask("dee@example.net").status == 202);
  BOOST_TEST(ask("dee@example.net").status == 202);
  BOOST_TEST(intake.sink.mails().size() == 5u);
}

BOOST_AUTO_TEST_CASE(a_code_expires_and_its_hash_is_deleted) {
  IntakeData data;
  auto store = data.open_store();
  auto& rows = *store->contact_codes();
  Bytes secret(32, 7);
  auto key = intake::contact_address_key(secret, "ana@example.com");
  auto hash = intake::contact_code_hash(secret, key, "123456");
  intake::CodeLimits limits{900, 5, 3};
  std::int64_t t = 1'800'000'000;
  std::int64_t retry = 0;
  BOOST_TEST(intake::issue_contact_code(rows, key, hash, t, limits, &retry).value().expires == t + 900);
  auto late = intake::use_contact_code(rows, key, hash, t + 900, limits);
  BOOST_TEST(late.error().code == "code_expired");
  BOOST_TEST(intake::use_contact_code(rows, key, hash, t + 901, limits).error().code == "code_expired");
  // The hash went when the code expired; the row stays an hour after its mail (the hourly budget), then goes.
  auto look = [&](std::vector<intake::ContactCodeRow>& out) {
    return rows.with_codes(key, [&](std::vector<intake::ContactCodeRow>& r) -> Status {
      out = r;
      return Ok{};
    });
  };
  std::vector<intake::ContactCodeRow> seen;
  BOOST_TEST_REQUIRE(look(seen).ok());
  BOOST_TEST_REQUIRE(seen.size() == 1u);
  BOOST_TEST(seen[0].code_hash.empty());
  BOOST_TEST(rows.delete_stale_codes(t + 3599).value() == 0u);
  BOOST_TEST(rows.delete_stale_codes(t + 3600).value() == 1u);
  BOOST_TEST_REQUIRE(look(seen).ok());
  BOOST_TEST(seen.empty());
  // The retention job clears a live code's hash once it expires, without anyone trying it.
  BOOST_TEST(intake::issue_contact_code(rows, key, hash, t, limits, &retry).ok());
  BOOST_TEST(rows.delete_stale_codes(t + 899).value() == 0u);
  BOOST_TEST_REQUIRE(look(seen).ok());
  BOOST_TEST(seen.at(0).code_hash.size() == 32u);
  BOOST_TEST(rows.delete_stale_codes(t + 900).value() == 0u);
  BOOST_TEST_REQUIRE(look(seen).ok());
  BOOST_TEST(seen.at(0).code_hash.empty());
  // The hourly budget counts from each mail: the fourth waits for the first to leave the hour.
  auto other = intake::contact_address_key(secret, "bo@example.com");
  for (int i = 0; i < 3; ++i)
    BOOST_TEST(intake::issue_contact_code(rows, other, hash, t + std::int64_t{i} * 60, limits, &retry).ok());
  auto fourth = intake::issue_contact_code(rows, other, hash, t + 600, limits, &retry);
  BOOST_TEST(fourth.error().code == "too_many_codes");
  BOOST_TEST(retry == 3000);
  BOOST_TEST(intake::issue_contact_code(rows, other, hash, t + 3600, limits, &retry).ok());
}

BOOST_AUTO_TEST_CASE(credentials_never_come_from_config_json) {
  auto config = [](json contact) {
    json j = {{"origin", "social.example/ai-training"}, {"listen", "127.0.0.1:0"}, {"contact", contact}};
    return intake::config_from_json(test::as_value(j));
  };
  auto with_user = config({{"smtp_url", "smtp://user:secret@mail.example:587"}, {"from", kFrom}});
  BOOST_TEST(with_user.error().code == "bad_config");
  BOOST_TEST(with_user.error().message.find("credentials do not belong in config.json") != std::string::npos);
  BOOST_TEST(config({{"smtp_url", "http://mail.example"}, {"from", kFrom}}).error().code == "bad_config");
  BOOST_TEST(config({{"smtp_url", "smtps://mail.example:465"}, {"from", "x"}}).error().code == "bad_config");
  BOOST_TEST(config({{"smtp_url", "smtps://mail.example:465"}, {"from", kFrom}, {"password", "x"}}).error().code ==
             "unknown_field");
  auto ok = config({{"smtp_url", "smtps://mail.example:465"}, {"from", kFrom}}).value();
  BOOST_TEST(ok.contact->code_ttl_s == 900);
  BOOST_TEST(ok.contact->max_attempts == 5u);
  BOOST_TEST(ok.contact->per_address_per_hour == 3u);
}

BOOST_AUTO_TEST_SUITE_END()
