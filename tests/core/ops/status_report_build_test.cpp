// Specifies core/ops/status_report_build: the report a tablet sends counts what State::Counts
// does, verifies, fits its QR budget and SMS parts, and only the right accounts and devices make
// it.
#include <doctest/doctest.h>

#include "core/formats/report_parts.hpp"
#include "core/ops/households.hpp"
#include "core/ops/registration.hpp"
#include "core/ops/status_report_build.hpp"
#include "tests/support/test_shelter.hpp"

using namespace shelter::core;
using shelter::test::TestShelter;

TEST_CASE("BuildStatusReport: the counts of State::Counts, signed, as a QR and SMS parts") {
  TestShelter t(1);
  Node& tab = t.tablet(0);
  for (int i = 0; i < 5; ++i) {
    Household h;
    for (int m = 0; m < 3; ++m) {
      Person p;
      p.kana = "ほうこく";
      p.dob = m == 2 ? "2024-01-01" : "1948-02-02";
      p.sex = m == 1 ? "female" : "male";
      if (m == 2) p.needs = {"INF"};
      h.members.push_back(p);
    }
    auto reg = RegisterHousehold(tab, h, t.shelter_id(), i != 4);
    REQUIRE(reg.ok());
    if (i == 1) REQUIRE(CheckOut(tab, reg->persons[0]).ok());
    if (i == 2) REQUIRE(CheckIn(tab, reg->persons[1], Place::kCar).ok());
  }
  auto built = BuildStatusReport(tab, t.shelter_id());
  REQUIRE_MESSAGE(built.ok(), built.error().ToString());
  auto c = tab.state().Counts(t.shelter_id());
  REQUIRE(c.ok());
  const StatusReport& r = built->report;
  CHECK(r.in_shelter == c->in_shelter);
  CHECK(r.out == c->out);
  CHECK(r.in_car == c->in_car);
  CHECK(r.never_arrived == c->never_arrived);
  CHECK(r.in_shelter + r.out + r.at_home + r.in_car + r.elsewhere + r.never_arrived == c->persons);
  CHECK(r.as_of_s > 1'700'000'000);
  CHECK(built->qr.version >= 1);
  CHECK(built->qr.version <= 20);
  auto joined = JoinReportParts(built->parts);
  REQUIRE(joined.ok());
  CHECK(*joined == built->text);
  auto parsed = ParseStatusReport(built->text);
  REQUIRE(parsed.ok());
  CHECK(VerifyStatusReport(*parsed, tab.device()).ok());
  CHECK(parsed->report.needs.at("INF") == 4);  // the fifth household never arrived
}

TEST_CASE("BuildStatusReport: kiosk accounts, no login and another shelter are refused") {
  TestShelter t(1);
  Node& tab = t.tablet(0);
  CHECK(MayReportStatus(tab, t.shelter_id()).ok());
  CHECK(BuildStatusReport(tab, Id16::Random()).error().code == ErrorCode::kPermissionDenied);
  REQUIRE(tab.AddStaff("kiosk1", StaffRole::kKiosk, "2468").ok());
  REQUIRE(tab.AddStaff("staff1", StaffRole::kStaff, "1357").ok());
  REQUIRE(tab.Login("kiosk1", "2468").ok());
  CHECK(BuildStatusReport(tab, t.shelter_id()).error().code == ErrorCode::kPermissionDenied);
  REQUIRE(tab.Login("staff1", "1357").ok());
  CHECK(BuildStatusReport(tab, t.shelter_id()).ok());
  tab.Logout();
  CHECK(BuildStatusReport(tab, t.shelter_id()).error().code == ErrorCode::kUnauthenticated);
}
