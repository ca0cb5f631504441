// Specifies the HQ store's whereabouts (sync/hq/hq_store with core/model/stay_status): the new
// places count as the tablet counts them, a person who left (退所) is in no count, an undone move
// is not counted (also when the undo reaches HQ before the move), and households in the shelter
// follow the same rule.
#include <doctest/doctest.h>

#include <algorithm>

#include "core/ops/households.hpp"
#include "core/ops/moves.hpp"
#include "core/ops/status_summary.hpp"
#include "sync/hq/hq_node.hpp"
#include "sync/hq/hq_queries.hpp"
#include "tests/hq/hq_fixture.hpp"
#include "tests/support/test_shelter.hpp"

using namespace shelter;
using namespace shelter::core;
using namespace shelter::hq;
using namespace shelter::test;

namespace {

void CheckAgainstTablet(Hq& hq, Node& tablet, const Id16& shelter) {
  auto want = tablet.state().Counts(shelter);
  REQUIRE(want.ok());
  const ShelterAgg& a = hq.node->store().counts().at(shelter);
  CHECK(a.Where(kInShelter) == want->in_shelter);
  CHECK(a.Where(kOut) == want->out);
  CHECK(a.Where(kAtHome) == want->at_home);
  CHECK(a.Where(kInCar) == want->in_car);
  CHECK(a.Where(kElsewhere) == want->elsewhere);
  CHECK(a.Where(kNeverArrived) == want->never_arrived);
  CHECK(a.Persons() == want->persons - want->left);  // 退所: no longer the shelter's people
  // The tablet's JSR1 counts are the same people.
  auto r = Summarize(tablet, shelter, kNowMs / 1000);
  REQUIRE_MESSAGE(r.ok(), r.error().ToString());
  CHECK(r->in_shelter + r->out + r->at_home + r->in_car + r->elsewhere + r->never_arrived ==
        a.Persons());
}

}  // namespace

TEST_CASE("HQ: whereabouts with the new places, 退所 and an undo count as on the tablet") {
  test::TestShelter t(1);
  auto& a = t.tablet(0);
  auto fam = RegisterHousehold(a, Family(), t.shelter_id(), true);
  REQUIRE(fam.ok());
  Household solo;
  solo.members = {Member("佐藤 一郎", "さとう いちろう", "1980-02-02", "unanswered")};
  auto one = RegisterHousehold(a, solo, t.shelter_id(), true, Place::kTent);
  REQUIRE(one.ok());
  REQUIRE(MoveTo(a, fam->persons[0], Place::kLeft).ok());
  auto car = MoveTo(a, fam->persons[1], Place::kCar);
  REQUIRE(car.ok());
  REQUIRE(MoveTo(a, fam->persons[2], Place::kOvernight).ok());
  Hq hq(t);
  hq.Feed(test::LogSegments(a));
  CHECK(hq.node->store().counts().at(t.shelter_id()).Where(kInCar) == 1);
  CheckAgainstTablet(hq, a, t.shelter_id());

  REQUIRE(UndoMoves(a, {*car}).ok());  // back in the shelter
  hq.Feed(test::LogSegments(a));
  const ShelterAgg& agg = hq.node->store().counts().at(t.shelter_id());
  CHECK(agg.Where(kInCar) == 0);
  CHECK(agg.Where(kInShelter) == 1);
  CHECK(agg.Where(kOut) == 1);
  CHECK(agg.Where(kElsewhere) == 1);  // the tent
  CHECK(agg.Persons() == 3);
  CheckAgainstTablet(hq, a, t.shelter_id());
  auto in = HouseholdsInShelter(hq.node->store().db());
  REQUIRE(in.ok());
  CHECK(in->at(t.shelter_id().Hex()) == 1);  // the family (花子 is in); the tent is not

  hq.Open();  // reloaded from the database: the same
  CheckAgainstTablet(hq, a, t.shelter_id());
}

TEST_CASE("HQ: an undo that arrives before the move it undoes leaves the move uncounted") {
  test::TestShelter t(2);
  auto& a = t.tablet(0);
  auto& b = t.tablet(1);
  auto fam = RegisterHousehold(a, Family(), t.shelter_id(), true);
  REQUIRE(fam.ok());
  for (auto& w : test::LogSegments(a)) REQUIRE(b.Ingest(View(w)).ok());
  const auto before_move = test::LogSegments(a);
  auto home = MoveTo(a, fam->persons[0], Place::kHome);
  REQUIRE(home.ok());
  for (auto& w : test::LogSegments(a)) (void)b.Ingest(View(w));
  REQUIRE(UndoMoves(b, {*home}).ok());
  Hq hq(t);
  hq.Feed(before_move);
  const auto a_all = test::LogSegments(a);
  std::vector<Bytes> b_own;
  for (auto& w : test::LogSegments(b))
    if (std::find(a_all.begin(), a_all.end(), w) == a_all.end()) b_own.push_back(w);
  hq.Feed(b_own);
  hq.Feed(a_all);
  const ShelterAgg& agg = hq.node->store().counts().at(t.shelter_id());
  CHECK(agg.Where(kAtHome) == 0);
  CHECK(agg.Where(kInShelter) == 3);
  CheckAgainstTablet(hq, b, t.shelter_id());
}
