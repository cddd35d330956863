// Errors as values: every fallible core function returns Result<T>.
// Thread safety: plain values; safe to use from any thread.
#pragma once

#include <string>
#include <utility>
#include <variant>

#include "core/error_codes.hpp"

namespace objector {

// A failure a person can act on: a stable machine code from
// core/error_codes.hpp (the HTTP error code, the widget's catalog key), its
// kind (malformed, unverified, unavailable, internal), and a message that says
// what failed, where, and how to fix it.
struct Error {
  std::string_view code;  // an ErrorCode's name: static storage
  ErrorKind kind = ErrorKind::internal;
  std::string message;

  bool is(const ErrorCode& c) const { return code == c.name; }
  bool verification_failed() const { return kind == ErrorKind::unverified; }

  // Prefixes the location ("statement.services", "receipt.json:3") once.
  Error at(std::string_view where) && {
    message = std::string(where) + ": " + message;
    return std::move(*this);
  }
};

inline Error make_error(const ErrorCode& code, std::string message) {
  return Error{code.name, code.kind, std::move(message)};
}

struct Ok {};

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return *std::get_if<0>(&v_); }
  const T& value() const& { return *std::get_if<0>(&v_); }
  T value() && { return std::move(*std::get_if<0>(&v_)); }  // by value: safe on a temporary
  T* operator->() { return std::get_if<0>(&v_); }
  const T* operator->() const { return std::get_if<0>(&v_); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const& { return *std::get_if<1>(&v_); }
  Error error() && { return std::move(*std::get_if<1>(&v_)); }

 private:
  std::variant<T, Error> v_;
};

using Status = Result<Ok>;

}  // namespace objector

#define OBJECTOR_CONCAT_INNER(a, b) a##b
#define OBJECTOR_CONCAT(a, b) OBJECTOR_CONCAT_INNER(a, b)

// Returns early with the error of a failed Result or Status:
//   OBJECTOR_RETURN_IF_ERROR(verify_entry(entry));
#define OBJECTOR_RETURN_IF_ERROR(expr) \
  OBJECTOR_RETURN_IF_ERROR_IMPL(expr, OBJECTOR_CONCAT(objector_status_, __COUNTER__))
// `tmp` and `decl` name variables: they cannot be parenthesized.
// NOLINTBEGIN(bugprone-macro-parentheses)
#define OBJECTOR_RETURN_IF_ERROR_IMPL(expr, tmp) \
  do {                                           \
    auto&& tmp = (expr);                         \
    if (!tmp) return std::move(tmp).error();     \
  } while (0)

// Declares `decl` with the value of a Result, or returns early with its error:
//   OBJECTOR_TRY(auto key, parse_verifier_key(text));
//   use(key);
#define OBJECTOR_TRY(decl, expr) OBJECTOR_TRY_IMPL(decl, expr, OBJECTOR_CONCAT(objector_try_, __COUNTER__))
#define OBJECTOR_TRY_IMPL(decl, expr, tmp) \
  auto tmp = (expr);                       \
  if (!tmp) return std::move(tmp).error(); \
  decl = std::move(*tmp)
// NOLINTEND(bugprone-macro-parentheses)
