#include "core/base/bytes.hpp"

#include <sodium.h>

namespace shelter::core {

const char* ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return "invalid argument";
    case ErrorCode::kParse: return "parse error";
    case ErrorCode::kNotFound: return "not found";
    case ErrorCode::kAlreadyExists: return "already exists";
    case ErrorCode::kIo: return "I/O error";
    case ErrorCode::kCorrupt: return "corrupt data";
    case ErrorCode::kCrypto: return "authentication failed";
    case ErrorCode::kUnauthenticated: return "not logged in";
    case ErrorCode::kRateLimited: return "too many attempts";
    case ErrorCode::kPermissionDenied: return "permission denied";
    case ErrorCode::kUnsupported: return "unsupported";
    case ErrorCode::kConflict: return "conflict";
    case ErrorCode::kInternal: return "internal error";
    case ErrorCode::kLocked: return "locked";
  }
  return "error";
}

std::string ToHex(ByteView b) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(b.size() * 2);
  for (uint8_t c : b) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

static int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Result<Bytes> FromHex(std::string_view hex) {
  if (hex.size() % 2 != 0)
    return MakeError(ErrorCode::kInvalidArgument, "hex string of odd length");
  Bytes out(hex.size() / 2);
  for (size_t i = 0; i < out.size(); ++i) {
    int hi = HexValue(hex[2 * i]), lo = HexValue(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return MakeError(ErrorCode::kInvalidArgument, "not a hex string");
    out[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  return out;
}

Id16 Id16::Random() {
  Id16 id;
  randombytes_buf(id.b.data(), id.b.size());
  return id;
}

Result<Id16> Id16::FromBytes(ByteView bytes) {
  if (bytes.size() != 16)
    return MakeError(ErrorCode::kInvalidArgument, "identifier is not 16 bytes");
  Id16 id;
  std::copy(bytes.begin(), bytes.end(), id.b.begin());
  return id;
}

Result<Id16> Id16::FromHex(std::string_view hex) {
  SHELTER_ASSIGN_OR_RETURN(Bytes b, core::FromHex(hex));
  return FromBytes(View(b));
}

}  // namespace shelter::core
