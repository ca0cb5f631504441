// Specifies sync/hq/hq_store, with sync/hq/hq_schema, hq_batch and sql_conn (SQLite, PostgreSQL).
// The HQ store behind Node::Ingest: counts equal the tablets' own, survive a reopen, follow
// check-outs and edits in any arrival order; JSR1 reports are idempotent; 安否 honours consent.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <random>

#include "core/codec/qr_code.hpp"
#include "core/formats/status_report.hpp"
#include "core/model/entities.hpp"
#include "core/ops/households.hpp"
#include "core/ops/status_summary.hpp"
#include "sync/hq/hq_node.hpp"
#include "sync/hq/hq_queries.hpp"
#include "sync/hq/hq_schema.hpp"
#include "tests/hq/hq_fixture.hpp"
#include "tests/support/skip.hpp"
#include "tests/support/test_shelter.hpp"

using namespace shelter;
using namespace shelter::core;
using namespace shelter::hq;
using namespace shelter::test;

namespace {

void CheckSameAsTablet(HqNode& hq, Node& tablet, const Id16& shelter) {
  auto want = tablet.state().Counts(shelter);
  REQUIRE(want.ok());
  auto it = hq.store().counts().find(shelter);
  REQUIRE(it != hq.store().counts().end());
  const ShelterAgg& a = it->second;
  CHECK(a.Persons() == want->persons);
  CHECK(a.households == want->households);
  CHECK(a.Where(kInShelter) == want->in_shelter);
  CHECK(a.Where(kOut) == want->out);
  CHECK(a.Where(kAtHome) == want->at_home);
  CHECK(a.Where(kInCar) == want->in_car);
  CHECK(a.Where(kNeverArrived) == want->never_arrived);
  auto rows = ListShelterStatus(hq.store().db());
  REQUIRE(rows.ok());
  auto row =
      std::find_if(rows->begin(), rows->end(), [&](auto& r) { return r.id == shelter.Hex(); });
  REQUIRE(row != rows->end());
  CHECK(row->pop.in_shelter == want->in_shelter);
  CHECK(row->pop.persons == want->persons);
  CHECK(row->source == "sync");
}

}  // namespace

TEST_CASE("HQ: counts from tablets' segments equal the tablets' own, and survive a reopen") {
  test::TestShelter t(2);
  auto& a = t.tablet(0);
  auto& b = t.tablet(1);
  auto r1 = RegisterHousehold(a, Family(), t.shelter_id(), true);
  REQUIRE(r1.ok());
  Household solo;
  solo.members = {Member("佐藤 一郎", "さとう いちろう", "1980-02-02", "unanswered")};
  auto r2 = RegisterHousehold(b, solo, t.shelter_id(), false);
  REQUIRE(r2.ok());
  Hq hq(t);
  hq.Feed(test::LogSegments(a));
  hq.Feed(test::LogSegments(b));
  const ShelterAgg& agg = hq.node->store().counts().at(t.shelter_id());
  CHECK(agg.Persons() == 4);
  CHECK(agg.households == 2);
  CHECK(agg.Where(kInShelter) == 3);
  CHECK(agg.Where(kNeverArrived) == 1);
  CHECK(agg.cells[kInShelter][kFemale][0] == 1);  // the infant
  CHECK(agg.needs[kInShelter][7] == 1);           // INF

  // Tablet a learns b's segments, then the same checks hold against a's State exactly.
  for (auto& w : test::LogSegments(b)) REQUIRE(a.Ingest(View(w)).ok());
  // Check-out, a car, and home: whereabouts move.
  REQUIRE(CheckOut(a, r1->persons[0]).ok());
  REQUIRE(CheckIn(a, r1->persons[1], Place::kCar).ok());
  REQUIRE(CheckIn(b, r2->persons[0], Place::kHome).ok());
  for (auto& w : test::LogSegments(b)) (void)a.Ingest(View(w));
  hq.Feed(test::LogSegments(a));
  hq.Feed(test::LogSegments(b));
  CheckSameAsTablet(*hq.node, a, t.shelter_id());
  CHECK(hq.node->store().counts().at(t.shelter_id()).Where(kOut) == 1);
  CHECK(hq.node->store().counts().at(t.shelter_id()).Where(kInCar) == 1);

  // Reopen: the store reloads from its database and the log adds nothing twice.
  auto before = hq.node->store().CityTotal();
  hq.Open();
  auto after = hq.node->store().CityTotal();
  CHECK(after.cells == before.cells);
  CHECK(after.households == before.households);
  CheckSameAsTablet(*hq.node, a, t.shelter_id());

  auto c = Summarize(hq.node->store().db());
  REQUIRE(c.ok());
  CHECK(c->total.persons == 4);
  CHECK(c->shelters == 1);
  CHECK(c->in_shelter_needs.at("INF") == 1);
}

