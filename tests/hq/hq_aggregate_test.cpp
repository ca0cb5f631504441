// Specifies sync/hq/hq_store, with sync/hq/hq_queries.
// The HQ's incrementally kept counts (in memory, per-shelter rows, city rows, Summarize) equal a
// recount from scratch over the stored person rows, after a random workload of registrations,
// check-outs and -ins, edits, merges, deletes and households moving between shelters, fed in
// random groups; and a store rebuilt from the log in another order gives the same counts.
#include <doctest/doctest.h>

#include <map>
#include <random>
#include <set>

#include "core/formats/status_report.hpp"
#include "core/model/entities.hpp"
#include "core/ops/duplicates.hpp"
#include "core/ops/households.hpp"
#include "sync/hq/hq_node.hpp"
#include "sync/hq/hq_queries.hpp"
#include "sync/hq/hq_schema.hpp"
#include "tests/support/test_shelter.hpp"

using namespace shelter;
using namespace shelter::core;
using namespace shelter::hq;

namespace {

// Cells keyed by (shelter hex, whereabouts, sex, band); needs by (shelter, whereabouts, code).
struct Recount {
  std::map<std::tuple<std::string, std::string, std::string, int64_t>, int64_t> cells;
  std::map<std::tuple<std::string, std::string, std::string>, int64_t> needs;
  std::map<std::string, int64_t> persons, households;
};

// The whereabouts classes, written out again here as the oracle (hq_store.cpp has its own).
std::string Where(int64_t event, int64_t place) {
  if (event == 0xFF) return "never_arrived";
  auto e = StayEvent(event);
  auto p = Place(place);
  if (e == StayEvent::kArrive && (p == Place::kShelter || p == Place::kWelfareShelter))
    return "in_shelter";
  if (e == StayEvent::kArrive && p == Place::kHome) return "at_home";
  if (e == StayEvent::kArrive && p == Place::kCar) return "in_car";
  if (e == StayEvent::kLeave || e == StayEvent::kOvernightOut) return "out";
  return "elsewhere";
}

std::string Text(const std::optional<std::string>& s) { return s.value_or(""); }
int64_t Int(const std::optional<std::string>& s) { return s ? std::stoll(*s) : 0; }

Recount FromRows(SqlConn& db, int64_t now_ms) {
  Recount r;
  std::map<std::string, std::string> shelter_of;
  auto hh = db.Query("SELECT id, shelter FROM households");
  REQUIRE(hh.ok());
  for (auto& row : *hh) shelter_of[Text(row[0])] = Text(row[1]);
  auto ps = db.Query("SELECT household, dob, sex, needs, flags, event, place FROM persons");
  REQUIRE(ps.ok());
  const std::string zero = Id16{}.Hex();
  std::set<std::pair<std::string, std::string>> live_households;
  auto& codes = NeedCodes();
  for (auto& row : *ps) {
    int64_t flags = Int(row[4]);
    if (!(flags & 1) || (flags & (2 | 4))) continue;  // present, not deleted, not merged
    auto it = shelter_of.find(Text(row[0]));
    std::string shelter = it == shelter_of.end() ? zero : it->second;
    std::string where = Where(Int(row[5]), Int(row[6]));
    std::string sex = Text(row[2]) == "male"     ? "male"
                      : Text(row[2]) == "female" ? "female"
                                                 : "other";
    auto band = static_cast<int64_t>(AgeBand(Text(row[1]), now_ms / 86'400'000 * 86400));
    ++r.cells[{shelter, where, sex, band}];
    ++r.persons[shelter];
    int64_t bits = Int(row[3]);
    for (size_t i = 0; i < codes.size(); ++i)
      if (bits & (int64_t(1) << i)) ++r.needs[{shelter, where, codes[i]}];
    live_households.insert({shelter, Text(row[0])});
  }
  for (auto& [shelter, h] : live_households) ++r.households[shelter];
  return r;
}

Recount FromAggregates(SqlConn& db) {
  Recount r;
  auto cells = db.Query("SELECT shelter, whereabouts, sex, age_band, n FROM shelter_counts");
  REQUIRE(cells.ok());
  for (auto& row : *cells)
    if (Int(row[4])) r.cells[{Text(row[0]), Text(row[1]), Text(row[2]), Int(row[3])}] = Int(row[4]);
  auto needs = db.Query("SELECT shelter, whereabouts, need, n FROM shelter_needs");
  REQUIRE(needs.ok());
  for (auto& row : *needs)
    if (Int(row[3])) r.needs[{Text(row[0]), Text(row[1]), Text(row[2])}] = Int(row[3]);
  auto st = db.Query("SELECT shelter, persons, households FROM shelter_status");
  REQUIRE(st.ok());
  for (auto& row : *st) {
    if (Int(row[1])) r.persons[Text(row[0])] = Int(row[1]);
    if (Int(row[2])) r.households[Text(row[0])] = Int(row[2]);
  }
  return r;
}

Recount FromMemory(const HqStore& store) {
  Recount r;
  auto& codes = NeedCodes();
  for (auto& [id, a] : store.counts()) {
    std::string s = id.Hex();
    for (size_t w = 0; w < kWhereCount; ++w) {
      for (size_t x = 0; x < kSexCount; ++x)
        for (size_t b = 0; b < kAgeBands; ++b)
          if (a.cells[w][x][b])
            r.cells[{s, WhereaboutsName(w), SexClassName(x), int64_t(b)}] = a.cells[w][x][b];
      for (size_t n = 0; n < codes.size(); ++n)
        if (a.needs[w][n]) r.needs[{s, WhereaboutsName(w), codes[n]}] = a.needs[w][n];
    }
    if (a.Persons()) r.persons[s] = a.Persons();
    if (a.households) r.households[s] = a.households;
  }
  return r;
}

void CheckSame(const Recount& got, const Recount& want) {
  CHECK(got.cells == want.cells);
  CHECK(got.needs == want.needs);
  CHECK(got.persons == want.persons);
  CHECK(got.households == want.households);
}

// The whole-city rows and Summarize against the recount.
void CheckCity(SqlConn& db, const Recount& want) {
  auto c = Summarize(db);
  REQUIRE(c.ok());
  int64_t persons = 0, households = 0, in_shelter = 0;
  for (auto& [s, n] : want.persons) persons += n;
  for (auto& [s, n] : want.households) households += n;
  std::array<std::array<int64_t, kAgeBands>, 3> by_sex_band{};
  std::map<std::string, int64_t> in_needs, out_needs;
  for (auto& [k, n] : want.cells) {
    auto& [s, where, sex, band] = k;
    if (where != "in_shelter") continue;
    in_shelter += n;
    by_sex_band[sex == "male" ? 0 : sex == "female" ? 1 : 2][band] += n;
  }
  for (auto& [k, n] : want.needs) {
    auto& [s, where, code] = k;
    if (where == "in_shelter")
      in_needs[code] += n;
    else if (where == "at_home" || where == "in_car" || where == "elsewhere")
      out_needs[code] += n;
  }
  CHECK(c->total.persons == persons);
  CHECK(c->total.households == households);
  CHECK(c->total.in_shelter == in_shelter);
  CHECK(c->in_shelter_by_sex_band == by_sex_band);
  CHECK(c->in_shelter_needs == in_needs);
  CHECK(c->outside_needs == out_needs);
  // The city rows equal the sum of the shelter rows.
  auto diff = db.Query(
      "SELECT count(*) FROM city_counts c WHERE c.n <> (SELECT coalesce(sum(s.n), 0) FROM "
      "shelter_counts s WHERE s.whereabouts = c.whereabouts AND s.sex = c.sex AND "
      "s.age_band = c.age_band)");
  REQUIRE(diff.ok());
  CHECK(Int((*diff)[0][0]) == 0);
}

const char* kSex[] = {"male", "female", "unanswered", "other"};
const char* kNeedsPool[] = {"ELD", "INF", "ILL", "PRG", "DIS-V"};

}  // namespace

