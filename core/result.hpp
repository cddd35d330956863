// Errors as values: every fallible core function returns Result<T>.
// Thread safety: plain values; safe to use from any thread.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace objector {

// A failure a person can act on: a stable machine code (used as the HTTP
// error code and by the widget to pick a translated message) and a message
// that says what failed, where, and how to fix it.
struct Error {
  std::string code;
  std::string message;

  // Prefixes the location ("statement.services", "receipt.json:3") once.
  Error at(std::string_view where) && {
    message = std::string(where) + ": " + message;
    return std::move(*this);
  }
};

inline Error make_error(std::string code, std::string message) { return Error{std::move(code), std::move(message)}; }

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
  T&& value() && { return std::move(*std::get_if<0>(&v_)); }
  T* operator->() { return std::get_if<0>(&v_); }
  const T* operator->() const { return std::get_if<0>(&v_); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const& { return *std::get_if<1>(&v_); }
  Error&& error() && { return std::move(*std::get_if<1>(&v_)); }

 private:
  std::variant<T, Error> v_;
};

using Status = Result<Ok>;

}  // namespace objector

// Returns early with the error of a failed Result:
//   auto key = parse_key(text);
//   OBJECTOR_RETURN_IF_ERROR(key);
#define OBJECTOR_RETURN_IF_ERROR(result) \
  if (!(result)) return std::move(result).error()