TEST_CASE("HQ: a store dropped and rebuilt from the log gives the same counts, in any order") {
  test::TestShelter t(2);
  for (int i = 0; i < 3; ++i) {
    REQUIRE(RegisterHousehold(t.tablet(i % 2), Family(), t.shelter_id(), true).ok());
  }
  auto segs = test::LogSegments(t.tablet(0));
  auto more = test::LogSegments(t.tablet(1));
  segs.insert(segs.end(), more.begin(), more.end());
  std::mt19937 rng(7);
  std::shuffle(segs.begin(), segs.end(), rng);
  Hq hq(t);
  for (auto& w : segs) (void)hq.node->IngestSegment(View(w));  // gaps wait for predecessors
  auto total = hq.node->store().CityTotal();
  CHECK(total.Persons() == 9);
  CHECK(total.households == 3);
  CHECK(total.Where(kInShelter) == 9);
  // A fresh database for the same HQ device is rebuilt from the log at login.
  hq.Open(hq.dir + "/other.db");
  CHECK(hq.node->store().CityTotal().cells == total.cells);
}

TEST_CASE("HQ: JSR1 reports count once, older ones stay out, forged ones are refused") {
  test::TestShelter t(1);
  auto& tab = t.tablet(0);
  REQUIRE(RegisterHousehold(tab, Family(), t.shelter_id(), true).ok());
  Hq hq(t);
  SqlConn& db = hq.node->store().db();
  auto signer = [&](ByteView m) { return tab.SignAsDevice(m); };
  auto report = Summarize(tab, t.shelter_id(), 1'700'000'000);
  REQUIRE(report.ok());
  auto text = EncodeStatusReport(*report, signer);
  REQUIRE(text.ok());
  auto& devices = hq.node->node().known_devices();

  auto r = IngestReport(db, *text, devices, test::kNowMs + 1);
  REQUIRE(r.ok());
  CHECK(r->outcome == ReportOutcome::kAccepted);
  r = IngestReport(db, *text, devices, test::kNowMs + 2);
  REQUIRE(r.ok());
  CHECK(r->outcome == ReportOutcome::kDuplicate);
  auto c = Summarize(db);
  REQUIRE(c.ok());
  CHECK(c->total.in_shelter == 3);
  CHECK(c->shelters_from_reports == 1);

  StatusReport newer = *report;
  newer.as_of_s += 600;
  newer.in_shelter = 40;
  auto newer_text = EncodeStatusReport(newer, signer);
  REQUIRE(newer_text.ok());
  r = IngestReport(db, *newer_text, devices, test::kNowMs + 3);
  REQUIRE(r.ok());
  CHECK(r->outcome == ReportOutcome::kReplaced);
  r = IngestReport(db, *text, devices, test::kNowMs + 4);  // the old one again, after the newer
  REQUIRE(r.ok());
  CHECK(r->outcome == ReportOutcome::kDuplicate);
  StatusReport older = *report;
  older.as_of_s -= 600;
  older.in_shelter = 7;
  r = IngestReport(db, *EncodeStatusReport(older, signer), devices, test::kNowMs + 5);
  REQUIRE(r.ok());
  CHECK(r->outcome == ReportOutcome::kOlder);
  c = Summarize(db);
  REQUIRE(c.ok());
  CHECK(c->total.in_shelter == 40);

  StatusReport forged = newer;
  forged.as_of_s += 600;
  forged.in_shelter = 9999;
  auto forged_text = EncodeStatusReport(forged, [](ByteView) -> Result<crypto::Signature> {
    return crypto::Sign(crypto::GenerateSignKeyPair().sk, ByteView());
  });
  REQUIRE(forged_text.ok());
  r = IngestReport(db, *forged_text, devices, test::kNowMs + 6);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::kCrypto);
  c = Summarize(db);
  REQUIRE(c.ok());
  CHECK(c->total.in_shelter == 40);

  // Synced data newer than the report wins again.
  REQUIRE(hq.node->node().known_devices().count(tab.device().device));
}

