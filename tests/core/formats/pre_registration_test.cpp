// JPR1: round trip of every field, the byte budget, and a clear error for each malformed input.
#include <doctest/doctest.h>

#include "core/codec/base45.hpp"
#include "core/codec/cbor.hpp"
#include "core/codec/compress.hpp"
#include "core/codec/qr_code.hpp"
#include "core/formats/pre_registration.hpp"

using namespace shelter::core;

namespace {

PreRegistration Family() {
  PreRegistration pre;
  pre.created_s = 1795000000;
  pre.language = "vi";
  Household& h = pre.household;
  h.address = "東京都千代田区九段南１丁目２番１号";
  h.residence = "車中泊 (駐車場)";
  h.phone = "090-1234-5678";
  h.vehicle = "品川 500 あ 12-34";
  h.house_damage = "屋根が壊れた";
  h.note = "犬は車で待機";
  h.pets = {{"犬", 1, "with"}, {"猫", 2, "together"}};
  Person a;
  a.name = "髙橋　一郎";
  a.kana = "たかはし いちろう";
  a.dob = "1950-04-01";
  a.sex = "male";
  a.relationship = "head";
  a.needs = {"ELD", "MED-POWER"};
  a.allergies = {"buckwheat", "キウイ"};
  a.care_level = 2;
  a.evac_support = true;
  a.note = "在宅酸素";
  Person b;
  b.name = "Nguyen Thi Lan";
  b.kana = "グエン ティ ラン";
  b.dob = "1988-12-31";
  b.sex = "female";
  b.relationship = "spouse";
  b.nationality = "VN";
  b.language = "vi";
  b.phone = "080-0000-0000";
  b.needs = {"FOR", "PRG"};
  b.consent = {false, true, true, false};
  Person c;
  c.kana = "たかはし みく";
  c.sex = "unanswered";
  c.needs = {"INF"};
  h.members = {a, b, c};
  return pre;
}

// Wraps raw CBOR the way the page does, for malformed-content tests.
std::string Wrap(const cbor::Item& item) {
  return "JPR1:" + Base45Encode(View(ZlibCompress(View(cbor::Encode(item)))));
}

}  // namespace

TEST_CASE("JPR1: every field survives the round trip") {
  PreRegistration pre = Family();
  auto text = EncodePreRegistration(pre);
  REQUIRE(text.ok());
  CHECK(text->rfind("JPR1:", 0) == 0);
  auto back = DecodePreRegistration(*text);
  REQUIRE_MESSAGE(back.ok(), back.error().ToString());
  CHECK(back->created_s == pre.created_s);
  CHECK(back->language == "vi");
  CHECK(back->warnings.empty());
  const Household& a = pre.household;
  const Household& b = back->household;
  CHECK(b.address == a.address);
  CHECK(b.residence == a.residence);
  CHECK(b.phone == a.phone);
  CHECK(b.vehicle == a.vehicle);
  CHECK(b.house_damage == a.house_damage);
  CHECK(b.note == a.note);
  REQUIRE(b.pets.size() == 2);
  CHECK(b.pets[1].kind == "猫");
  CHECK(b.pets[1].count == 2);
  CHECK(b.pets[1].mode == "together");
  REQUIRE(b.members.size() == 3);
  for (size_t i = 0; i < 3; ++i) {
    const Person& x = a.members[i];
    const Person& y = b.members[i];
    CHECK(y.name == x.name);
    CHECK(y.kana == x.kana);
    CHECK(y.dob == x.dob);
    CHECK(y.sex == x.sex);
    CHECK(y.relationship == x.relationship);
    CHECK(y.nationality == x.nationality);
    CHECK(y.language == x.language);
    CHECK(y.phone == x.phone);
    CHECK(y.needs == x.needs);
    CHECK(y.allergies == x.allergies);
    CHECK(y.care_level == x.care_level);
    CHECK(y.evac_support == x.evac_support);
    CHECK(y.consent.family == x.consent.family);
    CHECK(y.consent.acquaintance == x.consent.acquaintance);
    CHECK(y.consent.to_public == x.consent.to_public);
    CHECK(y.consent.third_party == x.consent.third_party);
    CHECK(y.note == x.note);
    CHECK(y.source == "qr");
  }
}

