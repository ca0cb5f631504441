#include <doctest/doctest.h>

#include "core/codec/base45.hpp"

using namespace shelter::core;

TEST_CASE("base45: RFC 9285 examples encode and decode") {
  struct {
    const char* plain;
    const char* encoded;
  } cases[] = {{"AB", "BB8"},
               {"Hello!!", "%69 VD92EX0"},
               {"base-45", "UJCLQE7W581"},
               {"ietf!", "QED8WEX0"},
               {"", ""}};
  for (auto& c : cases) {
    CHECK(Base45Encode(View(std::string_view(c.plain))) == c.encoded);
    auto back = Base45Decode(c.encoded);
    REQUIRE(back.ok());
    CHECK(std::string(back->begin(), back->end()) == c.plain);
  }
}

TEST_CASE("base45: every byte value round-trips") {
  Bytes all;
  for (int i = 0; i < 256; ++i) all.push_back(uint8_t(i));
  all.push_back(0xFF);  // odd length: the final 2-character group
  auto back = Base45Decode(Base45Encode(View(all)));
  REQUIRE(back.ok());
  CHECK(*back == all);
}

TEST_CASE("base45: malformed text is rejected with kParse") {
  for (const char* bad : {"GGW", "A", "BB8A", "bb8", "BB\n", ":::"}) {
    auto r = Base45Decode(bad);
    CHECK_FALSE(r.ok());
    if (!r.ok()) CHECK(r.error().code == ErrorCode::kParse);
  }
}
