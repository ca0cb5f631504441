#include "core/card/card_data.hpp"

#include <doctest/doctest.h>

#include <string>

#include "core/base/crypto.hpp"
#include "tests/support/fake_my_number_card.hpp"

namespace shelter::core {
namespace {

using test::BasicInfoFile;
using test::IntegrityFile;
using test::Tlv;

// The worked example of the card layout (a test card's bytes, synthetic holder).
const char* kExampleHex =
    "ff2065df2108000e002000590064df220fe9bb92e6a190e38080e5b9b9e4b99fdf2336e69db1e4baace983bde6b8"
    "85e780ace5b882e8a6b3e5b883e5ad90e58d97efbc91efbc92efbc8defbc97efbc8defbc92efbc90efbc92df2408"
    "3139383030323137df250131";

Bytes Hex(const char* h) { return FromHex(h).value(); }

TEST_CASE("ParseCardBasicInfo reads the worked example and its digest") {
  Bytes ef = Hex(kExampleHex);
  ef.insert(ef.end(), 20, 0xFF);  // physical filler after the record
  auto rec = ParseCardBasicInfo(View(ef));
  REQUIRE(rec.ok());
  CHECK(rec->info.name == "黒桐\u3000幹也");
  CHECK(rec->info.address == "東京都清瀬市観布子南１２－７－２０２");
  CHECK(rec->info.birth_date == "1980-02-17");
  CHECK(rec->info.birth_date_raw == "19800217");
  CHECK(rec->info.sex == "male");
  CHECK_FALSE(rec->info.needs_review);
  CHECK(ToHex(ByteView(rec->digest.data(), 32)) ==
        "b9e0d09427b23b1d4beda2848512b4103752dc2667e51f9712872d65f472cb3b");
}

TEST_CASE("ParseCardBasicInfo keeps rare kanji, non-BMP characters and long addresses") {
  std::string address = "北海道札幌市中央区北一条西２丁目";
  while (address.size() < 300) address += "１２３４５６７８９０";  // forces an 82 xx xx length
  Bytes ef = BasicInfoFile("𠮷田\u3000髙橋", address, "20000229", "2");
  CHECK(ef[2] == 0x82);
  auto rec = ParseCardBasicInfo(View(ef));
  REQUIRE(rec.ok());
  CHECK(rec->info.name == "𠮷田\u3000髙橋");
  CHECK(rec->info.address == address);
  CHECK(rec->info.birth_date == "2000-02-29");
  CHECK(rec->info.sex == "female");
  CHECK_FALSE(rec->info.needs_review);
}

TEST_CASE("ParseCardBasicInfo maps sex codes and flags odd values for review") {
  CHECK(ParseCardBasicInfo(View(BasicInfoFile("a", "b", "19800401", "9")))->info.sex == "other");
  auto zero = ParseCardBasicInfo(View(BasicInfoFile("a", "b", "19800401", "0")));
  CHECK(zero->info.sex == "unknown");
  CHECK_FALSE(zero->info.needs_review);
  auto three = ParseCardBasicInfo(View(BasicInfoFile("a", "b", "19800401", "3")));
  CHECK(three->info.sex == "unknown");
  CHECK(three->info.sex_raw == "3");
  CHECK(three->info.needs_review);
}

TEST_CASE("ParseCardBasicInfo flags dates that are not dates, keeping the raw digits") {
  auto feb30 = ParseCardBasicInfo(View(BasicInfoFile("a", "b", "19800230", "1")));
  REQUIRE(feb30.ok());
  CHECK(feb30->info.birth_date.empty());
  CHECK(feb30->info.birth_date_raw == "19800230");
  CHECK(feb30->info.needs_review);
  auto binary =
      ParseCardBasicInfo(View(BasicInfoFile("a", "b", std::string("1980\x01\xff", 6), "1")));
  REQUIRE(binary.ok());
  CHECK(binary->info.birth_date_raw == "1980??");
  CHECK(binary->info.needs_review);
}

TEST_CASE("ParseCardBasicInfo replaces invalid UTF-8 and control characters, flagging review") {
  auto rec = ParseCardBasicInfo(View(BasicInfoFile("山\xff田\n", "\xe5\xb1", "19800401", "1")));
  REQUIRE(rec.ok());
  CHECK(rec->info.name == "山\uFFFD田\uFFFD");
  CHECK(rec->info.address == "\uFFFD\uFFFD");
  CHECK(rec->info.needs_review);
}

TEST_CASE("ParseCardBasicInfo rejects broken structure") {
  Bytes good = BasicInfoFile("山田\u3000太郎", "東京都", "19800401", "1");
  SUBCASE("every truncation") {
    for (size_t n = 0; n < good.size(); ++n)
      CHECK(ParseCardBasicInfo(ByteView(good.data(), n)).error().code == ErrorCode::kParse);
  }
  SUBCASE("wrong outer tag") {
    Bytes b = good;
    b[1] = 0x30;
    CHECK_FALSE(ParseCardBasicInfo(View(b)).ok());
  }
  SUBCASE("offsets that do not match") {
    Bytes b = good;
    b[6] += 1;  // first offset
    CHECK_FALSE(ParseCardBasicInfo(View(b)).ok());
  }
  SUBCASE("a missing field") {
    Bytes value = Tlv(0xDF21, View(Bytes{0, 14, 0, 17, 0, 20, 0, 23}));
    for (uint16_t tag : {0xDF22, 0xDF23, 0xDF24}) Append(value, View(Tlv(tag, View("x"))));
    CHECK_FALSE(ParseCardBasicInfo(View(Tlv(0xFF20, View(value)))).ok());
  }
  SUBCASE("a duplicated field") {
    Bytes value = Tlv(0xDF21, View(Bytes{0, 14, 0, 17, 0, 20, 0, 23}));
    for (uint16_t tag : {0xDF22, 0xDF23, 0xDF24, 0xDF25, 0xDF25})
      Append(value, View(Tlv(tag, View("x"))));
    CHECK_FALSE(ParseCardBasicInfo(View(Tlv(0xFF20, View(value)))).ok());
  }
  SUBCASE("an oversize name") {
    Bytes b = BasicInfoFile(std::string(600, 'a'), "b", "19800401", "1");
    CHECK_FALSE(ParseCardBasicInfo(View(b)).ok());
  }
  SUBCASE("a claimed length larger than the limit") {
    Bytes b = {0xFF, 0x20, 0x82, 0x7F, 0xFF};
    CHECK(CardTlvTotalLength(View(b), 0xFF20).error().code == ErrorCode::kParse);
    CHECK_FALSE(ParseCardBasicInfo(View(b)).ok());
  }
  SUBCASE("indefinite and long length forms") {
    CHECK_FALSE(ParseCardBasicInfo(View(Bytes{0xFF, 0x20, 0x80, 0, 0})).ok());
    CHECK_FALSE(ParseCardBasicInfo(View(Bytes{0xFF, 0x20, 0x84, 0, 0, 0, 1, 0})).ok());
  }
}

TEST_CASE("CardTlvTotalLength reads each length form and asks for more when cut short") {
  CHECK(*CardTlvTotalLength(View(Bytes{0xFF, 0x20, 0x65, 0xDF, 0x21}), 0xFF20) == 0x68);
  CHECK(*CardTlvTotalLength(View(Bytes{0xFF, 0x30, 0x82, 0x01, 0x4B}), 0xFF30) == 0x150);
  CHECK(*CardTlvTotalLength(View(Bytes{0xFF, 0x30, 0x81, 0x90}), 0xFF30) == 0x94);
  CHECK(CardTlvTotalLength(View(Bytes{0xFF, 0x30, 0x82, 0x01}), 0xFF30).error().code ==
        ErrorCode::kNotFound);
  CHECK(CardTlvTotalLength(View(Bytes{0xFF, 0x20, 0x10}), 0xFF30).error().code ==
        ErrorCode::kParse);
}

TEST_CASE("The digest check accepts the card's record and catches any change") {
  Bytes number = Tlv(0xFF10, View("123456789018"));
  number.insert(number.end(), {0xFF, 0xFF});
  Bytes info = BasicInfoFile("𠮷田\u3000花子", "大阪府大阪市北区１－２－３", "19991231", "2");
  Bytes integrity = IntegrityFile(View(info), View(number));
  CHECK(integrity.size() == 336);
  auto rec = ParseCardBasicInfo(View(info));
  auto integ = ParseCardIntegrity(View(integrity));
  REQUIRE(rec.ok());
  REQUIRE(integ.ok());
  CHECK(integ->my_number_digest.has_value());
  CHECK(CheckCardDigest(*rec, *integ).ok());

  Bytes altered = info;
  altered.back() = '1';  // sex 2 -> 1
  auto rec2 = ParseCardBasicInfo(View(altered));
  REQUIRE(rec2.ok());
  CHECK(CheckCardDigest(*rec2, *integ).error().code == ErrorCode::kCorrupt);
}

TEST_CASE("ParseCardIntegrity rejects broken records") {
  Bytes info = BasicInfoFile("a", "b", "19800401", "1");
  Bytes good = IntegrityFile(View(info), View("x"));
  for (size_t n = 0; n < good.size(); ++n)
    CHECK_FALSE(ParseCardIntegrity(ByteView(good.data(), n)).ok());
  Bytes short_digest = Tlv(0xFF30, View(Tlv(0xDF32, View(Bytes(31)))));
  CHECK_FALSE(ParseCardIntegrity(View(short_digest)).ok());
  Bytes no_digest = Tlv(0xFF30, View(Tlv(0xDF33, View(Bytes(256)))));
  CHECK_FALSE(ParseCardIntegrity(View(no_digest)).ok());
}

}  // namespace
}  // namespace shelter::core
