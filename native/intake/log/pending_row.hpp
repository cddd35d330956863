// A row of the shared queue (PostgreSQL's `pending`, and the in-memory
// store's): the submissions one node queued in one call, as one byte string.
// One row per call, not per submission, because the database's cost is per
// row (a heap tuple, its index entries, their vacuum): a follower gathers for
// up to 20 ms, so a row holds tens of submissions.
//
//   row        = 0x01 submission+            (0x01: this layout)
//   submission = leaf[32] device_key[32] received[8]
//                entry account r reason      (each: length[4] bytes)
//
// Integers are big-endian; `received` is two's complement; an empty reason is
// none. The row holds the blinding values, so it is wiped when dropped.
#pragma once

#include <span>
#include <vector>

#include "native/intake/log/store.hpp"

namespace objector::intake {

SecretBytes encode_pending_row(std::span<const Submission* const> submissions);
// The submissions of a row, in order; a row cut short, with bytes left over,
// or of another layout is an error naming `where` (the row).
Result<std::vector<Submission>> decode_pending_row(ByteView row, std::string_view where);

}  // namespace objector::intake
