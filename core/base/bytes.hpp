// Byte strings, fixed-size identifiers and hex. Value types; thread-safe.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.hpp"

namespace shelter::core {

using Bytes = std::vector<uint8_t>;
using ByteView = std::basic_string_view<uint8_t>;

inline ByteView View(const Bytes& b) { return ByteView(b.data(), b.size()); }
inline ByteView View(std::string_view s) {
  return ByteView(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}
inline std::string_view AsChars(ByteView b) {
  return std::string_view(reinterpret_cast<const char*>(b.data()), b.size());
}
inline void Append(Bytes& out, ByteView b) { out.insert(out.end(), b.begin(), b.end()); }

std::string ToHex(ByteView b);
// Returns kInvalidArgument when `hex` has odd length or a non-hex character.
Result<Bytes> FromHex(std::string_view hex);

// A 128-bit random identifier (records, devices, scopes, staff).
struct Id16 {
  std::array<uint8_t, 16> b{};

  auto operator<=>(const Id16&) const = default;
  ByteView view() const { return ByteView(b.data(), b.size()); }
  std::string Hex() const { return ToHex(view()); }
  bool IsZero() const { return *this == Id16{}; }
  static Id16 Random();
  // Returns kInvalidArgument unless `bytes` is exactly 16 bytes.
  static Result<Id16> FromBytes(ByteView bytes);
  static Result<Id16> FromHex(std::string_view hex);
};

using Hash32 = std::array<uint8_t, 32>;

}  // namespace shelter::core
