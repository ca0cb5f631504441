// Tests for core/formats/shelter_import: format detection, the fixtures in tests/data/shelters/
// (one per format, a Shift_JIS file, a BOM file, a file of bad rows), code repair and hostile
// inputs.
#include "core/formats/shelter_import.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace shelter::core {
namespace {

std::string ReadFixture(const std::string& name) {
  std::string path = std::string(SHELTER_SOURCE_DIR) + "/tests/data/shelters/" + name;
  std::ifstream in(path, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "missing fixture " << path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

ShelterImport MustImport(std::string_view bytes) {
  Result<ShelterImport> r = ParseShelterFile(bytes);
  REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().ToString()));
  return std::move(r).value();
}

Error MustReject(std::string_view bytes) {
  Result<ShelterImport> r = ParseShelterFile(bytes);
  REQUIRE_FALSE(r.ok());
  return r.error();
}

bool Contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

std::string MustCode(std::string_view code) {
  Result<std::string> r = NormalizeMunicipalityCode(code);
  REQUIRE_MESSAGE(r.ok(),
                  "code " << std::string(code) << ": " << (r.ok() ? "" : r.error().ToString()));
  return *r;
}

void CheckBadCode(std::string_view code) {
  Result<std::string> r = NormalizeMunicipalityCode(code);
  REQUIRE_MESSAGE(!r.ok(), "accepted " << std::string(code));
  CHECK(r.error().code == ErrorCode::kInvalidArgument);
}

constexpr std::string_view kUnrecognised =
    "unrecognised header: expected GSI or open-data shelter columns";

// [SECTION] Municipality codes

TEST_CASE("ShelterImport: real 6-digit municipality codes pass the JIS X 0402 check digit") {
  // Weighted sum 6,5,4,3,2; check = (11 - sum % 11) % 10. 092011 has sum % 11 == 0 (check 1),
  // 281000 has sum % 11 == 1 (check 0): the two edge cases of the rule.
  for (std::string_view code : {"131016",     // 東京都千代田区
                                "011002",     // 北海道札幌市
                                "092011",     // 栃木県宇都宮市
                                "271004",     // 大阪府大阪市
                                "281000",     // 兵庫県神戸市
                                "141003",     // 神奈川県横浜市
                                "231002",     // 愛知県名古屋市
                                "261009",     // 京都府京都市
                                "041009",     // 宮城県仙台市
                                "401307",     // 福岡県福岡市
                                "130001",     // 東京都
                                "010006"}) {  // 北海道
    CHECK(MustCode(code) == code);
  }
}

TEST_CASE("ShelterImport: municipality codes are repaired") {
  CHECK(MustCode("13101") == "131016");  // check digit appended
  CHECK(MustCode("28100") == "281000");
  CHECK(MustCode("92011") == "092011");         // 6 digits, leading zero lost (宇都宮市)
  CHECK(MustCode("11002") == "011002");         // same; 11/002 is no municipality
  CHECK(MustCode("1100") == "011002");          // 5 digits, leading zero lost (札幌市)
  CHECK(MustCode("1000") == "010006");          // 北海道
  CHECK(MustCode("１３１０１６") == "131016");  // full-width digits
  CHECK(MustCode("\xE3\x80\x80 92011 ") == "092011");
}

TEST_CASE("ShelterImport: invalid municipality codes are rejected") {
  for (std::string_view code : {"131017", "092012", "281001", "", "123", "1234567", "13101X",
                                "13-101", "481001", "00000", "99999", "13050", "92012"}) {
    CheckBadCode(code);
  }
}

// [SECTION] The fixtures, one per format

TEST_CASE("ShelterImport: GSI 指定緊急避難場所, UTF-8 with BOM and CRLF") {
  ShelterImport imp = MustImport(ReadFixture("gsi_emergency_sites_bom.csv"));
  CHECK(imp.format == ShelterFormat::kGsiEmergencySite);
  CHECK(std::string(ShelterFormatName(imp.format)) == "gsi_emergency_site");
  CHECK(imp.errors.empty());
  REQUIRE(imp.shelters.size() == 4);
  CHECK(imp.shelter_lines == std::vector<size_t>{2, 3, 4, 5});
  const ShelterMaster& s = imp.shelters[0];
  CHECK(s.common_id == "E1420400000001");
  CHECK(s.name == "鎌倉市立みなと小学校");
  CHECK(s.address == "神奈川県鎌倉市由比ガ浜二丁目9-1");
  CHECK(s.kind == ShelterKind::kEmergencySite);
  CHECK(s.hazards == (kHazardLandslide | kHazardEarthquake | kHazardTsunami | kHazardLargeFire));
  CHECK(s.also_designated_shelter);
  CHECK_FALSE(s.also_emergency_site);
  CHECK(s.lat == doctest::Approx(35.3118));
  CHECK(s.lon == doctest::Approx(139.5462));
  CHECK_FALSE(s.capacity.has_value());
  CHECK(s.municipality_code.empty());
  CHECK(imp.shelters[1].notes == "広場のみ");
  CHECK(imp.shelters[2].notes == "津波避難ビル（屋上、外階段から）");
  CHECK(imp.shelters[3].hazards ==
        (kHazardFlood | kHazardEarthquake | kHazardLargeFire | kHazardInlandFlood));
}

TEST_CASE("ShelterImport: GSI 指定避難所 with a welfare shelter and a multi-line note") {
  ShelterImport imp = MustImport(ReadFixture("gsi_shelters.csv"));
  CHECK(imp.format == ShelterFormat::kGsiShelter);
  CHECK(imp.errors.empty());
  REQUIRE(imp.shelters.size() == 5);
  // Row 3 spans lines 4-5 and a blank line follows row 4, so the last row is on line 8.
  CHECK(imp.shelter_lines == std::vector<size_t>{2, 3, 4, 6, 8});
  CHECK(imp.shelters[0].kind == ShelterKind::kDesignated);
  CHECK(imp.shelters[0].also_emergency_site);
  CHECK(imp.shelters[0].hazards == 0);
  CHECK(imp.shelters[1].kind == ShelterKind::kWelfare);
  CHECK(imp.shelters[1].target_people == "要配慮者及びその家族");
  CHECK(imp.shelters[2].kind == ShelterKind::kDesignated);
  CHECK(imp.shelters[2].notes ==
        "ペット同行可（屋外ケージ） / 体育館は2階\n駐車場なし, 徒歩で来所");
  CHECK(imp.shelters[4].name == "おおふな学習センター");
}

TEST_CASE("ShelterImport: 自治体標準オープンデータセット (39 columns) in Shift_JIS") {
  ShelterImport imp = MustImport(ReadFixture("opendata_emergency_sites_sjis.csv"));
  CHECK(imp.format == ShelterFormat::kOpenDataEmergencySite);
  CHECK(imp.errors.empty());
  REQUIRE(imp.shelters.size() == 3);
  CHECK(imp.shelter_lines == std::vector<size_t>{2, 3, 4});
  const ShelterMaster& a = imp.shelters[0];
  CHECK(a.common_id == "0001");
  CHECK(a.name == "沼津市立みなと小学校");
  CHECK(a.name_kana == "ヌマヅシリツミナトショウガッコウ");
  CHECK(a.address == "静岡県沼津市港町三丁目5-1");
  CHECK(a.municipality_code == "222038");
  CHECK(a.capacity == 850);
  CHECK(a.hazards == (kHazardLandslide | kHazardEarthquake | kHazardTsunami | kHazardLargeFire));
  CHECK(a.also_designated_shelter);
  CHECK(a.kind == ShelterKind::kEmergencySite);
  const ShelterMaster& b = imp.shelters[1];  // full-width coordinates and capacity
  CHECK(b.lat == doctest::Approx(35.083));
  CHECK(b.lon == doctest::Approx(138.859));
  CHECK(b.capacity == 1200);
  CHECK(b.notes == "屋外のため雨天時は体育館へ");
  const ShelterMaster& c = imp.shelters[2];  // no coordinates; address from its parts
  CHECK_FALSE(c.lat.has_value());
  CHECK_FALSE(c.lon.has_value());
  CHECK(c.address == "静岡県沼津市狩野台12-3 2階ホール");
  CHECK(c.municipality_code == "222038");
  CHECK(c.hazards == (kHazardFlood | kHazardEarthquake | kHazardInlandFlood));
}

TEST_CASE("ShelterImport: legacy 推奨データセット v1 (26 columns)") {
  ShelterImport imp = MustImport(ReadFixture("opendata_legacy_v1.csv"));
  CHECK(imp.format == ShelterFormat::kOpenDataLegacyV1);
  CHECK(imp.errors.empty());
  REQUIRE(imp.shelters.size() == 2);
  CHECK(imp.shelters[0].municipality_code == "392014");  // "39201" repaired
  CHECK(imp.shelters[0].capacity == 1500);
  CHECK(imp.shelters[0].hazards ==
        (kHazardFlood | kHazardStormSurge | kHazardEarthquake | kHazardTsunami));
  CHECK(imp.shelters[0].common_id.empty());
  CHECK(imp.shelters[1].municipality_code == "392014");
  CHECK(imp.shelters[1].capacity == 300);
  CHECK(imp.shelters[1].address == "高知県高知市江ノ口東町10-1 3階会議室");
  CHECK_FALSE(imp.shelters[1].also_designated_shelter);
}

TEST_CASE("ShelterImport: bad rows are reported by line while good rows import") {
  ShelterImport imp = MustImport(ReadFixture("opendata_bad_rows.csv"));
  CHECK(imp.format == ShelterFormat::kOpenDataEmergencySite);  // the 18-column subset header
  CHECK(imp.shelter_lines == std::vector<size_t>{2, 3, 14, 15});
  REQUIRE(imp.errors.size() == 8);
  std::vector<size_t> lines;
  for (const ImportRowError& e : imp.errors) lines.push_back(e.line);
  CHECK(lines == std::vector<size_t>{5, 6, 7, 8, 9, 10, 11, 12});
  CHECK(imp.errors[0].message == "expected 18 columns, found 17");
  CHECK(imp.errors[1].message == "column 名称: missing");
  CHECK(imp.errors[2].message == "column 緯度: not a decimal number");
  CHECK(imp.errors[3].message == "column 想定収容人数: not a head count");
  CHECK(imp.errors[4].message ==
        "column 全国地方公共団体コード: not a valid 全国地方公共団体コード");
  CHECK(imp.errors[5].message == "columns 緯度 and 経度: swapped");
  CHECK(Contains(imp.errors[6].message, "column 緯度: outside Japan"));
  CHECK(Contains(imp.errors[6].message, "column 経度: outside Japan"));
  CHECK(imp.errors[7].message == "column 災害種別_洪水: expected 1 or empty");
  for (const ImportRowError& e : imp.errors) {  // no cell contents in messages
    CHECK_FALSE(Contains(e.message, "北緯"));
    CHECK_FALSE(Contains(e.message, "約300"));
    CHECK_FALSE(Contains(e.message, "小学校"));
  }
  REQUIRE(imp.shelters.size() == 4);
  CHECK(imp.shelters[0].municipality_code == "092011");  // "92011" repaired
  CHECK(imp.shelters[1].name == "みはし公民館");
  CHECK_FALSE(imp.shelters[2].lat.has_value());
  CHECK(imp.shelters[3].capacity == 1000);
  CHECK(imp.shelters[3].hazards == (kHazardLandslide | kHazardEarthquake));
  CHECK(imp.shelters[3].also_designated_shelter);
}

// [SECTION] Header variants

TEST_CASE("ShelterImport: header order, spaces and the older GSI variant are tolerated") {
  // No 都道府県名及び市町村名 or 備考; has 市町村コード; reordered; padded names.
  std::string csv =
      " 緯度 ,経度,施設・場所名,住所,\xE3\x80\x80地震,津波,洪水,崖崩れ、土石流及び地滑り,高潮,"
      "大規模な火事,内水氾濫,火山現象,市町村コード,共通ID\n"
      "35.3,139.5,テスト広場,神奈川県鎌倉市,1,1,,,,,,,14204,E1\n";
  ShelterImport imp = MustImport(csv);
  CHECK(imp.format == ShelterFormat::kGsiEmergencySite);
  REQUIRE(imp.shelters.size() == 1);
  CHECK(imp.shelters[0].hazards == (kHazardEarthquake | kHazardTsunami));
  CHECK(imp.shelters[0].municipality_code == "142042");
  CHECK(imp.shelters[0].lat == doctest::Approx(35.3));
}

TEST_CASE("ShelterImport: 掲載区分 suffixes, full-width parentheses and letters in names") {
  std::string csv =
      "ＩＤ(推),名称(必),所在地_連結表記（必）,建物名等（方書）(任),災害種別_津波(必),"
      "指定避難所との重複（必）,想定収容人数(推)\n"
      "7,テスト避難場所,東京都千代田区千代田1-1,別館,１,○,\"2,000\"\n";
  ShelterImport imp = MustImport(csv);
  CHECK(imp.format == ShelterFormat::kOpenDataEmergencySite);
  REQUIRE(imp.shelters.size() == 1);
  CHECK(imp.shelters[0].common_id == "7");
  CHECK(imp.shelters[0].address == "東京都千代田区千代田1-1 別館");
  CHECK(imp.shelters[0].hazards == kHazardTsunami);
  CHECK(imp.shelters[0].also_designated_shelter);
  CHECK(imp.shelters[0].capacity == 2000);
}

TEST_CASE("ShelterImport: a title line before the header is skipped") {
  std::string csv =
      "鎌倉市 指定避難所一覧（令和6年4月1日現在）\n"
      "NO,共通ID,施設・場所名,住所,指定緊急避難場所との住所同一,受入対象者,緯度,経度,備考\n"
      "1,E2,テスト会館,神奈川県鎌倉市,,,35.3,139.5,\n";
  ShelterImport imp = MustImport(csv);
  CHECK(imp.format == ShelterFormat::kGsiShelter);
  CHECK(imp.shelter_lines == std::vector<size_t>{3});
}

TEST_CASE("ShelterImport: unknown headers are rejected") {
  for (std::string_view csv : {"a,b,c\n1,2,3\n",
                               // GSI columns without any hazard or 住所同一 column
                               "施設・場所名,住所,緯度,経度\nx,y,35,139\n",
                               // another open-data set (公共施設一覧) without hazard columns
                               "ID,名称,所在地_連結表記,緯度,経度\n1,x,y,35,139\n"}) {
    Error e = MustReject(csv);
    CHECK(e.code == ErrorCode::kParse);
    CHECK(e.detail == kUnrecognised);
  }
  CHECK(MustReject("").code == ErrorCode::kParse);
  CHECK(MustReject("\r\n\r\n").code == ErrorCode::kParse);
}

TEST_CASE("ShelterImport: a header without rows imports nothing") {
  ShelterImport imp = MustImport("名称,住所,災害種別_地震\r\n");
  CHECK(imp.format == ShelterFormat::kOpenDataLegacyV1);
  CHECK(imp.shelters.empty());
  CHECK(imp.errors.empty());
}

TEST_CASE("ShelterImport: coordinate checks") {
  std::string header = "名称,住所,災害種別_地震,緯度,経度\n";
  ShelterImport imp = MustImport(header +
                                 "a,x,1,35.5,\n"          // line 2: lon missing
                                 "b,x,1,nan,inf\n"        // line 3
                                 "c,x,1,35.5,139.5e0\n"   // line 4: exponent not accepted
                                 "d,x,1, +35.5 ,139.5\n"  // line 5: fine
                                 "e,x,1,45.9,153.9\n");   // line 6: fine (南鳥島 is 153.98)
  CHECK(imp.shelter_lines == std::vector<size_t>{5, 6});
  REQUIRE(imp.errors.size() == 3);
  CHECK(imp.errors[0].message == "column 経度: missing while the other coordinate is given");
  CHECK(imp.errors[1].message ==
        "column 緯度: not a decimal number; column 経度: not a decimal number");
  CHECK(imp.errors[2].line == 4);
}

TEST_CASE(
    "ShelterImport: regression: a header with 経度 but no 緯度 crashed building the message") {
  // Found by csv_import_fuzz: the message named a column the header does not have (null name).
  ShelterImport imp = MustImport("名称,所在地_連結表記,災害種別_地震,経度\nx,y,1,139.5\n");
  REQUIRE(imp.errors.size() == 1);
  CHECK(imp.errors[0].message == "column 緯度: missing while the other coordinate is given");
}

// [SECTION] Hostile inputs

TEST_CASE("ShelterImport: hostile files fail cleanly") {
  std::string header = "名称,住所,災害種別_地震\n";
  Error unterminated = MustReject(header + "a,b,1\n\"c,d,1\n");
  CHECK(unterminated.code == ErrorCode::kParse);
  CHECK(Contains(unterminated.detail, "line 3"));

  Error wide = MustReject(header + std::string(9999, ',') + "\n");
  CHECK(wide.code == ErrorCode::kParse);
  CHECK(Contains(wide.detail, "line 2"));

  Error nul = MustReject(header + std::string("a,b\0,1\n", 7));
  CHECK(nul.code == ErrorCode::kParse);

  Error neither = MustReject(header + "a,\x81\x20,1\n");  // invalid UTF-8 and invalid CP932
  CHECK(neither.code == ErrorCode::kParse);
  CHECK(neither.detail == "file is neither UTF-8 nor Shift_JIS");

  Error wide_header = MustReject(std::string(10'000, ',') + "\n");
  CHECK(wide_header.code == ErrorCode::kParse);
}

TEST_CASE("ShelterImport: blank-looking rows are skipped, short rows reported") {
  ShelterImport imp = MustImport("名称,住所,災害種別_地震\n,,\n\xE3\x80\x80, ,\nx\n");
  CHECK(imp.shelters.empty());
  REQUIRE(imp.errors.size() == 1);
  CHECK(imp.errors[0].line == 4);
  CHECK(imp.errors[0].message == "expected 3 columns, found 1");
}

TEST_CASE("ShelterImport: a second row with one 共通ID is reported by line, the first is kept") {
  const std::string header =
      "NO,共通ID,都道府県名及び市町村名,施設・場所名,住所,洪水,地震,緯度,経度\n";
  ShelterImport imp = MustImport(
      header +
      "1,E1310100000001,東京都千代田区,最初の学校,東京都千代田区一番町1,,1,35.68,139.75\n"
      "2,E1310100000002,東京都千代田区,別の公園,東京都千代田区二番町2,,1,35.69,139.74\n"
      "3,E1310100000001,東京都千代田区,二つ目の行,東京都千代田区三番町3,,1,35.67,139.73\n");
  REQUIRE(imp.shelters.size() == 2);
  CHECK(imp.shelters[0].name == "最初の学校");
  CHECK(imp.shelter_lines == std::vector<size_t>{2, 3});
  REQUIRE(imp.errors.size() == 1);
  CHECK(imp.errors[0].line == 4);
  CHECK(imp.errors[0].message == "duplicate 共通ID/ID as line 2; kept line 2");
  CHECK_FALSE(Contains(imp.errors[0].message, "二つ目"));  // never the cell contents

  // Without an ID, one name and address twice is one shelter too.
  ShelterImport no_id = MustImport(
      "名称,所在地_連結表記,災害種別_地震\nひろば,東京都千代田区一番町1,1\nひろば,"
      "東京都千代田区一番町1,1\n"
      "ひろば,東京都千代田区二番町2,1\n");
  CHECK(no_id.shelters.size() == 2);
  REQUIRE(no_id.errors.size() == 1);
  CHECK(no_id.errors[0].line == 3);
  CHECK(no_id.errors[0].message == "same name and address as line 2; kept line 2");
}

}  // namespace
}  // namespace shelter::core
