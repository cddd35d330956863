#include "core/objection/receipt.hpp"

#include <boost/test/unit_test.hpp>

#include "core/json/jcs.hpp"
#include "core/tlog/tlog_proof.hpp"
#include "tests/support/fixtures.hpp"
#include "tests/support/json_value.hpp"

using namespace objector;

namespace {

Policy log_policy() { return single_log_policy(verifier_of(test::fixed_log_key())); }

}  // namespace

BOOST_AUTO_TEST_SUITE(receipt)

BOOST_AUTO_TEST_CASE(verifies_and_reports) {
  auto r = test::fixed_receipt(2, 5);
  auto report = verify_receipt(r, log_policy());
  BOOST_TEST_REQUIRE(report.ok(), (report.ok() ? "" : report.error().message));
  BOOST_TEST(report->index == 2u);
  BOOST_TEST(report->checkpoint.checkpoint.size == 5u);
  BOOST_TEST(report->leaf_hash == entry_leaf_hash(r.entry));
}

BOOST_AUTO_TEST_CASE(serialize_parse_round_trip_is_byte_exact) {
  auto text = serialize(test::fixed_receipt());
  BOOST_TEST(text.rfind("{\"device_seed\":\"", 0) == 0);
  auto back = parse_receipt(text);
  BOOST_TEST_REQUIRE(back.ok());
  BOOST_TEST(serialize(*back) == text);
}

BOOST_AUTO_TEST_CASE(every_part_is_checked) {
  auto policy = log_policy();
  {
    auto r = test::fixed_receipt();
    r.device_seed = test::fixed_bytes(99);
    BOOST_TEST(verify_receipt(r, policy).error().message ==
               "receipt.device_seed: does not belong to the statement's device key");
  }
  {
    auto r = test::fixed_receipt();
    r.opening.account = "user:9999";
    BOOST_TEST(verify_receipt(r, policy).error().message ==
               "receipt: opening: account and r do not match the statement's subject commitment");
  }
  {
    auto r = test::fixed_receipt();
    r.entry.statement.lang = "de";
    BOOST_TEST(verify_receipt(r, policy).error().code == "bad_signature");
  }
  {
    auto r = test::fixed_receipt(2, 5);
    auto p = parse_tlog_proof(r.proof).value();
    p.index = 3;
    r.proof = format_tlog_proof(p);
    BOOST_TEST(verify_receipt(r, policy).error().message ==
               "receipt.proof: inclusion proof does not lead to the checkpoint root");
  }
  {
    auto r = test::fixed_receipt();
    auto other = single_log_policy(verifier_of(test::fixed_log_key("other.example/log")));
    BOOST_TEST(verify_receipt(r, other).error().message ==
               "receipt.proof: checkpoint: origin \"social.example/ai-training\" is not a trusted log (hint: pass the "
               "log's verifier key)");
  }
  {
    auto r = test::fixed_receipt();
    r.proof = "";
    BOOST_TEST(verify_receipt(r, policy).error().code == "bad_proof_format");
  }
}

BOOST_AUTO_TEST_CASE(checkpoint_by_another_key_with_the_same_name) {
  auto r = test::fixed_receipt();
  auto impostor = generate_signer("social.example/ai-training").value();
  auto e = verify_receipt(r, single_log_policy(verifier_of(impostor)));
  BOOST_TEST(e.error().message ==
             "receipt.proof: checkpoint signed by unknown key (hint: check the log's verifier key)");
}

BOOST_AUTO_TEST_CASE(parse_errors) {
  BOOST_TEST(parse_receipt("{").error().code == "bad_json");
  BOOST_TEST(parse_receipt("{}").error().message == "receipt.type: required field is missing");
  auto j = to_json(test::fixed_receipt());
  j["type"] = "objection-receipt/v0";
  BOOST_TEST(receipt_from_json(test::as_value(j)).error().message ==
             "receipt.type: expected \"objection-receipt/v1\", got \"objection-receipt/v0\"");
  j = to_json(test::fixed_receipt());
  j["device_seed"] = 5;
  BOOST_TEST(receipt_from_json(test::as_value(j)).error().message ==
             "receipt.device_seed: expected a string, got number");
}

BOOST_AUTO_TEST_CASE(public_receipt_is_entry_and_proof_only) {
  auto full = test::fixed_receipt(2, 5);
  auto pub = public_receipt(full);
  auto text = serialize(pub);
  BOOST_TEST(text == "{\"entry\":" + canonicalize(to_json(full.entry)).value() + ",\"proof\":" +
                         canonicalize(json(full.proof)).value() + ",\"type\":\"objection-public-receipt/v1\"}");
  JsonDocument doc;
  auto j = parse_receipt_json(doc, text).value();
  BOOST_TEST(is_public_receipt(j));
  auto back = public_receipt_from_json(j).value();
  BOOST_TEST(serialize(back) == text);
  auto report = verify_public_receipt(back, log_policy());
  BOOST_TEST_REQUIRE(report.ok(), (report.ok() ? "" : report.error().message));
  BOOST_TEST(report->index == 2u);
  BOOST_TEST(report->leaf_hash == entry_leaf_hash(full.entry));
}

BOOST_AUTO_TEST_CASE(public_receipt_checks) {
  auto policy = log_policy();
  auto pub = public_receipt(test::fixed_receipt(2, 5));
  pub.entry.statement.lang = "de";
  BOOST_TEST(verify_public_receipt(pub, policy).error().code == "bad_signature");
  auto j = to_json(public_receipt(test::fixed_receipt()));
  j["device_seed"] = "AAAA";
  BOOST_TEST(public_receipt_from_json(test::as_value(j)).error().message ==
             "receipt.device_seed: unknown field (hint: remove it; signed documents allow no extra fields)");
  // A full receipt is not a public one, but has a public part.
  auto full = to_json(test::fixed_receipt());
  BOOST_TEST(!is_public_receipt(test::as_value(full)));
  BOOST_TEST(public_receipt_from_json(test::as_value(full)).error().code == "unknown_field");
  BOOST_TEST(serialize(public_part_from_json(test::as_value(full)).value()) ==
             serialize(public_receipt(test::fixed_receipt())));
}

BOOST_AUTO_TEST_SUITE_END()
