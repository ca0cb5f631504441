// Base45 per RFC 9285: every 2 bytes become 3 characters (little-endian in base 45), a final
// odd byte becomes 2 characters.
#include "core/codec/base45.hpp"

#include <array>

namespace shelter::core {
namespace {

constexpr std::string_view kAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

constexpr std::array<int8_t, 256> MakeReverse() {
  std::array<int8_t, 256> r{};
  for (auto& v : r) v = -1;
  for (size_t i = 0; i < kAlphabet.size(); ++i) r[static_cast<uint8_t>(kAlphabet[i])] = int8_t(i);
  return r;
}
constexpr auto kReverse = MakeReverse();

}  // namespace

std::string Base45Encode(ByteView data) {
  std::string out;
  out.reserve((data.size() + 1) / 2 * 3);
  size_t i = 0;
  for (; i + 1 < data.size(); i += 2) {
    unsigned n = data[i] * 256u + data[i + 1];
    out += kAlphabet[n % 45];
    out += kAlphabet[(n / 45) % 45];
    out += kAlphabet[n / (45 * 45)];
  }
  if (i < data.size()) {
    unsigned n = data[i];
    out += kAlphabet[n % 45];
    out += kAlphabet[n / 45];
  }
  return out;
}

Result<Bytes> Base45Decode(std::string_view text) {
  if (text.size() % 3 == 1) return Error{ErrorCode::kParse, "base45: dangling character"};
  Bytes out;
  out.reserve(text.size() / 3 * 2 + 1);
  for (size_t i = 0; i < text.size(); i += 3) {
    size_t len = std::min<size_t>(3, text.size() - i);
    unsigned n = 0, scale = 1;
    for (size_t k = 0; k < len; ++k) {
      int v = kReverse[static_cast<uint8_t>(text[i + k])];
      if (v < 0) return Error{ErrorCode::kParse, "base45: character outside the alphabet"};
      n += unsigned(v) * scale;
      scale *= 45;
    }
    if (len == 3) {
      if (n > 0xFFFF) return Error{ErrorCode::kParse, "base45: triple out of range"};
      out.push_back(uint8_t(n >> 8));
      out.push_back(uint8_t(n & 0xFF));
    } else {
      if (n > 0xFF) return Error{ErrorCode::kParse, "base45: pair out of range"};
      out.push_back(uint8_t(n));
    }
  }
  return out;
}

}  // namespace shelter::core
