#include "native/intake/responses.hpp"

#include "core/encoding/utf8.hpp"
#include "core/json/jcs_writer.hpp"

namespace objector::intake {
namespace {

struct StatusOf {
  const ErrorCode& code;
  int status;
};

constexpr StatusOf kStatusOf[] = {
    {errc::token_missing, 401},      {errc::token_invalid, 401},     {errc::token_expired, 401},
    {errc::account_mismatch, 403},   {errc::not_found, 404},         {errc::not_logged, 404},
    {errc::method_not_allowed, 405}, {errc::request_timeout, 408},   {errc::device_key_reused, 409},
    {errc::too_large, 413},          {errc::body_too_large, 413},    {errc::unsupported_media_type, 415},
    {errc::rate_limited, 429},       {errc::headers_too_large, 431}, {errc::overloaded, 503},
    {errc::shutting_down, 503},      {errc::not_witnessed, 503},     {errc::not_sequenced, 503},
    {errc::store_unavailable, 503},  {errc::code_invalid, 401},      {errc::code_expired, 401},
    {errc::code_locked, 401},        {errc::too_many_codes, 429},    {errc::mail_unavailable, 503},
};

int status_of_kind(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::malformed:
    case ErrorKind::unverified:
      return 400;
    case ErrorKind::unavailable:
    case ErrorKind::internal:
      break;
  }
  return 500;
}

std::string_view cache_control(Caching caching) {
  switch (caching) {
    case Caching::none:
      break;
    case Caching::revalidate:
      return "no-cache";
    case Caching::briefly:
      return "max-age=2";
    case Caching::hour:
      return "public, max-age=3600";
    case Caching::forever:
      return "public, max-age=31536000, immutable";
  }
  return "no-store";
}

}  // namespace

// Written directly (JcsWriter), not through a DOM: one goes out with every
// objection logged. Members in JCS (byte) order; indexes and sizes are the
// store's 63-bit integers.
std::string inclusion_body(std::uint64_t index, const Hash& leaf, const std::string& proof) {
  return JcsWriter(proof.size() + 96)
      .object()
      .key("index")
      .integer(static_cast<std::int64_t>(index))
      .key("leaf_hash")
      .base64(leaf)
      .key("proof")
      .string(proof)
      .end()
      .take();
}

std::string consistency_body(std::uint64_t old_size, std::uint64_t new_size, std::span<const Hash> proof,
                             const std::string& checkpoint) {
  JcsWriter w;
  w.object().key("checkpoint").string(checkpoint);
  w.key("new_size").integer(static_cast<std::int64_t>(new_size));
  w.key("old_size").integer(static_cast<std::int64_t>(old_size));
  w.key("proof").array();
  for (const auto& h : proof) w.base64(h);
  return w.end().end().take();
}

int http_status(const Error& e) {
  for (const auto& s : kStatusOf) {
    if (e.is(s.code)) return s.status;
  }
  return status_of_kind(e.kind);
}

Response respond(unsigned version, http::status status, std::string_view content_type, std::string body,
                 Caching caching) {
  Response res{status, version};
  res.set(http::field::content_type, boost::beast::string_view(content_type.data(), content_type.size()));
  auto cache = cache_control(caching);
  res.set(http::field::cache_control, boost::beast::string_view(cache.data(), cache.size()));
  res.set("X-Content-Type-Options", "nosniff");
  res.body() = std::move(body);
  return res;
}

Response json_response(unsigned version, http::status status, std::string body) {
  return respond(version, status, "application/json; charset=utf-8", std::move(body));
}

Response error_response(unsigned version, const Error& e, std::optional<int> retry_after_s) {
  // Written directly too: a 503 goes out with every objection turned away.
  auto body =
      JcsWriter().object().key("error").string(e.code).key("message").string(to_valid_utf8(e.message)).end().take();
  auto res = json_response(version, static_cast<http::status>(http_status(e)), std::move(body));
  // A moment is enough for a full queue or a restart to pass; a database restart takes a few.
  if (!retry_after_s &&
      (e.is(errc::overloaded) || e.is(errc::shutting_down) || e.is(errc::not_witnessed) || e.is(errc::not_sequenced))) {
    retry_after_s = 1;
  }
  if (!retry_after_s && e.is(errc::store_unavailable)) retry_after_s = 2;
  if (retry_after_s) res.set(http::field::retry_after, std::to_string(*retry_after_s));
  return res;
}

}  // namespace objector::intake