TEST_CASE("HQ: kept counts equal a recount after random registrations, moves, merges, deletes") {
  test::TestShelter t(2);
  Node& admin = t.admin();
  // A second shelter, written by the admin device (which holds every scope key).
  ShelterInfo second;
  second.id = DerivedId("shelter", "E13000000002");
  second.common_id = "E13000000002";
  second.municipality_code = "131016";
  second.name = "第二避難所";
  second.capacity = 50;
  second.status = "open";
  REQUIRE(admin.CreateShelterScope(second.id).ok());
  REQUIRE(admin
              .Commit(admin.municipality_scope(),
                      {{second.id, RecordType::kShelter, ShelterFields(second)}})
              .ok());
  std::string hq_dir = t.root() + "/hq";
  REQUIRE(admin.EnrollDevice(hq_dir, {}, DeviceRole::kHq, "hq", "lead", "5678").ok());
  auto opened = HqNode::Open(hq_dir, "", "lead", "5678", t.options());
  REQUIRE_MESSAGE(opened.ok(), opened.error().ToString());
  auto hq = std::move(opened).value();
  // Small groups: most are written by the store's writer thread while later segments are applied.
  hq->store().set_flush_ops(16);

  std::mt19937 rng(20260401);
  Node* writers[] = {&t.tablet(0), &t.tablet(1), &admin};
  Id16 shelters[] = {t.shelter_id(), t.shelter_id(), second.id};
  struct Known {
    Id16 id, household;
    int writer;
  };
  std::vector<Known> people;
  std::vector<std::pair<Id16, int>> households;
  std::map<Node*, size_t> fed;  // segments of each writer already given to HQ
  auto feed_some = [&]() {
    for (Node* w : writers) {
      auto segs = test::LogSegments(*w);
      // Each writer's log also holds what it learnt from others: feed in a shuffled order.
      std::shuffle(segs.begin(), segs.end(), rng);
      for (auto& s : segs) REQUIRE(hq->IngestSegment(View(s)).ok());
    }
    if (rng() % 2) REQUIRE(hq->Flush().ok());
  };
  for (int step = 0; step < 240; ++step) {
    int wi = static_cast<int>(rng() % 3);
    Node& w = *writers[wi];
    int action = static_cast<int>(rng() % 10);
    std::vector<size_t> mine;
    for (size_t i = 0; i < people.size(); ++i)
      if (people[i].writer == wi) mine.push_back(i);
    if (action < 3 || mine.size() < 4) {
      Household h;
      int n = 1 + static_cast<int>(rng() % 4);
      for (int m = 0; m < n; ++m) {
        Person p;
        p.name = "試験 " + std::to_string(step) + "-" + std::to_string(m);
        p.kana = "しけん";  // kana only: digits are not a reading
        char dob[16];
        std::snprintf(dob, sizeof dob, "%04d-%02d-%02d", 1925 + int(rng() % 100),
                      1 + int(rng() % 12), 1 + int(rng() % 28));
        p.dob = dob;
        p.sex = kSex[rng() % 4];
        if (rng() % 3 == 0) p.needs.push_back(kNeedsPool[rng() % 5]);
        h.members.push_back(std::move(p));
      }
      auto r = RegisterHousehold(w, std::move(h), shelters[wi], rng() % 4 != 0);
      REQUIRE_MESSAGE(r.ok(), r.error().ToString());
      households.push_back({r->household, wi});
      for (auto& id : r->persons) people.push_back({id, r->household, wi});
      continue;
    }
    const Known& p = people[mine[rng() % mine.size()]];
    switch (action) {
      case 3: {  // a stay event: out, back, home, car, hospital...
        auto ev = StayEvent(rng() % 6);
        auto pl = Place(rng() % 8);
        auto r = RecordStay(w, p.id, ev, pl);
        CHECK_MESSAGE(r.ok(), r.error().ToString());
        break;
      }
      case 4: {  // edits: sex, birth date, needs
        std::vector<FieldWrite> f;
        f.push_back({field::kSex, cbor::Item(kSex[rng() % 4])});
        if (rng() % 2)
          f.push_back(
              {field::kDob, cbor::Item(std::string("2024-0") + char('1' + rng() % 9) + "-01")});
        cbor::Array needs;
        if (rng() % 2) needs.push_back(cbor::Item(kNeedsPool[rng() % 5]));
        f.push_back({field::kNeeds, needs.empty() ? cbor::Item() : cbor::Item(std::move(needs))});
        CHECK(EditRecord(w, p.id, std::move(f)).ok());
        break;
      }
      case 5: {  // a merge into another person of this writer
        const Known& keep = people[mine[rng() % mine.size()]];
        (void)MergePersons(w, keep.id, p.id);  // refused when it would loop: fine
        break;
      }
      case 6: {  // delete a person (every value cleared, the delete mark set), as core does
        auto rec = w.state().Get(p.id);
        REQUIRE(rec.ok());
        if (*rec)
          CHECK(w.Commit((*rec)->scope, {{p.id,
                                          RecordType::kPerson,
                                          {{field::kDeleted, cbor::Item(true)},
                                           {field::kHousehold, cbor::Item()},
                                           {field::kName, cbor::Item()},
                                           {field::kKana, cbor::Item()},
                                           {field::kDob, cbor::Item()}}}})
                    .ok());
        break;
      }
      case 7: {  // the household moves to another shelter (or back)
        Id16 to = shelters[rng() % 3];
        CHECK(EditRecord(w, p.household,
                         {{field::kShelter, cbor::Item(Bytes(to.b.begin(), to.b.end()))}})
                  .ok());
        break;
      }
      case 8: {  // the person joins another household of this writer
        auto& [hh, hw] = households[rng() % households.size()];
        if (hw == wi)
          CHECK(EditRecord(w, p.id,
                           {{field::kHousehold, cbor::Item(Bytes(hh.b.begin(), hh.b.end()))}})
                    .ok());
        break;
      }
      default: {  // the tablets sync with each other: concurrent edits meet
        for (auto& s : test::LogSegments(t.tablet(1))) (void)t.tablet(0).Ingest(View(s));
        for (auto& s : test::LogSegments(t.tablet(0))) (void)t.tablet(1).Ingest(View(s));
        break;
      }
    }
    if (step % 40 == 39) feed_some();
  }
  feed_some();
  REQUIRE(hq->Flush().ok());
  SqlConn& db = hq->store().db();
  int64_t now = HlcClock::SystemNowMs();
  Recount want = FromRows(db, now);
  int64_t total = 0;
  for (auto& [s, n] : want.persons) total += n;
  CHECK(total > 100);
  CHECK(want.persons.size() >= 2);  // both shelters hold people
  CheckSame(FromMemory(hq->store()), want);
  CheckSame(FromAggregates(db), want);
  CheckCity(db, want);
  // Names are written once and kept by every later status-only row write.
  auto unnamed = QueryInt(
      db,
      "SELECT count(*) FROM persons WHERE (flags & 1) = 1 AND "
      "(flags & 2) = 0 AND (flags & 64) = 0 AND (name = '' OR kana = '' OR name_key = '')");
  REQUIRE(unnamed.ok());
  CHECK(**unnamed == 0);
  auto named = QueryInt(db, "SELECT count(*) FROM persons WHERE name LIKE '試験 %'");
  REQUIRE(named.ok());
  CHECK(**named > 100);

  // Reopened, and rebuilt into a fresh database from the log: the same counts.
  hq.reset();
  auto again = HqNode::Open(hq_dir, "", "lead", "5678", t.options());
  REQUIRE(again.ok());
  CheckSame(FromMemory((*again)->store()), want);
  again->reset();
  auto fresh = HqNode::Open(hq_dir, hq_dir + "/fresh.db", "lead", "5678", t.options());
  REQUIRE(fresh.ok());
  CheckSame(FromMemory((*fresh)->store()), want);
  CheckSame(FromAggregates((*fresh)->store().db()), want);
  CheckCity((*fresh)->store().db(), want);
}