TEST_CASE("HQ: 安否 answers only what the person's consent allows, and every lookup is audited") {
  test::TestShelter t(1);
  REQUIRE(RegisterHousehold(t.tablet(0), Family(), t.shelter_id(), true).ok());
  Hq hq(t);
  hq.Feed(test::LogSegments(t.tablet(0)));
  SqlConn& db = hq.node->store().db();
  auto fam = AnpiLookup(db, "ヤマダ タロウ", AnpiTier::kFamily, test::kOfficer, 1000);
  REQUIRE(fam.ok());
  REQUIRE(fam->size() == 1);
  CHECK((*fam)[0].shelter_name == "千代田区立麹町小学校");
  CHECK((*fam)[0].dob == "1950-04-01");
  auto acq = AnpiLookup(db, "ﾔﾏﾀﾞ ﾀﾛｳ", AnpiTier::kAcquaintance, test::kOfficer, 1001);
  REQUIRE(acq.ok());
  CHECK(acq->empty());  // 太郎 refused answers to acquaintances
  auto pub = AnpiLookup(db, "やまだはなこ", AnpiTier::kPublic, test::kOfficer, 1002);
  REQUIRE(pub.ok());
  REQUIRE(pub->size() == 1);
  CHECK((*pub)[0].shelter_name.empty());
  CHECK((*pub)[0].dob.empty());
  auto none = AnpiLookup(db, "山田 陽菜", AnpiTier::kPublic, test::kOfficer, 1003);
  REQUIRE(none.ok());
  CHECK(none->empty());  // no public consent
  auto audit =
      db.Query("SELECT requester, tier, query_hash, results FROM anpi_audit ORDER BY at_ms");
  REQUIRE(audit.ok());
  REQUIRE(audit->size() == 4);
  CHECK(*(*audit)[0][0] == "officer1");
  CHECK(*(*audit)[1][1] == "acquaintance");
  for (auto& row : *audit) CHECK(row[2]->find("山田") == std::string::npos);
  // The same name asked twice hashes the same (the audit can be correlated without the name).
  CHECK(*(*audit)[0][2] == *(*audit)[1][2]);
}

TEST_CASE("HQ: an older schema is migrated in place") {
  test::TempDir dir;
  {
    auto db = OpenSqlite(dir.Sub("hq.db"));
    REQUIRE(db.ok());
    auto m = Migrate(**db, 1);
    REQUIRE(m.ok());
    CHECK(*m == 0);
    REQUIRE_FALSE((*db)->Query("SELECT count(*) FROM anpi_audit").ok());
  }
  auto db = OpenSqlite(dir.Sub("hq.db"));
  REQUIRE(db.ok());
  auto m = Migrate(**db);
  REQUIRE(m.ok());
  CHECK(*m == 1);
  CHECK((*db)->Query("SELECT count(*) FROM anpi_audit").ok());
  auto v = QueryInt(**db, "SELECT version FROM schema_version");
  REQUIRE(v.ok());
  CHECK(**v == kSchemaVersion);
}

TEST_CASE("HQ: open-data CSV has a BOM, the EEI header and the prefecture total") {
  test::TestShelter t(1);
  REQUIRE(RegisterHousehold(t.tablet(0), Family(), t.shelter_id(), true).ok());
  Hq hq(t);
  hq.Feed(test::LogSegments(t.tablet(0)));
  auto csv = ExportCsv(hq.node->store().db(), 1'700'000'000'000);
  REQUIRE(csv.ok());
  CHECK(csv->rfind("\xEF\xBB\xBF全国共通避難所・避難場所ID,地方公共団体コード", 0) == 0);
  CHECK(csv->find("E1310100000001,,") != std::string::npos);
  CHECK(csv->find("地方公共団体コード,都道府県名,避難所数,避難者数") != std::string::npos);
  auto json = ExportJson(hq.node->store().db(), 1'700'000'000'000);
  REQUIRE(json.ok());
  CHECK(json->find("\"in_shelter\": 3") != std::string::npos);
}

