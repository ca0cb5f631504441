// Shelter facilities (core/ops/facilities): written only by a lead or admin into the shelter's
// record, merged per item; the living-condition ratios at and around each Sphere line.
#include <doctest/doctest.h>

#include "core/ops/facilities.hpp"
#include "core/ops/master_data.hpp"
#include "tests/support/test_shelter.hpp"

using shelter::test::LogSegments;

using namespace shelter::core;
using shelter::test::TestShelter;

namespace {

const LivingRatio& Ratio(const std::vector<LivingRatio>& rs, const std::string& key) {
  for (auto& r : rs)
    if (r.key == key) return r;
  FAIL("no ratio " << key);
  return rs.front();
}

Facilities Toilets(int64_t w, int64_t m, int64_t a) {
  Facilities f;
  f.toilets_women = w;
  f.toilets_men = m;
  f.toilets_accessible = a;
  return f;
}

Occupants Occ(int64_t people, int64_t women = 0, int64_t men = 0) {
  Occupants o;
  o.people = people;
  o.women = women;
  o.men = men;
  return o;
}

}  // namespace

TEST_CASE(
    "Facilities: a lead or admin sets them item by item, staff are refused and told who may") {
  TestShelter t(1);
  Node& lead = t.tablet(0);
  const Id16 id = t.shelter_id();
  auto before = GetFacilities(lead, id);
  REQUIRE(before.ok());
  CHECK_FALSE(before->toilets_women.has_value());  // never recorded: unknown, not 0
  CHECK(before->power.empty());

  FacilitiesChange c;
  c.toilets_women = 6;
  c.toilets_men = 2;
  c.floor_m2 = 700;
  c.power = "generator";
  REQUIRE(SetFacilities(lead, id, c).ok());
  FacilitiesChange beds;
  beds.beds = 40;
  REQUIRE(SetFacilities(lead, id, beds).ok());
  auto f = GetFacilities(lead, id);
  REQUIRE(f.ok());
  CHECK(f->toilets_women == 6);
  CHECK(f->toilets_men == 2);
  CHECK(f->floor_m2 == 700);
  CHECK(f->beds == 40);  // the second edit kept what it did not name
  CHECK(f->power == "generator");
  CHECK_FALSE(f->baths.has_value());
  // The capacity, a field of the same record, is untouched.
  REQUIRE(SetShelterCapacity(lead, id, 300).ok());
  CHECK(GetFacilities(lead, id)->toilets_women == 6);

  FacilitiesChange bad;
  bad.toilets_men = -1;
  CHECK(SetFacilities(lead, id, bad).error().code == ErrorCode::kInvalidArgument);
  FacilitiesChange kind;
  kind.water = "river";
  CHECK(SetFacilities(lead, id, kind).error().code == ErrorCode::kInvalidArgument);
  CHECK(SetFacilities(lead, id, FacilitiesChange{}).error().code == ErrorCode::kInvalidArgument);
  CHECK(SetFacilities(lead, Id16::Random(), beds).error().code == ErrorCode::kNotFound);

  REQUIRE(lead.AddStaff("s1", StaffRole::kStaff, "1111").ok());
  lead.Logout();
  REQUIRE(lead.Login("s1", "1111").ok());
  auto refused = SetFacilities(lead, id, beds);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == ErrorCode::kPermissionDenied);
  CHECK(refused.error().detail.find("only the shelter lead or an admin") != std::string::npos);
  CHECK(GetFacilities(lead, id)->beds == 40);  // staff may read them

  REQUIRE(SetFacilities(t.admin(), id, kind).error().code == ErrorCode::kInvalidArgument);
  FacilitiesChange water;
  water.water = "tank";
  CHECK(SetFacilities(t.admin(), id, water).ok());
}

TEST_CASE("Living ratios: nobody in the shelter meets every known figure, unknown stays unknown") {
  auto rs = ComputeLivingRatios(Facilities{}, Occupants{}, false);
  REQUIRE(rs.size() == 5);
  for (auto& r : rs) CHECK(r.state == RatioState::kUnknown);
  Facilities f = Toilets(0, 0, 0);
  f.floor_m2 = 0;
  f.baths = 0;
  f.beds = 0;
  rs = ComputeLivingRatios(f, Occupants{}, false);
  for (auto& r : rs) {
    CHECK_MESSAGE(r.state == RatioState::kMet, r.key);
    CHECK_FALSE(r.Alarm());
  }
  CHECK_FALSE(Ratio(rs, "m2_per_person").value.has_value());
}

TEST_CASE("Living ratios: people per toilet at the line, over it, and with no toilet") {
  const Facilities f = Toilets(1, 1, 0);
  auto at = Ratio(ComputeLivingRatios(f, Occ(40), false), "people_per_toilet");
  CHECK(at.state == RatioState::kMet);  // 40 people, 2 toilets: exactly 1 per 20
  CHECK(at.value == doctest::Approx(20.0));
  CHECK(at.target == 20.0);
  CHECK(at.at_most);
  auto over = Ratio(ComputeLivingRatios(f, Occ(41), false), "people_per_toilet");
  CHECK(over.state == RatioState::kMissed);
  CHECK(over.Alarm());
  auto first = Ratio(ComputeLivingRatios(f, Occ(100), true), "people_per_toilet");
  CHECK(first.target == 50.0);
  CHECK(first.state == RatioState::kMet);
  CHECK(Ratio(ComputeLivingRatios(f, Occ(101), true), "people_per_toilet").Alarm());
  auto none = Ratio(ComputeLivingRatios(Toilets(0, 0, 0), Occ(1), true), "people_per_toilet");
  CHECK(none.state == RatioState::kMissed);
  CHECK_FALSE(none.value.has_value());
  // Accessible toilets count for everyone.
  CHECK_FALSE(
      Ratio(ComputeLivingRatios(Toilets(0, 0, 2), Occ(40), false), "people_per_toilet").Alarm());
}