TEST_CASE("HQ: a version-2 database with data migrates to city rows with the same summary") {
  test::TestShelter t(1);
  Id16 leaving;
  for (int i = 0; i < 5; ++i) {
    Household h;
    for (int m = 0; m < 3; ++m) {
      Person p;
      p.name = "移行 " + std::to_string(i * 3 + m);
      p.kana = "いこう";
      p.dob = m == 2 ? "2025-01-01" : "1960-03-03";
      p.sex = m % 2 ? "female" : "male";
      if (m == 1) p.needs = {"ELD"};
      h.members.push_back(std::move(p));
    }
    auto r = RegisterHousehold(t.tablet(0), std::move(h), t.shelter_id(), i != 4);
    REQUIRE(r.ok());
    if (i == 0) leaving = r->persons[0];
  }
  std::string dir = t.root() + "/hq";
  REQUIRE(t.admin().EnrollDevice(dir, {}, DeviceRole::kHq, "hq", "lead", "5678").ok());
  CitySummary before;
  {
    auto hq = HqNode::Open(dir, "", "lead", "5678", t.options());
    REQUIRE(hq.ok());
    for (auto& s : test::LogSegments(t.tablet(0))) REQUIRE((*hq)->IngestSegment(View(s)).ok());
    REQUIRE((*hq)->Flush().ok());
    auto c = Summarize((*hq)->store().db());
    REQUIRE(c.ok());
    before = *c;
    CHECK(before.total.persons == 15);
    CHECK(before.in_shelter_needs.at("ELD") == 4);
    // Version 2 had every table but the city rows: make this database one.
    SqlConn& db = (*hq)->store().db();
    REQUIRE(db.Exec("DROP TABLE city_counts; DROP TABLE city_needs; "
                    "UPDATE schema_version SET version = 2")
                .ok());
  }
  auto db = OpenSqlite(DefaultDbUrl(dir));
  REQUIRE(db.ok());
  auto m = Migrate(**db);
  REQUIRE(m.ok());
  CHECK(*m == 2);
  auto after = Summarize(**db);
  REQUIRE(after.ok());
  CHECK(after->total.persons == before.total.persons);
  CHECK(after->total.in_shelter == before.total.in_shelter);
  CHECK(after->in_shelter_by_sex_band == before.in_shelter_by_sex_band);
  CHECK(after->in_shelter_needs == before.in_shelter_needs);
  CHECK(after->outside_needs == before.outside_needs);
  // And the store opens on it and keeps the city rows up to date from there.
  db->reset();
  auto hq = HqNode::Open(dir, "", "lead", "5678", t.options());
  REQUIRE(hq.ok());
  REQUIRE(CheckOut(t.tablet(0), leaving).ok());
  for (auto& s : test::LogSegments(t.tablet(0))) REQUIRE((*hq)->IngestSegment(View(s)).ok());
  REQUIRE((*hq)->Flush().ok());
  auto moved = Summarize((*hq)->store().db());
  REQUIRE(moved.ok());
  CHECK(moved->total.in_shelter == before.total.in_shelter - 1);
  size_t band = AgeBand("1960-03-03", HlcClock::SystemNowMs() / 86'400'000 * 86400);
  CHECK(moved->in_shelter_by_sex_band[0][band] == before.in_shelter_by_sex_band[0][band] - 1);
  CheckCity((*hq)->store().db(), FromRows((*hq)->store().db(), HlcClock::SystemNowMs()));
}