TEST_CASE("JPR1: a large household fits version 25 at level M, too much text is refused") {
  PreRegistration pre = Family();
  for (int i = 0; i < 5; ++i) pre.household.members.push_back(pre.household.members[i % 3]);
  auto text = EncodePreRegistration(pre);
  REQUIRE(text.ok());
  auto sym = EncodeQr(*text, QrEcc::kM);
  REQUIRE(sym.ok());
  CHECK(sym->version <= 25);

  // The budget itself: the longest allowed text is a version-25 symbol at M.
  auto full = EncodeQr("JPR1:" + std::string(kPreRegistrationMaxChars - 5, 'A'), QrEcc::kM);
  REQUIRE(full.ok());
  CHECK(full->version == 25);

  // Random kanji do not compress: the encoder refuses instead of making an unreadable code.
  PreRegistration big = Family();
  uint32_t seed = 12345;
  auto noise = [&seed] {  // 130 random kanji, different on every call (zlib would fold repeats)
    std::string out;
    for (int i = 0; i < 130; ++i) {
      seed = seed * 1103515245u + 12345u;
      char32_t cp = 0x4E00 + (seed >> 8) % 0x5000;
      out += char(0xE0 | (cp >> 12));
      out += char(0x80 | ((cp >> 6) & 0x3F));
      out += char(0x80 | (cp & 0x3F));
    }
    return out;
  };
  big.household.note = noise();
  big.household.address = noise();
  for (auto& m : big.household.members) m.note = noise();
  auto refused = EncodePreRegistration(big);
  CHECK_FALSE(refused.ok());
}

TEST_CASE("JPR1: malformed input gets a clear error, never a crash") {
  CHECK(DecodePreRegistration("JPR2:AAAA").error().code == ErrorCode::kUnsupported);
  CHECK(DecodePreRegistration("JSP1:AAAA").error().code == ErrorCode::kUnsupported);
  CHECK(DecodePreRegistration("").error().code == ErrorCode::kUnsupported);
  CHECK(DecodePreRegistration("JPR1:").error().code == ErrorCode::kParse);
  CHECK(DecodePreRegistration("JPR1:abc").error().code == ErrorCode::kParse);  // not Base45
  CHECK(DecodePreRegistration("JPR1:BB8").error().code == ErrorCode::kParse);  // not zlib
  auto good = EncodePreRegistration(Family());
  REQUIRE(good.ok());
  std::string torn = good->substr(0, good->size() - 6);  // a torn QR
  CHECK(DecodePreRegistration(torn).error().code == ErrorCode::kParse);
  std::string flipped = *good;
  flipped[20] = flipped[20] == 'A' ? 'B' : 'A';
  CHECK_FALSE(DecodePreRegistration(flipped).ok());
  CHECK(DecodePreRegistration("JPR1:" + std::string(2000, 'A')).error().code == ErrorCode::kParse);

  using cbor::Array;
  using cbor::Item;
  using cbor::Map;
  Map member{{Item(1), Item("山田")}};
  CHECK(DecodePreRegistration(Wrap(Item(Map{{Item(6), Item(Array{Item(member)})}}))).ok());
  CHECK_FALSE(DecodePreRegistration(Wrap(Item(Array{}))).ok());  // not a map
  CHECK_FALSE(DecodePreRegistration(Wrap(Item(Map{}))).ok());    // no members
  CHECK_FALSE(DecodePreRegistration(Wrap(Item(Map{{Item(6), Item(Array{Item(Map{})})}})))
                  .ok());  // nameless
  Map bad_sex = member;
  bad_sex.emplace_back(Item(4), Item(7));
  CHECK_FALSE(DecodePreRegistration(Wrap(Item(Map{{Item(6), Item(Array{Item(bad_sex)})}}))).ok());
  Map bad_dob = member;
  bad_dob.emplace_back(Item(3), Item("1990-02-30"));
  CHECK_FALSE(DecodePreRegistration(Wrap(Item(Map{{Item(6), Item(Array{Item(bad_dob)})}}))).ok());
  Map long_name{{Item(1), Item(std::string(200, 'x'))}};
  CHECK_FALSE(DecodePreRegistration(Wrap(Item(Map{{Item(6), Item(Array{Item(long_name)})}}))).ok());
  Map dup_key{{Item(6), Item(Array{Item(member)})}, {Item(6), Item(Array{Item(member)})}};
  CHECK_FALSE(DecodePreRegistration(Wrap(Item(dup_key))).ok());
  Array many(21, Item(member));
  CHECK_FALSE(DecodePreRegistration(Wrap(Item(Map{{Item(6), Item(many)}}))).ok());

  // Unknown keys are skipped; unknown need codes are dropped with a warning for staff.
  Map newer = member;
  newer.emplace_back(Item(99), Item("future"));
  newer.emplace_back(Item(9), Item(Array{Item("ELD"), Item("NEW-CODE")}));
  auto r = DecodePreRegistration(
      Wrap(Item(Map{{Item(6), Item(Array{Item(newer)})}, {Item(42), Item(1)}})));
  REQUIRE(r.ok());
  CHECK(r->household.members[0].needs == std::vector<std::string>{"ELD"});
  CHECK(r->warnings.size() == 1);

  // A zip bomb: 1 MB of zeros compresses to ~1 KB but must not inflate past the limit.
  Bytes zeros(1 << 20, 0);
  std::string bomb = "JPR1:" + Base45Encode(View(ZlibCompress(View(zeros))));
  CHECK(DecodePreRegistration(bomb).error().code == ErrorCode::kParse);
}
