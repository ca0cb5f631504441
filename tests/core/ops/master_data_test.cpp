// Shelter master data and devices on a logged-in node (core/ops/master_data): imports never lose
// what a file does not carry, capacity and open/closed are set by hand, devices are found by id
// prefix.
#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <string>

#include "core/ops/households.hpp"
#include "core/ops/master_data.hpp"
#include "tests/support/test_shelter.hpp"

using namespace shelter::core;
using shelter::test::TestShelter;

namespace {

// GSI 指定避難所: no 想定収容人数 column.
const std::string kGsiShelters =
    "NO,共通ID,都道府県名及び市町村名,施設・場所名,住所,指定緊急避難場所との住所同一,"
    "その他市町村長が必要と認める事項,受入対象者,緯度,経度,備考\n"
    "1,E1310100000001,東京都千代田区,千代田区立麹町小学校,東京都千代田区麹町二丁目8,1,,,35.6847,"
    "139.7389,\n";

// 自治体標準オープンデータセット 指定緊急避難場所一覧 with the same ID and a capacity.
const std::string kOpenData =
    "ID,名称,所在地_連結表記,緯度,経度,災害種別_地震,想定収容人数\n"
    "E1310100000001,千代田区立麹町小学校,東京都千代田区麹町二丁目8,35.6847,139.7389,1,450\n";

ShelterInfo Get(Node& n, std::string_view key) {
  auto s = FindShelter(n, key);
  REQUIRE_MESSAGE(s.ok(), s.error().ToString());
  return *s;
}

}  // namespace

TEST_CASE("Shelter import: an open-data import of an existing GSI shelter keeps its kind") {
  TestShelter t(0);
  Node& admin = t.admin();
  REQUIRE(ImportShelters(admin, kGsiShelters).ok());
  CHECK(Get(admin, "E1310100000001").kind == "designated");
  auto r = ImportShelters(admin, kOpenData);
  REQUIRE_MESSAGE(r.ok(), r.error().ToString());
  CHECK(r->format == "opendata_emergency_site");
  ShelterInfo s = Get(admin, "E1310100000001");
  CHECK(s.kind == "designated");  // was emergency_site: the 指定避難所 became a mere site
  CHECK(s.capacity == 450);
}

TEST_CASE("Shelter import: a GSI re-import keeps the capacity it does not carry") {
  TestShelter t(0);
  Node& admin = t.admin();
  REQUIRE(ImportShelters(admin, kGsiShelters).ok());
  ShelterInfo s = Get(admin, "E1310100000001");
  REQUIRE(SetShelterCapacity(admin, s.id, 320).ok());
  REQUIRE(ImportShelters(admin, kGsiShelters).ok());
  CHECK(Get(admin, "E1310100000001").capacity == 320);  // was 0: GSI files have no capacity
}

TEST_CASE("Shelter import: a duplicate 共通ID in one file keeps the first row") {
  TestShelter t(0);
  std::string two = kGsiShelters +
                    "2,E1310100000001,東京都千代田区,別の名前,東京都千代田区九段南1-2-1,,,,35.69,"
                    "139.75,\n";
  auto r = ImportShelters(t.admin(), two);
  REQUIRE(r.ok());
  CHECK(r->imported == 1);
  REQUIRE(r->errors.size() == 1);
  CHECK(r->errors[0].line == 3);
  CHECK(Get(t.admin(), "E1310100000001").name == "千代田区立麹町小学校");  // was the second row
}

TEST_CASE(
    "Shelter capacity and open/closed are set by a lead or admin, and a full shelter is open") {
  TestShelter t(1);
  Node& admin = t.admin();
  const Id16 id = t.shelter_id();
  CHECK(SetShelterCapacity(admin, id, 120).ok());
  CHECK(Get(admin, id.Hex()).capacity == 120);
  CHECK(SetShelterCapacity(admin, id, -1).error().code == ErrorCode::kInvalidArgument);
  CHECK(SetShelterCapacity(admin, Id16::Random(), 10).error().code == ErrorCode::kNotFound);
  CHECK(Get(admin, id.Hex()).status == "closed");
  REQUIRE(SetShelterOpen(admin, id, true).ok());
  CHECK(Get(admin, id.Hex()).status == "open");
  REQUIRE(SetShelterOpen(admin, id, false).ok());
  ShelterInfo closed = Get(admin, id.Hex());
  CHECK(closed.status == "closed");
  CHECK_FALSE(ShelterIsOpen(closed, 0));
  CHECK(ShelterIsOpen(closed, 35));  // people in it: it is open, whatever was recorded
  REQUIRE(admin.AddStaff("s1", StaffRole::kStaff, "1111").ok());
  admin.Logout();
  REQUIRE(admin.Login("s1", "1111").ok());
  CHECK(SetShelterOpen(admin, id, true).error().code == ErrorCode::kPermissionDenied);
}

TEST_CASE(
    "Device revoke: a unique id prefix finds the device, an ambiguous one says how many match") {
  TestShelter t(16, nullptr, false);  // 17 devices with the admin: two share a first hex digit
  Node& admin = t.admin();
  std::map<char, int> by_first;
  for (auto& [id, cert] : admin.known_devices()) ++by_first[id.Hex()[0]];
  REQUIRE(admin.known_devices().size() == 17);
  auto shared =
      std::find_if(by_first.begin(), by_first.end(), [](auto& e) { return e.second > 1; });
  REQUIRE(shared != by_first.end());
  auto ambiguous = FindDeviceByPrefix(admin, std::string(1, shared->first));
  REQUIRE_FALSE(ambiguous.ok());
  CHECK(ambiguous.error().code == ErrorCode::kInvalidArgument);
  CHECK(ambiguous.error().detail.find(std::to_string(shared->second) + " devices match") !=
        std::string::npos);

  const Id16 some = admin.known_devices().rbegin()->first;
  std::string prefix = some.Hex();
  while (prefix.size() > 1) {  // the shortest prefix that names only this device
    std::string shorter = prefix.substr(0, prefix.size() - 1);
    size_t n = 0;
    for (auto& [id, cert] : admin.known_devices()) n += id.Hex().starts_with(shorter);
    if (n > 1) break;
    prefix = shorter;
  }
  auto found = FindDeviceByPrefix(admin, prefix);
  REQUIRE_MESSAGE(found.ok(), found.error().ToString());
  CHECK(*found == some);
  std::string upper = prefix;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  CHECK(FindDeviceByPrefix(admin, upper).ok());
  CHECK(FindDeviceByPrefix(admin, Id16::Random().Hex()).error().code == ErrorCode::kNotFound);
  CHECK(FindDeviceByPrefix(admin, "zz").error().code == ErrorCode::kInvalidArgument);
  CHECK(FindDeviceByPrefix(admin, "").error().code == ErrorCode::kInvalidArgument);
}

TEST_CASE("Checkout: checking out someone already out is refused and says so") {
  TestShelter t(1);
  Node& tab = t.tablet(0);
  Household h;
  Person p;
  p.kana = "やまだ";
  h.members = {p};
  auto reg = RegisterHousehold(tab, h, t.shelter_id(), true);
  REQUIRE(reg.ok());
  const Id16 person = reg->persons[0];
  REQUIRE(CheckOut(tab, person).ok());
  auto again = CheckOut(tab, person);  // was a second "leave", silently
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().code == ErrorCode::kConflict);
  CHECK(again.error().detail.find("already checked out") != std::string::npos);
  REQUIRE(CheckIn(tab, person).ok());
  CHECK(CheckOut(tab, person).ok());  // back in, then out again: fine
}
