// Every error code of Objector, with its kind, in one list. The code is the
// stable machine name (the intake's JSON "error", the widget's catalog key
// "error.<code>", the verifier's --json "error"); the kind is what callers
// act on:
//   malformed    the input is not what the format or the API says (exit 2, HTTP 4xx)
//   unverified   the input is well-formed but a check failed: a signature, a
//                proof, a root, a policy, a token (exit 1, HTTP 4xx)
//   unavailable  I/O, storage or network: try again later (exit 2, HTTP 5xx)
//   internal     a bug or a broken environment (exit 2, HTTP 500)
// "person" marks the codes a person can meet in the widget: each has a
// message in every catalog of web/i18n (tests/wasm/catalogs.test.mjs).
// Thread safety: constants only.
#pragma once

#include <cstdint>
#include <string_view>

namespace objector {

enum class ErrorKind : std::uint8_t { malformed, unverified, unavailable, internal };

struct ErrorCode {
  std::string_view name;
  ErrorKind kind;
  bool person;  // a person can meet it in the widget
};

// X(name, kind, person)
#define OBJECTOR_ERROR_CODES(X)                 \
  /* encodings, JSON and field schemas */       \
  X(bad_json, malformed, false)                 \
  X(bad_value, malformed, false)                \
  X(bad_number, malformed, false)               \
  X(bad_base64, malformed, false)               \
  X(bad_length, malformed, false)               \
  X(not_canonical, malformed, false)            \
  X(wrong_type, malformed, false)               \
  X(missing_field, malformed, false)            \
  X(unknown_field, malformed, false)            \
  X(empty_field, malformed, false)              \
  X(out_of_range, malformed, false)             \
  X(too_large, malformed, false)                \
  X(too_long, malformed, true)                  \
  X(too_many, malformed, false)                 \
  X(control_character, malformed, true)         \
  X(unknown_type, malformed, false)             \
  /* keys, notes, checkpoints, proofs, tiles */ \
  X(bad_key, malformed, false)                  \
  X(bad_seed, malformed, false)                 \
  X(key_id_mismatch, malformed, false)          \
  X(unknown_algorithm, malformed, false)        \
  X(bad_note, malformed, false)                 \
  X(bad_origin, malformed, false)               \
  X(bad_checkpoint, malformed, false)           \
  X(bad_policy, malformed, false)               \
  X(bad_proof_format, malformed, false)         \
  X(bad_tile_path, malformed, false)            \
  X(bad_tile, malformed, false)                 \
  X(bad_bundle, malformed, false)               \
  X(bad_tree, malformed, false)                 \
  X(bad_note_signature, unverified, false)      \
  X(unknown_signer, unverified, false)          \
  X(unknown_log, unverified, false)             \
  X(wrong_log, unverified, false)               \
  X(quorum_not_met, unverified, false)          \
  X(bad_proof, unverified, false)               \
  X(bad_index, unverified, false)               \
  X(bad_size, unverified, false)                \
  X(root_mismatch, unverified, false)           \
  X(not_consistent, unverified, false)          \
  X(old_size_mismatch, unverified, false)       \
  X(missing_node, unavailable, false)           \
  X(missing_tile, unavailable, false)           \
  /* statements, entries, openings, receipts */ \
  X(bad_lang, malformed, false)                 \
  X(bad_service, malformed, false)              \
  X(basis_mismatch, malformed, false)           \
  X(empty_services, malformed, false)           \
  X(empty_purposes, malformed, false)           \
  X(unknown_jurisdiction, malformed, false)     \
  X(unknown_purpose, malformed, false)          \
  X(bad_signature, unverified, false)           \
  X(seed_mismatch, unverified, false)           \
  X(subject_mismatch, unverified, false)        \
  X(wrong_entry, unverified, false)             \
  X(challenge_mismatch, unverified, false)      \
  /* exports and training manifests */          \
  X(bad_export, malformed, false)               \
  X(bad_manifest, malformed, false)             \
  X(violation, unverified, false)               \
  /* the intake's answers */                    \
  X(bad_request, malformed, false)              \
  X(bad_leaf_hash, malformed, false)            \
  X(bad_time, malformed, true)                  \
  X(wrong_controller, malformed, true)          \
  X(jurisdiction_not_offered, malformed, true)  \
  X(unknown_service, malformed, true)           \
  X(purpose_not_offered, malformed, true)       \
  X(device_key_reused, malformed, true)         \
  X(not_found, malformed, false)                \
  X(not_logged, unverified, false)              \
  X(method_not_allowed, malformed, false)       \
  X(unsupported_media_type, malformed, false)   \
  X(body_too_large, malformed, true)            \
  X(headers_too_large, malformed, false)        \
  X(token_missing, unverified, true)            \
  X(token_invalid, unverified, true)            \
  X(token_expired, unverified, true)            \
  X(account_mismatch, unverified, true)         \
  X(bad_email, malformed, true)                 \
  X(code_invalid, unverified, true)             \
  X(code_expired, unverified, true)             \
  X(code_locked, unverified, true)              \
  X(too_many_codes, unavailable, true)          \
  X(mail_unavailable, unavailable, true)        \
  X(request_timeout, unavailable, true)         \
  X(rate_limited, unavailable, true)            \
  X(overloaded, unavailable, true)              \
  X(shutting_down, unavailable, true)           \
  X(storage_error, unavailable, true)           \
  X(store_unavailable, unavailable, true)       \
  X(not_witnessed, unavailable, false)          \
  X(not_sequenced, unavailable, false)          \
  X(stale_sequencer, unavailable, false)        \
  /* tools: usage, files, network, set-up */    \
  X(usage, malformed, false)                    \
  X(bad_config, malformed, false)               \
  X(exists, malformed, false)                   \
  X(empty_log, malformed, false)                \
  X(unknown_operation, malformed, false)        \
  X(io_error, unavailable, false)               \
  X(http, unavailable, false)                   \
  X(init, internal, false)                      \
  X(internal_error, internal, false)

namespace errc {
#define OBJECTOR_DEFINE_ERROR_CODE(name, kind, person) inline constexpr ErrorCode name{#name, ErrorKind::kind, person};
OBJECTOR_ERROR_CODES(OBJECTOR_DEFINE_ERROR_CODE)
#undef OBJECTOR_DEFINE_ERROR_CODE
}  // namespace errc

}  // namespace objector
