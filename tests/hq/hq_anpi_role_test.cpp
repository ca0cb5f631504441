// Specifies sync/hq/hq_queries.
// Personal data at HQ is gated in the HQ library, not in a screen: a counts-only account gets no
// 安否 answers from AnpiLookup whoever calls it (shelter-hq, the dashboard), and nothing is
// audited.
#include <doctest/doctest.h>

#include "core/ops/households.hpp"
#include "tests/hq/hq_fixture.hpp"

using namespace shelter;
using namespace shelter::core;
using namespace shelter::hq;
using namespace shelter::test;

TEST_CASE("HQ: a counts-only account gets no 安否 answers from the library, and no audit row") {
  test::TestShelter t(1);
  REQUIRE(RegisterHousehold(t.tablet(0), Family(), t.shelter_id(), true).ok());
  Hq hq(t);
  hq.Feed(test::LogSegments(t.tablet(0)));
  SqlConn& db = hq.node->store().db();
  for (core::StaffRole role : {core::StaffRole::kStaff, core::StaffRole::kKiosk}) {
    auto r = AnpiLookup(db, "ヤマダ タロウ", AnpiTier::kFamily, {"viewer", role}, 1000);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::kPermissionDenied);
    CHECK(r.error().detail.find("counts only") != std::string::npos);
  }
  auto audit = db.Query("SELECT count(*) FROM anpi_audit");
  REQUIRE(audit.ok());
  CHECK(*(*audit)[0][0] == "0");
  for (core::StaffRole role :
       {core::StaffRole::kLead, core::StaffRole::kHq, core::StaffRole::kAdmin}) {
    CHECK(MaySeePersonalData(role));
    auto r = AnpiLookup(db, "ヤマダ タロウ", AnpiTier::kFamily, {"officer", role}, 1000);
    REQUIRE(r.ok());
    CHECK(r->size() == 1);
  }
  CHECK_FALSE(MaySeePersonalData(core::StaffRole::kStaff));
  CHECK(RequirePersonalData({"", core::StaffRole::kHq}).error().code ==
        ErrorCode::kInvalidArgument);
}
