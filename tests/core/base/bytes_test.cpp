// Tests for core/base/bytes: hex in both directions, 128-bit identifiers and the error names
// every Result prints.
#include "core/base/bytes.hpp"

#include <doctest/doctest.h>

#include <set>
#include <string>

namespace shelter::core {
namespace {

TEST_CASE("bytes: hex is lower case and round-trips every byte value") {
  Bytes all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<uint8_t>(i));
  std::string hex = ToHex(View(all));
  CHECK(hex.size() == 512);
  CHECK(hex.substr(0, 8) == "00010203");
  CHECK(hex.substr(504) == "fcfdfeff");
  auto back = FromHex(hex);
  REQUIRE(back.ok());
  CHECK(*back == all);
  CHECK(ToHex(ByteView()).empty());
  auto empty = FromHex("");
  REQUIRE(empty.ok());
  CHECK(empty->empty());
}

TEST_CASE("bytes: upper-case hex is read, odd lengths and other characters are refused") {
  auto upper = FromHex("DEADbeef");
  REQUIRE(upper.ok());
  CHECK(*upper == Bytes{0xDE, 0xAD, 0xBE, 0xEF});
  for (const char* bad : {"abc", "0g", "zz", " 00", "00 ", "-1"}) {
    CAPTURE(bad);
    auto r = FromHex(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::kInvalidArgument);
  }
}

TEST_CASE("bytes: View and AsChars see the same bytes as the string") {
  std::string s = "避難所";
  s.push_back('\0');  // an embedded NUL is a byte like any other
  s += "x";
  ByteView v = View(s);
  CHECK(v.size() == s.size());
  CHECK(AsChars(v) == s);
  Bytes out = {1};
  Append(out, v);
  CHECK(out.size() == s.size() + 1);
  CHECK(AsChars(ByteView(out.data() + 1, out.size() - 1)) == s);
}

TEST_CASE("bytes: Id16 from 16 bytes or 32 hex digits, nothing else") {
  Bytes raw(16);
  for (int i = 0; i < 16; ++i) raw[i] = static_cast<uint8_t>(0xA0 + i);
  auto id = Id16::FromBytes(View(raw));
  REQUIRE(id.ok());
  CHECK(id->Hex() == "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf");
  CHECK(Bytes(id->view().begin(), id->view().end()) == raw);
  auto again = Id16::FromHex(id->Hex());
  REQUIRE(again.ok());
  CHECK(*again == *id);

  CHECK(Id16::FromBytes(View(Bytes(15))).error().code == ErrorCode::kInvalidArgument);
  CHECK(Id16::FromBytes(View(Bytes(17))).error().code == ErrorCode::kInvalidArgument);
  CHECK_FALSE(Id16::FromHex("a0a1").ok());
  CHECK_FALSE(Id16::FromHex(std::string(32, 'x')).ok());
}

TEST_CASE("bytes: a default Id16 is zero, random ones are not and differ") {
  CHECK(Id16{}.IsZero());
  std::set<Id16> seen;
  for (int i = 0; i < 100; ++i) {
    Id16 id = Id16::Random();
    CHECK_FALSE(id.IsZero());
    seen.insert(id);
  }
  CHECK(seen.size() == 100);
}

TEST_CASE("bytes: Id16 orders by its bytes, first byte first") {
  Id16 a, b;
  a.b[0] = 1;
  a.b[15] = 9;
  b.b[0] = 2;
  CHECK(a < b);
  CHECK(b > a);
  CHECK(a != b);
  b = a;
  CHECK(a == b);
}

TEST_CASE("bytes: every error code has a name, and ToString puts it before the detail") {
  CHECK(std::string(ErrorCodeName(ErrorCode::kParse)) == "parse error");
  CHECK(std::string(ErrorCodeName(ErrorCode::kCrypto)) == "authentication failed");
  CHECK(MakeError(ErrorCode::kNotFound, "no such household").ToString() ==
        "not found: no such household");
  std::set<std::string> names;
  for (ErrorCode c :
       {ErrorCode::kInvalidArgument, ErrorCode::kParse, ErrorCode::kNotFound,
        ErrorCode::kAlreadyExists, ErrorCode::kIo, ErrorCode::kCorrupt, ErrorCode::kCrypto,
        ErrorCode::kUnauthenticated, ErrorCode::kRateLimited, ErrorCode::kPermissionDenied,
        ErrorCode::kUnsupported, ErrorCode::kConflict, ErrorCode::kInternal, ErrorCode::kLocked})
    names.insert(ErrorCodeName(c));
  CHECK(names.size() == 14);
  CHECK(names.count("error") == 0);
}

}  // namespace
}  // namespace shelter::core
