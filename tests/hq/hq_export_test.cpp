// The HQ open-data export (sync/hq/hq_export.cpp): 避難世帯数 counts households with someone in
// the shelter, 市区町村名 is filled, cells a spreadsheet would run as formulas are neutralised.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/model/entities.hpp"
#include "core/ops/households.hpp"
#include "core/text/csv.hpp"
#include "sync/hq/hq_node.hpp"
#include "sync/hq/hq_queries.hpp"
#include "tests/support/test_shelter.hpp"

using namespace shelter;
using namespace shelter::core;
using namespace shelter::hq;

namespace {

constexpr int kColCity = 3, kColName = 7, kColPeople = 12, kColHouseholds = 13;

Household People(int n, const char* kana) {
  Household h;
  for (int i = 0; i < n; ++i) {
    Person p;
    p.kana = kana;
    p.dob = "1980-01-0" + std::to_string(i + 1);
    h.members.push_back(p);
  }
  return h;
}

struct ExportHq {
  test::TestShelter t{1};
  std::unique_ptr<HqNode> node;
  ExportHq() {
    std::string dir = t.root() + "/hq";
    auto id = t.admin().EnrollDevice(dir, {}, DeviceRole::kHq, "hq", "lead", "5678");
    REQUIRE_MESSAGE(id.ok(), id.error().ToString());
    auto n = HqNode::Open(dir, "", "lead", "5678", t.options());
    REQUIRE_MESSAGE(n.ok(), n.error().ToString());
    node = std::move(n).value();
  }
  // The shelter's master data as the admin changed it, and the tablet's registrations.
  std::vector<std::string> Row() {
    for (Node* n : {&t.admin(), &t.tablet(0)})
      for (auto& w : test::LogSegments(*n)) REQUIRE(node->IngestSegment(View(w)).ok());
    REQUIRE(node->Flush().ok());
    auto csv = ExportCsv(node->store().db(), 1'700'000'000'000);
    REQUIRE_MESSAGE(csv.ok(), csv.error().ToString());
    auto text = DecodeTextFile(*csv);
    REQUIRE(text.ok());
    auto records = ParseCsv(*text);
    REQUIRE(records.ok());
    for (auto& r : *records)
      if (!r.fields.empty() && r.fields[0] == "E1310100000001") return r.fields;
    FAIL("the shelter has no row");
    return {};
  }
};

}  // namespace

TEST_CASE(
    "HQ export: 避難世帯数 counts households with someone in the shelter, not every registered "
    "one") {
  ExportHq hq;
  Node& tab = hq.t.tablet(0);
  const Id16 shelter = hq.t.shelter_id();
  REQUIRE(RegisterHousehold(tab, People(3, "いち"), shelter, true).ok());  // in the shelter
  REQUIRE(RegisterHousehold(tab, People(1, "に"), shelter, false).ok());   // never arrived
  auto gone = RegisterHousehold(tab, People(2, "さん"), shelter, true);
  REQUIRE(gone.ok());
  for (auto& p : gone->persons) REQUIRE(CheckOut(tab, p).ok());  // all left
  auto car = RegisterHousehold(tab, People(1, "よん"), shelter, false);
  REQUIRE(car.ok());
  REQUIRE(CheckIn(tab, car->persons[0], Place::kCar).ok());  // 車中泊
  auto row = hq.Row();
  REQUIRE(row.size() > kColHouseholds);
  CHECK(row[kColPeople] == "3");
  CHECK(row[kColHouseholds] == "1");  // was 4: every household registered here
}

TEST_CASE("HQ export: 市区町村名 is filled from the shelter's address") {
  CHECK(MunicipalityNameOf("東京都千代田区麹町2-8") == "千代田区");
  CHECK(MunicipalityNameOf("神奈川県鎌倉市由比ガ浜二丁目9-1") == "鎌倉市");
  CHECK(MunicipalityNameOf("東京都町田市森野2-2-22") == "町田市");
  CHECK(MunicipalityNameOf("東京都東村山市本町1-2-3") == "東村山市");
  CHECK(MunicipalityNameOf("三重県四日市市諏訪町1-5") == "四日市市");
  CHECK(MunicipalityNameOf("北海道札幌市中央区北1条西2丁目") == "札幌市中央区");
  CHECK(MunicipalityNameOf("神奈川県三浦郡葉山町堀内2135") == "三浦郡葉山町");
  CHECK(MunicipalityNameOf("") == "");

  ExportHq hq;
  ShelterInfo info = ShelterFromRecord(**hq.t.admin().state().Get(hq.t.shelter_id()));
  REQUIRE(hq.t.admin()
              .Commit(hq.t.admin().municipality_scope(),
                      {{info.id,
                        RecordType::kShelter,
                        {{field::kAddress, cbor::Item("東京都千代田区麹町2-8")}}}})
              .ok());
  auto row = hq.Row();
  REQUIRE(row.size() > kColCity);
  CHECK(row[kColCity] == "千代田区");  // was always empty
}

TEST_CASE("HQ export: a shelter name a spreadsheet would run as a formula is neutralised") {
  ExportHq hq;
  REQUIRE(hq.t.admin()
              .Commit(hq.t.admin().municipality_scope(),
                      {{hq.t.shelter_id(),
                        RecordType::kShelter,
                        {{field::kName, cbor::Item("=HYPERLINK(\"http://x\",\"y\")")}}}})
              .ok());
  auto row = hq.Row();
  REQUIRE(row.size() > kColName);
  CHECK(row[kColName] == "'=HYPERLINK(\"http://x\",\"y\")");
}

TEST_CASE("HQ trend: --shelter takes the 共通ID that `shelters` prints") {
  ExportHq hq;
  REQUIRE(RegisterHousehold(hq.t.tablet(0), People(2, "ご"), hq.t.shelter_id(), true).ok());
  hq.Row();  // ingests
  auto by_id = Trend(hq.node->store().db(), hq.t.shelter_id().Hex());
  REQUIRE_MESSAGE(by_id.ok(), by_id.error().ToString());
  REQUIRE_FALSE(by_id->empty());
  auto by_common_id = Trend(hq.node->store().db(), "E1310100000001");
  REQUIRE_MESSAGE(by_common_id.ok(), by_common_id.error().ToString());
  REQUIRE(by_common_id->size() == by_id->size());  // was empty: only the hex id matched
  CHECK(by_common_id->back().in_shelter == 2);
  auto unknown = Trend(hq.node->store().db(), "E9999999999999");
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().code == ErrorCode::kNotFound);
}