TEST_CASE("HQ on PostgreSQL: the same counts, reopen and reports") {
  const char* url = std::getenv("SHELTER_HQ_TEST_PG");
  if (!url)
    SHELTER_SKIP(
        "SHELTER_HQ_TEST_PG is not set (integration/hq_postgres starts a server "
        "and runs this case)");
  {
    auto db = OpenPostgres(url);
    REQUIRE_MESSAGE(db.ok(), db.error().ToString());
    REQUIRE((*db)->Exec("DROP SCHEMA public CASCADE; CREATE SCHEMA public").ok());
  }
  test::TestShelter t(2);
  auto r1 = RegisterHousehold(t.tablet(0), Family(), t.shelter_id(), true);
  REQUIRE(r1.ok());
  REQUIRE(RegisterHousehold(t.tablet(1), Family(), t.shelter_id(), false).ok());
  REQUIRE(CheckIn(t.tablet(0), r1->persons[1], Place::kCar).ok());
  Hq hq(t, url);
  hq.Feed(test::LogSegments(t.tablet(0)));
  hq.Feed(test::LogSegments(t.tablet(1)));
  auto total = hq.node->store().CityTotal();
  CHECK(total.Persons() == 6);
  CHECK(total.households == 2);
  CHECK(total.Where(kInShelter) == 2);
  CHECK(total.Where(kInCar) == 1);
  CHECK(total.Where(kNeverArrived) == 3);
  hq.Open(url);
  CHECK(hq.node->store().CityTotal().cells == total.cells);
  auto c = Summarize(hq.node->store().db());
  REQUIRE(c.ok());
  CHECK(c->total.persons == 6);
  CHECK(c->total.in_car == 1);
  auto fam = AnpiLookup(hq.node->store().db(), "やまだ はなこ", AnpiTier::kFamily,
                        {"o", core::StaffRole::kHq}, 1);
  REQUIRE(fam.ok());
  CHECK(fam->size() == 2);
  auto report = core::Summarize(t.tablet(0), t.shelter_id(), 1'700'000'000);
  REQUIRE(report.ok());
  auto text = EncodeStatusReport(*report, [&](ByteView m) { return t.tablet(0).SignAsDevice(m); });
  REQUIRE(text.ok());
  auto& devices = hq.node->node().known_devices();
  auto r = IngestReport(hq.node->store().db(), *text, devices, test::kNowMs + 1);
  REQUIRE(r.ok());
  CHECK(r->outcome == ReportOutcome::kAccepted);
  r = IngestReport(hq.node->store().db(), *text, devices, test::kNowMs + 2);
  REQUIRE(r.ok());
  CHECK(r->outcome == ReportOutcome::kDuplicate);
}

TEST_CASE("HQ: a shelter opened after the HQ was enrolled becomes readable once keys are granted") {
  test::TestShelter t(0);
  std::string hq_dir = t.root() + "/hq";
  REQUIRE(t.admin().EnrollDevice(hq_dir, {}, DeviceRole::kHq, "hq", "lead", "5678").ok());
  Id16 late = DerivedId("shelter", "E1310100000099");
  std::string tab_dir = t.root() + "/late-tablet";
  REQUIRE(t.admin().EnrollDevice(tab_dir, late, DeviceRole::kTablet, "t", "lead", "5678").ok());
  auto tab = t.OpenLoggedIn(tab_dir);
  REQUIRE(RegisterHousehold(*tab, Family(), late, true).ok());
  auto segs = test::LogSegments(*tab);
  {
    auto hq = HqNode::Open(hq_dir, "", "lead", "5678", t.options());
    REQUIRE(hq.ok());
    int refused = 0;
    for (auto& w : segs) refused += !(*hq)->IngestSegment(View(w)).ok();
    CHECK(refused >= 1);  // the tablet is unknown to the HQ yet (the admin's segments are known)
    CHECK((*hq)->store().counts().count(late) == 0);
  }
  auto granted = t.admin().GrantScopeKeys(hq_dir);
  REQUIRE_MESSAGE(granted.ok(), granted.error().ToString());
  CHECK(*granted == 1);
  auto hq = HqNode::Open(hq_dir, "", "lead", "5678", t.options());
  REQUIRE(hq.ok());
  for (auto& w : segs) REQUIRE((*hq)->IngestSegment(View(w)).ok());
  REQUIRE((*hq)->Flush().ok());
  CHECK((*hq)->store().counts().at(late).Where(kInShelter) == 3);
  CHECK_FALSE(t.admin().GrantScopeKeys(tab_dir).ok());  // only to an HQ device
}

TEST_CASE("HQ: a JSR1 report is read from a picture of the tablet's QR code") {
  test::TestShelter t(1);
  REQUIRE(RegisterHousehold(t.tablet(0), Family(), t.shelter_id(), true).ok());
  auto report = core::Summarize(t.tablet(0), t.shelter_id(), 1'700'000'000);
  REQUIRE(report.ok());
  auto text = EncodeStatusReport(*report, [&](ByteView m) { return t.tablet(0).SignAsDevice(m); });
  REQUIRE(text.ok());
  auto symbol = EncodeQr(*text, QrEcc::kM);
  REQUIRE(symbol.ok());
  GrayImage img = RenderQr(*symbol, 4);
  std::string path = t.root() + "/report.pgm";
  {
    std::ofstream f(path, std::ios::binary);
    f << "P5\n" << img.width << " " << img.height << "\n255\n";
    f.write(reinterpret_cast<const char*>(img.pixels.data()), img.pixels.size());
  }
  auto found = ReadReportImage(path);
  REQUIRE_MESSAGE(found.ok(), found.error().ToString());
  REQUIRE(found->size() == 1);
  CHECK((*found)[0] == *text);
  CHECK_FALSE(ReadReportImage(t.root() + "/missing.png").ok());
}
