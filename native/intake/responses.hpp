// Every answer of the intake is built here, so the common headers are set
// once (X-Content-Type-Options, Cache-Control) and every error maps to its
// HTTP status through one table (kind and code, core/error_codes.hpp).
// Thread safety: pure functions.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/bytes.hpp"
#include "core/result.hpp"
#include "native/common/http_server.hpp"

namespace objector::intake {

// The intake speaks through the shared server (native/common/http_server.hpp).
namespace http = native::http;
using native::HttpHandler;
using native::Reply;
using native::Request;
using native::Response;

// How long a client or proxy may keep an answer.
enum class Caching { none, revalidate, briefly, hour, forever };

Response respond(unsigned version, http::status status, std::string_view content_type, std::string body,
                 Caching caching = Caching::none);
Response json_response(unsigned version, http::status status, std::string body);
// {"error": code, "message": text} with the status of http_status(e), and
// Retry-After (seconds) when given, or 1 for overloaded and shutting_down.
Response error_response(unsigned version, const Error& e, std::optional<int> retry_after_s = std::nullopt);

// The bodies of the proof answers (INTEGRATION.md), in canonical JSON:
// {"index", "leaf_hash", "proof"} for the 201/200 of POST /v1/objections and
// GET /v1/proof; {"old_size", "new_size", "proof", "checkpoint"} for
// GET /v1/consistency.
std::string inclusion_body(std::uint64_t index, const Hash& leaf, const std::string& proof);
std::string consistency_body(std::uint64_t old_size, std::uint64_t new_size, std::span<const Hash> proof,
                             const std::string& checkpoint);

// The HTTP status for an error: a few codes have their own (401, 403, 404,
// 405, 408, 409, 413, 415, 429, 431, 503), the rest follow from the kind.
int http_status(const Error& e);

}  // namespace objector::intake
