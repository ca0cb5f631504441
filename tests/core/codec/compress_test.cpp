// Tests for core/codec/compress: zlib round trips, and untrusted input that is cut, followed by
// other bytes, not zlib at all, or inflating beyond the caller's limit (a bomb) is refused.
#include <doctest/doctest.h>

#include "core/codec/compress.hpp"

using namespace shelter::core;

TEST_CASE("zlib: round trip, truncation and bombs are refused") {
  Bytes text(5000, 'a');
  Bytes z = ZlibCompress(View(text));
  CHECK(z.size() < 100);
  auto back = ZlibDecompress(View(z), 5000);
  REQUIRE(back.ok());
  CHECK(*back == text);
  CHECK_FALSE(ZlibDecompress(View(z), 4999).ok());  // over the caller's limit
  Bytes cut(z.begin(), z.end() - 3);
  CHECK_FALSE(ZlibDecompress(View(cut), 5000).ok());
  Bytes trailing = z;
  trailing.push_back(0);
  CHECK_FALSE(ZlibDecompress(View(trailing), 5000).ok());
  CHECK_FALSE(ZlibDecompress(View(std::string_view("not zlib")), 5000).ok());
}

TEST_CASE("zlib: empty input and incompressible bytes round-trip") {
  Bytes empty_z = ZlibCompress(ByteView());
  CHECK_FALSE(empty_z.empty());  // a zlib stream has a header and a checksum
  auto empty = ZlibDecompress(View(empty_z), 0);
  REQUIRE(empty.ok());
  CHECK(empty->empty());

  Bytes noise(4096);
  uint32_t x = 2463534242u;
  for (auto& b : noise) {  // xorshift: bytes zlib cannot shrink
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    b = static_cast<uint8_t>(x);
  }
  Bytes z = ZlibCompress(View(noise));
  CHECK(z.size() >= noise.size());
  auto back = ZlibDecompress(View(z), noise.size());
  REQUIRE(back.ok());
  CHECK(*back == noise);
}

TEST_CASE("zlib: every level gives a stream that inflates to the same bytes") {
  Bytes text;
  for (int i = 0; i < 300; ++i) Append(text, View(std::string_view("避難所 ")));
  for (int level : {0, 1, 6, 9}) {
    CAPTURE(level);
    Bytes z = ZlibCompress(View(text), level);
    auto back = ZlibDecompress(View(z), text.size());
    REQUIRE(back.ok());
    CHECK(*back == text);
  }
}

TEST_CASE("zlib: a bomb is stopped at the limit, with kParse, whatever its full size") {
  Bytes zeros(8u << 20, 0);  // 8 MiB of zeros compress to a few KiB
  Bytes z = ZlibCompress(View(zeros));
  CHECK(z.size() < 16 * 1024);
  auto r = ZlibDecompress(View(z), 64 * 1024);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::kParse);
  auto exact = ZlibDecompress(View(z), zeros.size());
  REQUIRE(exact.ok());
  CHECK(exact->size() == zeros.size());
}
