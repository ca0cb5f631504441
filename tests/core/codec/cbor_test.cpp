// Tests for core/codec/cbor: the encoder against RFC 8949 Appendix A, round trips, and every
// input the defensive decoder refuses (floats, indefinite lengths, out-of-range integers, bad
// UTF-8, truncation, trailing bytes, nesting and item limits).
#include "core/codec/cbor.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <string>

namespace shelter::core::cbor {
namespace {

Bytes Hex(std::string_view hex) {
  auto b = FromHex(hex);
  REQUIRE(b.ok());
  return *b;
}

std::string HexOf(const Item& item) { return ToHex(View(Encode(item))); }

TEST_CASE("cbor: integers encode in the shortest head (RFC 8949 Appendix A)") {
  struct {
    int64_t value;
    const char* hex;
  } cases[] = {{0, "00"},
               {1, "01"},
               {10, "0a"},
               {23, "17"},
               {24, "1818"},
               {25, "1819"},
               {100, "1864"},
               {1000, "1903e8"},
               {1000000, "1a000f4240"},
               {1000000000000, "1b000000e8d4a51000"},
               {INT64_MAX, "1b7fffffffffffffff"},
               {-1, "20"},
               {-10, "29"},
               {-100, "3863"},
               {-1000, "3903e7"},
               {INT64_MIN, "3b7fffffffffffffff"}};
  for (auto& c : cases) {
    CAPTURE(c.value);
    CHECK(HexOf(Item(c.value)) == c.hex);
    auto back = Decode(View(Hex(c.hex)));
    REQUIRE(back.ok());
    REQUIRE(back->as_int() != nullptr);
    CHECK(*back->as_int() == c.value);
  }
}

TEST_CASE("cbor: simple values, strings, arrays, maps and tags (RFC 8949 Appendix A)") {
  CHECK(HexOf(Item(false)) == "f4");
  CHECK(HexOf(Item(true)) == "f5");
  CHECK(HexOf(Item(Null{})) == "f6");
  CHECK(HexOf(Item(Bytes{})) == "40");
  CHECK(HexOf(Item(Bytes{1, 2, 3, 4})) == "4401020304");
  CHECK(HexOf(Item("")) == "60");
  CHECK(HexOf(Item("a")) == "6161");
  CHECK(HexOf(Item("IETF")) == "6449455446");
  CHECK(HexOf(Item("\u00fc")) == "62c3bc");
  CHECK(HexOf(Item("水")) == "63e6b0b4");
  CHECK(HexOf(Item(Array{})) == "80");
  CHECK(HexOf(Item(Array{1, 2, 3})) == "83010203");
  CHECK(HexOf(Item(Array{1, Array{2, 3}, Array{4, 5}})) == "8301820203820405");
  CHECK(HexOf(Item(Map{})) == "a0");
  CHECK(HexOf(Item(Map{{1, 2}, {3, 4}})) == "a201020304");
  CHECK(HexOf(Item(Map{{"a", 1}, {"b", Array{2, 3}}})) == "a26161016162820203");
  CHECK(HexOf(Item::Tag(1, Item(int64_t{1363896240}))) == "c11a514b67b0");
}

TEST_CASE("cbor: a nested document decodes back to an equal item") {
  Item doc(Map{{1, "避難所"},
               {2, Bytes{0, 255}},
               {"list", Array{true, false, Null{}, -7, Item::Tag(24, Item(Bytes{9}))}},
               {-3, Map{{"k", "v"}}}});
  Bytes wire = Encode(doc);
  auto back = Decode(View(wire));
  REQUIRE(back.ok());
  CHECK(*back == doc);
  REQUIRE(back->Find(1) != nullptr);
  CHECK(*back->Find(1)->as_text() == "避難所");
  REQUIRE(back->Find("list") != nullptr);
  const Array& list = *back->Find("list")->as_array();
  REQUIRE(list.size() == 5);
  CHECK(list[2].is_null());
  CHECK(*list[1].as_bool() == false);
  REQUIRE(list[4].as_tagged() != nullptr);
  CHECK(list[4].as_tagged()->tag == 24);
  CHECK(*list[4].as_tagged()->item->as_bytes() == Bytes{9});
}

TEST_CASE("cbor: Find looks up integer and text keys, and nothing in a non-map") {
  Item m(Map{{1, "one"}, {"1", "text one"}});
  CHECK(*m.Find(1)->as_text() == "one");
  CHECK(*m.Find("1")->as_text() == "text one");
  CHECK(m.Find(2) == nullptr);
  CHECK(m.Find("2") == nullptr);
  Item a(Array{1, 2});
  CHECK(a.Find(0) == nullptr);
  CHECK(a.as_map() == nullptr);
  CHECK(a.as_int() == nullptr);
}

TEST_CASE("cbor: equality is equality of the encodings, so map order counts") {
  CHECK(Item(Map{{1, 2}, {3, 4}}) == Item(Map{{1, 2}, {3, 4}}));
  CHECK_FALSE(Item(Map{{1, 2}, {3, 4}}) == Item(Map{{3, 4}, {1, 2}}));
  CHECK_FALSE(Item(1) == Item("1"));
  CHECK(Item(int64_t{5}) == Item(5));
}

TEST_CASE("cbor: EncodeHead writes the head streaming encoders start with") {
  Bytes out;
  EncodeHead(4, 2, out);    // an array of two
  EncodeHead(3, 300, out);  // a text string of 300 bytes
  EncodeHead(0, 1ull << 32, out);
  CHECK(ToHex(View(out)) ==
        "82"
        "79012c"
        "1b0000000100000000");
}

TEST_CASE("cbor: DecodePrefix reads one item and leaves the rest") {
  Bytes wire = Hex("8201026161ff");
  ByteView in = View(wire);
  auto first = DecodePrefix(in);
  REQUIRE(first.ok());
  CHECK(*first == Item(Array{1, 2}));
  CHECK(in.size() == 3);
  auto second = DecodePrefix(in);
  REQUIRE(second.ok());
  CHECK(*second->as_text() == "a");
  CHECK(in.size() == 1);
  CHECK_FALSE(DecodePrefix(in).ok());  // 0xff, a break outside an indefinite item
}

TEST_CASE("cbor: the decoder refuses what the format does not use, with kParse") {
  const char* refused[] = {
      "",                    // nothing
      "1bffffffffffffffff",  // 2^64-1 does not fit int64
      "1b8000000000000000",  // 2^63 neither
      "3b8000000000000000",  // -2^63-1 neither
      "f93c00",              // half float 1.0
      "fa47c35000",          // single float
      "fb3ff199999999999a",  // double float
      "f7",                  // undefined
      "f0",                  // an unassigned simple value
      "5f42010243030405ff",  // indefinite byte string
      "9f0102ff",            // indefinite array
      "bf6161f5ff",          // indefinite map
      "1c",                  // reserved additional information
      "1903",                // truncated argument
      "6361",                // text shorter than its length
      "830102",              // an array one element short
      "8301",                // an array two elements short
      "a201",                // map shorter than its length
      "9bffffffffffffffff",  // an array length no input can hold
      "0000",                // trailing bytes
      "c1",                  // a tag with nothing after it
  };
  for (const char* hex : refused) {
    CAPTURE(hex);
    auto r = Decode(View(Hex(hex)));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::kParse);
  }
}

TEST_CASE("cbor: text strings must be valid UTF-8") {
  CHECK(Decode(View(Hex("63e6b0b4"))).ok());    // 水
  CHECK(Decode(View(Hex("64f0a0aeb7"))).ok());  // 𠮷, four bytes
  for (const char* hex : {"61ff",               // not a UTF-8 byte
                          "61c3",               // a lead byte without its continuation
                          "62c080",             // overlong NUL
                          "63e08080",           // overlong, three bytes
                          "63eda080",           // a UTF-16 surrogate
                          "64f4908080",         // beyond U+10FFFF
                          "6280c3"}) {          // a continuation byte first
    CAPTURE(hex);
    auto r = Decode(View(Hex(hex)));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::kParse);
  }
  CHECK(Decode(View(Hex("42c080"))).ok());  // byte strings hold any bytes
}

TEST_CASE("cbor: nesting depth and item count are bounded by the limits") {
  DecodeLimits limits;
  limits.max_depth = 2;
  CHECK(Decode(View(Hex("818101")), limits).ok());          // [[1]]
  CHECK_FALSE(Decode(View(Hex("81818101")), limits).ok());  // [[[1]]]
  CHECK_FALSE(Decode(View(Hex("c1c1c101")), limits).ok());  // tags nest too

  DecodeLimits few;
  few.max_items = 4;
  CHECK(Decode(View(Hex("83010203")), few).ok());  // the array and its three elements
  few.max_items = 3;
  CHECK_FALSE(Decode(View(Hex("83010203")), few).ok());

  Bytes deep(100, 0x81);  // a hundred nested arrays under the default limit of 16
  deep.push_back(0x01);
  CHECK_FALSE(Decode(View(deep)).ok());
}

}  // namespace
}  // namespace shelter::core::cbor
