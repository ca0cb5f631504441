// Result<T>: the return type of every fallible operation, shaped like std::expected<T, Error>.
// An Error carries a machine-readable code and an English detail that never holds personal data.
// Thread-safety: value types, no shared state.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace shelter::core {

enum class ErrorCode {
  kInvalidArgument,   // caller passed something malformed (bad JSON, unknown field, ...)
  kParse,             // untrusted bytes could not be decoded
  kNotFound,          // record, key, file or account absent
  kAlreadyExists,     // unique thing created twice
  kIo,                // file or database I/O failed (disk full, fsync failed, ...)
  kCorrupt,           // stored data failed an integrity check
  kCrypto,            // authentication or signature check failed
  kUnauthenticated,   // wrong PIN or no login
  kRateLimited,       // too many wrong PINs; wait
  kPermissionDenied,  // logged in, but the role may not do this
  kUnsupported,       // version or feature not supported
  kConflict,          // state changed underneath the caller
  kInternal,          // a bug; should not happen
  kLocked,            // a card's PIN is blocked for good; only its issuer can reset it
};

const char* ErrorCodeName(ErrorCode code);

struct Error {
  ErrorCode code;
  std::string detail;  // English, for logs and staff; never personal data

  std::string ToString() const { return std::string(ErrorCodeName(code)) + ": " + detail; }
};

inline Error MakeError(ErrorCode code, std::string detail) {
  return Error{code, std::move(detail)};
}

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(v_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(v_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(v_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const {
    assert(!ok());
    return std::get<1>(v_);
  }

 private:
  std::variant<T, Error> v_;
};

// Result<void>: success carries nothing.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error)
      : error_(std::move(error)), ok_(false) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const {
    assert(!ok_);
    return error_;
  }

 private:
  Error error_{ErrorCode::kInternal, ""};
  bool ok_ = true;
};

using Status = Result<void>;

inline Status Ok() { return Status(); }

}  // namespace shelter::core

// Propagate an error from an expression returning Result<...>; used inside functions returning
// Result.
#define SHELTER_TRY(expr)                                    \
  do {                                                       \
    auto shelter_try_r_ = (expr);                            \
    if (!shelter_try_r_.ok()) return shelter_try_r_.error(); \
  } while (0)

#define SHELTER_CONCAT_INNER_(a, b) a##b
#define SHELTER_CONCAT_(a, b) SHELTER_CONCAT_INNER_(a, b)
// SHELTER_ASSIGN_OR_RETURN(auto x, Foo()); binds the value or returns the error.
#define SHELTER_ASSIGN_OR_RETURN(lhs, expr) \
  SHELTER_ASSIGN_OR_RETURN_IMPL_(SHELTER_CONCAT_(shelter_r_, __LINE__), lhs, expr)
#define SHELTER_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                   \
  if (!tmp.ok()) return tmp.error();                   \
  lhs = std::move(tmp).value()
