// Specifies sync/hq/hq_node.
// HQ's tables follow everything its log holds and apply the tablets' rules: segments another
// process stored in the HQ log (a bundle imported with shelterctl) are applied at the next open
// and at a running HQ's next flush; a merge cycle keeps its smallest id visible as on the
// tablets; "with needs" counts the people in the shelter on both.
#include <doctest/doctest.h>

#include <algorithm>

#include "core/ops/duplicates.hpp"
#include "core/ops/households.hpp"
#include "tests/hq/hq_fixture.hpp"

using namespace shelter;
using namespace shelter::core;
using namespace shelter::hq;
using namespace shelter::test;

namespace {

int64_t PersonsAtHq(HqNode& hq) {
  auto c = Summarize(hq.store().db());
  REQUIRE(c.ok());
  return c->total.persons;
}

}  // namespace

TEST_CASE("HQ: segments another process stored in the HQ log reach the tables (bundle import)") {
  test::TestShelter t(1);
  auto& tab = t.tablet(0);
  auto reg = RegisterHousehold(tab, Family(), t.shelter_id(), true);
  REQUIRE(reg.ok());
  Hq hq(t);
  CHECK(PersonsAtHq(*hq.node) == 0);
  {
    // `shelterctl --data hq bundle import` while shelter-hq serve has the directory open.
    auto other = t.OpenLoggedIn(hq.dir);
    for (auto& w : LogSegments(tab)) REQUIRE(other->Ingest(View(w)).ok());
  }
  // The running HQ's next flush (a sync session's end) applies them: the next sync would be
  // answered "already held" and bring nothing.
  REQUIRE(hq.node->Flush().ok());
  CHECK(PersonsAtHq(*hq.node) == 3);
  CHECK(hq.node->store().CityTotal().Where(kInShelter) == 3);
  CHECK_FALSE(hq.node->IngestSegment(View(LogSegments(tab).front())).value());  // held

  // The same while HQ is closed: applied when it opens.
  hq.node.reset();
  REQUIRE(CheckOut(tab, reg->persons[0]).ok());
  {
    auto other = t.OpenLoggedIn(hq.dir);
    for (auto& w : LogSegments(tab)) REQUIRE(other->Ingest(View(w)).ok());
  }
  hq.Open();
  CHECK(hq.node->store().CityTotal().Where(kInShelter) == 2);
  CHECK(hq.node->store().CityTotal().Where(kOut) == 1);
}

TEST_CASE("HQ: a merge cycle (X into Y on one tablet, Y into X on another) shows the smaller id") {
  test::TestShelter t(2);
  Node& t0 = t.tablet(0);
  Node& t1 = t.tablet(1);
  Household one, two;
  one.members = {Member("齋藤 茂", "さいとう しげる", "1944-05-05", "male")};
  two.members = {Member("斎藤 茂", "サイトウ シゲル", "1944-05-05", "male")};
  auto a = RegisterHousehold(t0, one, t.shelter_id(), true);
  auto b = RegisterHousehold(t0, two, t.shelter_id(), true);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  const Id16 x = a->persons[0], y = b->persons[0];
  for (auto& w : LogSegments(t0)) REQUIRE(t1.Ingest(View(w)).ok());
  REQUIRE(MergePersons(t0, x, y).ok());  // y into x
  REQUIRE(MergePersons(t1, y, x).ok());  // x into y, concurrently
  for (auto& w : LogSegments(t1)) (void)t0.Ingest(View(w));
  auto tablet = t0.state().Counts(t.shelter_id());
  REQUIRE(tablet.ok());
  REQUIRE(tablet->persons == 1);

  Hq hq(t);
  hq.Feed(LogSegments(t0));
  const Id16 winner = std::min(x, y);
  auto check = [&](HqNode& node) {
    CHECK(node.store().CityTotal().Persons() == tablet->persons);
    CHECK(node.store().CityTotal().Where(kInShelter) == tablet->in_shelter);
    CHECK(PersonsAtHq(node) == 1);
    auto visible =
        node.store().db().Query("SELECT id FROM persons WHERE (flags & 1) = 1 AND (flags & 6) = 0");
    REQUIRE(visible.ok());
    REQUIRE(visible->size() == 1);
    CHECK(*(*visible)[0][0] == winner.Hex());
    auto found = AnpiLookup(node.store().db(), "さいとう しげる", AnpiTier::kFamily, kOfficer, 1);
    REQUIRE(found.ok());
    CHECK(found->size() == 1);  // both spellings fold to one key: the visible person only
  };
  check(*hq.node);
  hq.Open();  // reloaded from the tables
  check(*hq.node);
  hq.Open(hq.dir + "/fresh.db");  // rebuilt from the log in its own order
  check(*hq.node);
  // Undoing one merge leaves the other: the person merged away stays hidden, one person shown.
  REQUIRE(UnmergePerson(t1, x).ok());
  hq.Feed(LogSegments(t1));
  CHECK(hq.node->store().CityTotal().Persons() == 1);
}

TEST_CASE("HQ: people with needs are counted in the shelter, as the tablet counts them") {
  test::TestShelter t(1);
  auto& tab = t.tablet(0);
  auto reg = RegisterHousehold(tab, Family(), t.shelter_id(), true);  // 太郎 ELD, 陽菜 INF
  REQUIRE(reg.ok());
  REQUIRE(CheckOut(tab, reg->persons[0]).ok());  // 太郎 leaves
  auto c = tab.state().Counts(t.shelter_id());
  REQUIRE(c.ok());
  CHECK(c->in_shelter_with_needs == 1);
  Hq hq(t);
  hq.Feed(LogSegments(tab));
  auto rows = ListShelterStatus(hq.node->store().db());
  REQUIRE(rows.ok());
  auto row = std::find_if(rows->begin(), rows->end(),
                          [&](auto& r) { return r.id == t.shelter_id().Hex(); });
  REQUIRE(row != rows->end());
  CHECK(row->pop.in_shelter_with_needs == c->in_shelter_with_needs);
}