TEST_CASE("Living ratios: women's toilets against men's, per person of each sex (3:1)") {
  auto at =
      Ratio(ComputeLivingRatios(Toilets(3, 1, 0), Occ(20, 10, 10), false), "women_toilet_ratio");
  CHECK(at.state == RatioState::kMet);
  CHECK(at.value == doctest::Approx(3.0));
  auto under =
      Ratio(ComputeLivingRatios(Toilets(2, 1, 0), Occ(20, 10, 10), false), "women_toilet_ratio");
  CHECK(under.Alarm());
  // Fewer women need fewer toilets: 5 women and 15 men with 1 women's and 1 men's toilet is 3.
  CHECK(Ratio(ComputeLivingRatios(Toilets(1, 1, 0), Occ(20, 5, 15), false), "women_toilet_ratio")
            .state == RatioState::kMet);
  auto no_women_toilet =
      Ratio(ComputeLivingRatios(Toilets(0, 2, 0), Occ(4, 1, 3), false), "women_toilet_ratio");
  CHECK(no_women_toilet.Alarm());
  CHECK(no_women_toilet.value == doctest::Approx(0.0));
  CHECK(Ratio(ComputeLivingRatios(Toilets(0, 2, 0), Occ(3, 0, 3), false),
              "women_toilet_ratio")
            .state == RatioState::kMet);  // no women
  CHECK(Ratio(ComputeLivingRatios(Toilets(1, 0, 0), Occ(2, 1, 1), false),
              "women_toilet_ratio")
            .state == RatioState::kMet);  // no men's toilet: people_per_toilet tells
}

TEST_CASE("Living ratios: floor area, baths and beds at their lines") {
  Facilities f;
  f.floor_m2 = 35;  // 10 people: exactly 3.5 m² each
  f.baths = 1;
  f.beds = 10;
  auto rs = ComputeLivingRatios(f, Occ(10), false);
  CHECK(Ratio(rs, "m2_per_person").state == RatioState::kMet);
  CHECK(Ratio(rs, "m2_per_person").value == doctest::Approx(3.5));
  CHECK(Ratio(rs, "bed_coverage").state == RatioState::kMet);
  CHECK(Ratio(rs, "people_per_bath").state == RatioState::kMet);
  rs = ComputeLivingRatios(f, Occ(11), false);
  CHECK(Ratio(rs, "m2_per_person").Alarm());
  CHECK(Ratio(rs, "bed_coverage").Alarm());
  CHECK(Ratio(rs, "bed_coverage").value == doctest::Approx(10.0 / 11.0));
  CHECK(Ratio(ComputeLivingRatios(f, Occ(50), false), "people_per_bath").state == RatioState::kMet);
  CHECK(Ratio(ComputeLivingRatios(f, Occ(51), false), "people_per_bath").Alarm());
  f.baths = 0;
  CHECK(Ratio(ComputeLivingRatios(f, Occ(1), false), "people_per_bath").Alarm());
}

TEST_CASE("Living ratios: the first days are the disaster's date and the next two, Japan time") {
  // 2026-01-01T00:00:00+09:00 is 2025-12-31T15:00:00Z = 1767193200.
  const int64_t jan1_jst = 1767193200;
  CHECK(InFirstDays("2026-01-01", jan1_jst));
  CHECK_FALSE(InFirstDays("2026-01-01", jan1_jst - 1));        // still 2025-12-31 in Japan
  CHECK(InFirstDays("2026-01-01", jan1_jst + 3 * 86400 - 1));  // the end of day 2
  CHECK_FALSE(InFirstDays("2026-01-01", jan1_jst + 3 * 86400));
  CHECK_FALSE(InFirstDays("", jan1_jst));
  CHECK_FALSE(InFirstDays("2026-02-30", jan1_jst));
  CHECK_FALSE(InFirstDays("2026-1-1", jan1_jst));
}

TEST_CASE("Living conditions: counted from who is in the shelter now") {
  TestShelter t(1);
  Node& lead = t.tablet(0);
  FacilitiesChange c;
  c.toilets_women = 0;
  c.toilets_men = 0;
  REQUIRE(SetFacilities(lead, t.shelter_id(), c).ok());
  auto lc = GetLivingConditions(lead, t.shelter_id(), 1767193200);
  REQUIRE(lc.ok());
  CHECK(lc->occupants.people == 0);
  CHECK_FALSE(lc->first_days);  // no disaster recorded: the later figure
  CHECK(lc->Alarms() == 0);
}

TEST_CASE("Facilities: two leads editing different items offline both keep theirs after a sync") {
  TestShelter t(2);
  Node& a = t.tablet(0);
  Node& b = t.tablet(1);
  FacilitiesChange beds;
  beds.beds = 80;
  FacilitiesChange toilets;
  toilets.toilets_women = 9;
  REQUIRE(SetFacilities(a, t.shelter_id(), beds).ok());
  REQUIRE(SetFacilities(b, t.shelter_id(), toilets).ok());
  for (auto [from, to] : {std::pair{&a, &b}, std::pair{&b, &a}})
    for (auto& wire : LogSegments(*from)) REQUIRE(to->Ingest(View(wire)).ok());
  for (Node* n : {&a, &b}) {
    auto f = GetFacilities(*n, t.shelter_id());
    REQUIRE(f.ok());
    CHECK(f->beds == 80);
    CHECK(f->toilets_women == 9);
    auto rec = n->state().Get(t.shelter_id());
    REQUIRE((rec.ok() && rec->has_value()));
    CHECK((*rec)->ConflictedFields().empty());
  }
}
