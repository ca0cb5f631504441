// JSR1: the summary counts what the roster shows, the text fits its QR budget, survives SMS line
// breaks, and forged or foreign reports are refused.
#include <doctest/doctest.h>

#include "core/codec/base45.hpp"
#include "core/codec/cbor.hpp"
#include "core/codec/qr_code.hpp"
#include "core/formats/status_report.hpp"
#include "core/model/entities.hpp"
#include "core/ops/registration.hpp"
#include "core/ops/status_summary.hpp"
#include "tests/support/test_shelter.hpp"

using namespace shelter::core;
using shelter::test::TestShelter;

namespace {

Person Member(const char* kana, const char* dob, const char* sex,
              std::vector<std::string> needs = {}) {
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
  h.members = {Member("あ", "2024-01-01", "female", {"INF"}),
               Member("い", "1950-06-30", "male", {"ELD", "MED-POWER"}),
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

TEST_CASE("JSR1: counts that contradict each other are refused (no 4,294,967,296 people)") {
  TestShelter t(1);
  Node& tab = t.tablet(0);
  StatusReport good;
  good.shelter = t.shelter_id();
  good.as_of_s = 1782864000;
  good.in_shelter = 10;
  good.out = 2;
  good.households = 4;
  good.male = 4;
  good.female = 5;
  good.sex_other = 1;
  good.ages = {1, 1, 6, 1, 1, 0};
  good.needs = {{"INF", 1}, {"ELD", 2}};
  good.kid = crypto::KeyIdOf(tab.device().sign_pk);
  auto parse = [&](const StatusReport& r) {
    auto text = EncodeStatusReport(r, SignerOf(tab));
    REQUIRE(text.ok());
    return ParseStatusReport(*text);
  };
  REQUIRE(parse(good).ok());
  auto refused = [&](auto change) {
    StatusReport r = good;
    change(r);
    auto p = parse(r);
    REQUIRE_FALSE(p.ok());
    CHECK(p.error().code == ErrorCode::kParse);
    return p.error().detail;
  };
  CHECK(refused([](StatusReport& r) { r.in_shelter = int64_t(1) << 32; }).find("counts") !=
        std::string::npos);
  refused([](StatusReport& r) { r.never_arrived = kMaxReportPeople; });  // the sum is too many
  refused([](StatusReport& r) { r.capacity = int64_t(1) << 32; });
  refused([](StatusReport& r) { r.households = 13; });  // 12 people
  refused([](StatusReport& r) { r.male = 5; });         // 11 by sex, 10 in the shelter
  refused([](StatusReport& r) { r.ages[5] = 1; });      // 11 by age
  refused([](StatusReport& r) { r.needs["ELD"] = 11; });
}

TEST_CASE("JSR1: a report from a newer tablet with need codes this build lacks still verifies") {
  TestShelter t(1);
  Node& tab = t.tablet(0);
  StatusReport r;
  r.shelter = t.shelter_id();
  r.as_of_s = 1782864000;
  r.in_shelter = 3;
  r.households = 1;
  r.female = 3;
  r.ages = {0, 0, 3, 0, 0, 0};
  r.needs = {{"INF", 1}};
  r.kid = crypto::KeyIdOf(tab.device().sign_pk);
  auto text = EncodeStatusReport(r, SignerOf(tab));
  REQUIRE(text.ok());
  // Re-sign it with one more need code (an index past this build's list), as a newer build would.
  auto raw = Base45Decode(std::string_view(*text).substr(kStatusReportPrefix.size()));
  REQUIRE(raw.ok());
  auto item = cbor::Decode(View(*raw));
  REQUIRE(item.ok());
  cbor::Array elements(item->as_array()->begin(), item->as_array()->begin() + 10);
  cbor::Map needs = *elements[7].as_map();
  needs.emplace_back(int64_t(NeedCodes().size() + 5), int64_t(2));
  elements[7] = cbor::Item(std::move(needs));
  std::string context = "shelterkit JSR1 report";
  Bytes signed_bytes(context.begin(), context.end());
  cbor::EncodeTo(cbor::Item(elements), signed_bytes);
  auto sig = tab.SignAsDevice(View(signed_bytes));
  REQUIRE(sig.ok());
  elements.emplace_back(Bytes(sig->begin(), sig->end()));
  std::string newer = std::string(kStatusReportPrefix) +
                      Base45Encode(View(cbor::Encode(cbor::Item(std::move(elements)))));
  auto parsed = ParseStatusReport(newer);
  REQUIRE_MESSAGE(parsed.ok(), parsed.error().ToString());
  CHECK(parsed->report.needs == r.needs);  // the unknown code is skipped
  CHECK(parsed->signed_bytes == signed_bytes);
  CHECK(VerifyStatusReport(*parsed, tab.device()).ok());
}
