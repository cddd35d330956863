// The JSON operations the widget calls through wasm: one function, an
// operation name and a JSON argument object in, a JSON document out. The same
// function runs natively in the vector tests, which is how tests/vectors
// proves the two builds byte-identical.
// Thread safety: pure apart from the random source.
#pragma once

#include <string>
#include <string_view>

namespace objector::api {

struct Reply {
  bool ok = false;
  std::string body;  // JSON (JCS); on failure {"error": code, "message": text}
};

// Operations (arguments → result), binary values as base64:
//   version         {}                                     → {version}
//   jurisdictions   {}                                     → {jurisdictions: [{code, basis}]}
//   canonicalize    any JSON text                          → its JCS bytes
//   keygen          {seed?}                                → {public_key, seed}
//   commit          {account, r?}                          → {account, r, subject}
//   make_objection  {controller, jurisdiction, services, purposes, lang, created,
//                    account, device_seed?, r?}            → {entry, opening, device_seed, entry_bytes, leaf_hash}
//   sign_statement  {statement, device_seed}               → {entry, entry_bytes, leaf_hash}
//   verify_entry    {entry}                                → {entry_bytes, leaf_hash}
//   make_receipt    {entry, opening, device_seed, proof}   → the receipt
//   verify_receipt  {receipt, log_key | policy}            → {leaf_hash, index, checkpoint, cosignatures}
//   verify_inclusion   {index, size, leaf_hash, proof, root}   → {}
//   verify_consistency {size1, size2, proof, root1, root2}     → {}
//   verify_note     {note, keys: [vkey]}                   → {text, signers}
//   verify_proof    {proof, leaf_hash, log_key | policy}   → {index, checkpoint, cosignatures}
//   open_checkpoint {note, log_key | policy}               → {checkpoint, cosignatures}
Reply call(std::string_view op, std::string_view args);

}  // namespace objector::api
