// The HQ dashboard's read-only queries: one shelter's breakdown matches what was registered, and
// the change stamp moves exactly when the HQ tables change.
#include "sync/hq/hq_detail.hpp"

#include <doctest/doctest.h>

#include "core/ops/households.hpp"
#include "sync/hq/hq_node.hpp"
#include "tests/support/test_shelter.hpp"

using namespace shelter;
using namespace shelter::core;
using namespace shelter::hq;

namespace {

Person Member(const char* name, const char* kana, const char* dob, const char* sex,
              std::vector<std::string> needs = {}) {
  Person p;
  p.name = name;
  p.kana = kana;
  p.dob = dob;
  p.sex = sex;
  p.needs = std::move(needs);
  return p;
}

void Feed(HqNode& hq, Node& from) {
  REQUIRE(from.log()
              .ForEachSegment([&](const Segment& s) {
                auto r = hq.IngestSegment(View(s.wire));
                REQUIRE_MESSAGE(r.ok(), r.error().ToString());
                return Ok();
              })
              .ok());
  REQUIRE(hq.Flush().ok());
}

}  // namespace

TEST_CASE("HQ dashboard: a shelter's breakdown and a change stamp that moves only on change") {
  test::TestShelter t(1);
  auto& tablet = t.tablet(0);
  Household h;
  h.members = {Member("山田 太郎", "やまだ たろう", "1950-04-01", "male", {"ELD"}),
               Member("山田 花子", "やまだ はなこ", "1985-05-05", "female"),
               Member("山田 陽菜", "やまだ ひな", "2024-01-10", "female", {"INF"})};
  auto reg = RegisterHousehold(tablet, h, t.shelter_id(), true);
  REQUIRE(reg.ok());
  std::string dir = t.root() + "/hq";
  REQUIRE(t.admin().EnrollDevice(dir, {}, DeviceRole::kHq, "hq", "lead", "5678").ok());
  auto opened = HqNode::Open(dir, "", "lead", "5678", t.options());
  REQUIRE_MESSAGE(opened.ok(), opened.error().ToString());
  HqNode& hq = **opened;
  SqlConn& db = hq.store().db();

  auto empty = ChangeStamp(db);
  REQUIRE(empty.ok());
  Feed(hq, tablet);
  auto fed = ChangeStamp(db);
  REQUIRE(fed.ok());
  CHECK(*fed != *empty);
  CHECK(*ChangeStamp(db) == *fed);  // nothing new: the same stamp

  auto b = BreakdownOf(db, t.shelter_id().Hex());
  REQUIRE(b.ok());
  int64_t male = 0, female = 0;
  for (int64_t n : b->in_shelter_by_sex_band[0]) male += n;
  for (int64_t n : b->in_shelter_by_sex_band[1]) female += n;
  CHECK(male == 1);
  CHECK(female == 2);
  CHECK(b->in_shelter_by_sex_band[1][0] == 1);  // the infant, band 0-5
  CHECK(b->in_shelter_needs.at("ELD") == 1);
  CHECK(b->in_shelter_needs.at("INF") == 1);
  CHECK(b->outside_needs.empty());
  auto none = BreakdownOf(db, Id16{}.Hex());
  REQUIRE(none.ok());
  CHECK(none->in_shelter_needs.empty());

  // The elder goes out: the stamp moves and his need is no longer counted inside.
  REQUIRE(CheckOut(tablet, reg->persons[0]).ok());
  Feed(hq, tablet);
  auto after = ChangeStamp(db);
  REQUIRE(after.ok());
  CHECK(*after != *fed);
  auto b2 = BreakdownOf(db, t.shelter_id().Hex());
  REQUIRE(b2.ok());
  CHECK(b2->in_shelter_needs.count("ELD") == 0);
}
