// The e-mail address a person without an account objects with, checked and
// normalized once, so one person is one subject ("email:<address>"):
// surrounding white space trimmed, the domain lower-cased (domains are
// case-insensitive, RFC 5321 §2.4); the local part kept exactly as written,
// because only the receiving domain may say that two spellings are one box.
// Accepted: a dot-atom local part (RFC 5322 §3.2.3, ASCII) of 1..64 bytes, and
// a domain of at least two LDH labels (internationalized domains in their
// xn-- form), 250 bytes in all so that "email:" + address is an account.
// Nothing that could end an SMTP command or a mail header gets through.
// Thread safety: pure function.
#pragma once

#include <string>
#include <string_view>

#include "core/result.hpp"

namespace objector::intake {

inline constexpr std::string_view kEmailSubjectPrefix = "email:";
inline constexpr std::size_t kMaxEmailBytes = 250;

// The address normalized, or bad_email saying what is wrong with it.
Result<std::string> normalize_email(std::string_view text);

}  // namespace objector::intake
