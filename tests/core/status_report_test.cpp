// JSR1: the summary counts what the roster shows, the text fits its QR budget, survives SMS line
// breaks, and forged or foreign reports are refused.
#include <doctest/doctest.h>

#include "core/qr_code.hpp"
#include "core/registration.hpp"
#include "core/status_report.hpp"
#include "tests/support/test_shelter.hpp"

using namespace shelter::core;
using shelter::test::TestShelter;

namespace {

Person Member(const char* kana, const char* dob, const char* sex, std::vector<std::string> needs = {}) {
  Person p;
  p.kana = kana;
  p.dob = dob;
  p.sex = sex;
  p.needs = std::move(needs);
  return p;
}

PassSigner SignerOf(Node& n) {
  return [&n](ByteView m) { return n.SignAsDevice(m); };
}

}  // namespace

TEST_CASE("JSR1: a summary of the shelter round-trips and verifies") {
  TestShelter t(2);
  Node& tab = t.tablet(0);
  Household h;
  h.members = {Member("あ", "2024-01-01", "female", {"INF"}), Member("い", "1950-06-30", "male", {"ELD", "MED-POWER"}),
               Member("う", "1990-07-01", "unanswered"), Member("え", "", "female")};
  auto reg = RegisterHousehold(tab, h, t.shelter_id(), true);
  REQUIRE(reg.ok());
  REQUIRE(CheckOut(tab, reg->persons[3]).ok());
  Household car;
  car.members = {Member("お", "2000-01-01", "male")};
  auto reg2 = RegisterHousehold(tab, car, t.shelter_id(), false);
  REQUIRE(reg2.ok());
  REQUIRE(CheckIn(tab, reg2->persons[0], Place::kCar).ok());

  const int64_t as_of = 1782864000;  // 2026-07-01 00:00 UTC
  auto r = Summarize(tab, t.shelter_id(), as_of);
  REQUIRE_MESSAGE(r.ok(), r.error().ToString());
  CHECK(r->in_shelter == 3);
  CHECK(r->out == 1);
  CHECK(r->in_car == 1);
  CHECK(r->households == 1);  // 避難世帯数: the car household has nobody in the shelter
  CHECK(r->male == 1);
  CHECK(r->female == 1);
  CHECK(r->sex_other == 1);
  CHECK(r->ages[0] == 1);  // 2 years old
  CHECK(r->ages[2] == 1);  // 35 (one day before the 36th birthday)
  CHECK(r->ages[4] == 1);  // 76
  CHECK(r->needs.at("INF") == 1);
  CHECK(r->needs.at("MED-POWER") == 1);
  r->supplies[kWater] = SupplyState::kShort;

  auto text = EncodeStatusReport(*r, SignerOf(tab));
  REQUIRE(text.ok());
  auto sym = EncodeQr(*text, QrEcc::kM);
  REQUIRE(sym.ok());
  CHECK(sym->version <= 20);

  // Split into SMS-sized lines, as a gateway would.
  std::string sms;
  for (size_t i = 0; i < text->size(); i += 150) sms += text->substr(i, 150) + "\r\n";
  auto parsed = ParseStatusReport(sms);
  REQUIRE_MESSAGE(parsed.ok(), parsed.error().ToString());
  CHECK(VerifyStatusReport(*parsed, tab.device()).ok());
  const StatusReport& b = parsed->report;
  CHECK(b.shelter == t.shelter_id());
  CHECK(b.as_of_s == as_of);
  CHECK(b.in_shelter == 3);
  CHECK(b.ages == r->ages);
  CHECK(b.needs == r->needs);
  CHECK(b.supplies[kWater] == SupplyState::kShort);

  SUBCASE("forged and foreign reports are refused") {
    StatusReport inflated = *r;
    inflated.in_shelter = 3000;
    auto forged = EncodeStatusReport(inflated, [](ByteView m) -> Result<crypto::Signature> {
      return crypto::Sign(crypto::GenerateSignKeyPair().sk, m);
    });
    REQUIRE(forged.ok());
    auto fp = ParseStatusReport(*forged);
    REQUIRE(fp.ok());
    CHECK(VerifyStatusReport(*fp, tab.device()).error().code == ErrorCode::kCrypto);
    DeviceCert other = tab.device();
    other.shelter_scope = Id16::Random();
    CHECK(VerifyStatusReport(*parsed, other).error().code == ErrorCode::kPermissionDenied);
  }
  SUBCASE("malformed text") {
    CHECK(ParseStatusReport("JSR2:00").error().code == ErrorCode::kUnsupported);
    CHECK(ParseStatusReport(text->substr(0, text->size() - 2)).error().code == ErrorCode::kParse);
    CHECK(ParseStatusReport("JSR1:" + std::string(3000, 'A')).error().code == ErrorCode::kParse);
  }
}
