// The HQ query API (what `shelter-hq` prints and the HQ dashboard calls): city and shelter
// summaries, trends, 安否 lookups (consent-tiered, audited), signed status reports (JSR1) and
// open-data export. Reads the database only, so it answers without loading the store; a shelter
// whose JSR1 report is newer than its synced data is shown from the report. One thread at a time.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/device/device_cert.hpp"
#include "core/formats/status_report.hpp"
#include "sync/hq/sql_conn.hpp"

namespace shelter::hq {

struct Population {
  int64_t persons = 0, households = 0;
  int64_t in_shelter = 0, out = 0, at_home = 0, in_car = 0, elsewhere = 0, never_arrived = 0;
  // Of the people in the shelter:
  int64_t male = 0, female = 0, sex_other = 0, infants = 0;
  // With a 要配慮者 need (core::ShelterCounts counts the same). From a JSR1 report, a lower bound:
  // the largest count of one need (the report has no total).
  int64_t in_shelter_with_needs = 0;
};

struct ShelterRow {
  std::string id, common_id, municipality_code, name, kana, address, lat, lon, kind, status;
  int64_t capacity = 0;
  Population pop;
  std::string source;    // "sync", "report" or "" (no data yet)
  int64_t as_of_ms = 0;  // when the shown numbers were true
  bool open = false;
  double used = 0;  // in_shelter / capacity (0 when capacity unknown)
  bool over_capacity = false;
};

struct CitySummary {
  Population total;
  int64_t shelters = 0, shelters_open = 0, shelters_over_capacity = 0, shelters_from_reports = 0;
  int64_t capacity = 0;
  // People in shelters by sex (male, female, other) and age band; 要配慮者 by code. From synced
  // data only (reports add their totals above but are not broken down further).
  std::array<std::array<int64_t, core::kAgeBands>, 3> in_shelter_by_sex_band{};
  std::map<std::string, int64_t> in_shelter_needs;
  std::map<std::string, int64_t> outside_needs;  // at home, in a car, elsewhere
};

struct TrendPoint {
  int64_t bucket_ms = 0;
  int64_t persons = 0, households = 0, in_shelter = 0, out = 0, at_home = 0, in_car = 0,
          elsewhere = 0;
};

Result<std::vector<ShelterRow>> ListShelterStatus(SqlConn& db);
Result<CitySummary> Summarize(SqlConn& db);
// Every 10-minute point where anything changed; the city total when `shelter` is empty (each
// shelter's last value carried forward). `shelter` is our hex id or the 共通ID `shelters` prints;
// kNotFound when it names no shelter.
Result<std::vector<TrendPoint>> Trend(SqlConn& db, const std::string& shelter = "");
// The hex id of the shelter with this hex id or 共通ID. kNotFound when there is none.
Result<std::string> ResolveShelter(SqlConn& db, const std::string& id_or_common_id);
// 避難世帯数 from synced data: per shelter id, households with at least one live member in the
// shelter (arrived there or at a welfare shelter).
Result<std::map<std::string, int64_t>> HouseholdsInShelter(SqlConn& db);

// ---- who asks
// The logged-in account a query answers to (core::Node::session()).
struct Principal {
  std::string handle;
  core::StaffRole role = core::StaffRole::kStaff;
};
// Roles that may see personal data (names, dates of birth, whereabouts): lead, hq and admin.
// Every other account sees counts only.
bool MaySeePersonalData(core::StaffRole role);
// kPermissionDenied (naming the role) unless `who` may see personal data; kInvalidArgument for
// an account without a handle. Every query below that returns personal data calls it first.
Status RequirePersonalData(const Principal& who);

// ---- 安否 (safety confirmation)
enum class AnpiTier { kFamily, kAcquaintance, kPublic };
Result<AnpiTier> ParseAnpiTier(std::string_view s);

struct AnpiAnswer {
  std::string name, kana;
  std::string condition;  // "safe" (registered), "injured_or_ill" (family and acquaintances only)
  // Family only:
  std::string dob, sex, shelter_name, whereabouts;
  // Public tier (person consented): the shelter name too, as on a shelter's posted list.
};
// Finds people whose full name or kana equals `query` (width, kana type and spacing folded) and
// who consented to answers at `tier`; writes an audit row (requester, tier, keyed hash of the
// query, result count) before answering. kPermissionDenied (nothing read, nothing audited)
// unless the requester may see personal data (RequirePersonalData); kInvalidArgument for an
// empty query or requester.
Result<std::vector<AnpiAnswer>> AnpiLookup(SqlConn& db, std::string_view query, AnpiTier tier,
                                           const Principal& requester, int64_t now_ms);

// ---- JSR1 status reports
enum class ReportOutcome { kAccepted, kDuplicate, kOlder, kReplaced };
const char* ReportOutcomeName(ReportOutcome o);
struct ReportResult {
  ReportOutcome outcome;
  core::Id16 shelter;
  int64_t as_of_s = 0;
};
// Parses, verifies against the known device certificates and stores a JSR1 text. The same report
// twice counts once, an older one than stored is kept out, a newer one replaces it. kCrypto for a
// forged or unknown signer, kPermissionDenied for a kiosk or another shelter's device,
// kInvalidArgument for a report dated more than kMaxReportAheadS after `now_ms`, kParse for
// malformed text or counts that contradict each other (core::ParseStatusReport).
inline constexpr int64_t kMaxReportAheadS = 10 * 60;
Result<ReportResult> IngestReport(SqlConn& db, std::string_view text,
                                  const std::map<core::Id16, core::DeviceCert>& devices,
                                  int64_t now_ms);
// JSR1 texts found in an image file (PNG, JPEG, PGM/PPM), decoded within core::ImageLimits
// (kInvalidArgument for a larger image, before its pixels are decoded). kParse when none.
Result<std::vector<std::string>> ReadReportImage(const std::string& path);

// ---- open data
// GIF/EEI-style columns (be:避難所 subset), UTF-8 with BOM, CRLF, then a blank line and the
// 都道府県別集計 table.
// 避難世帯数 counts households with someone in the shelter; 市区町村名 is read from the address
// (MunicipalityNameOf). Every cell goes through core::CsvLine (formula cells neutralised).
Result<std::string> ExportCsv(SqlConn& db, int64_t now_ms);
// The 市区町村名 at the start of a Japanese address after its prefecture: "神奈川県鎌倉市由比ガ浜"
// -> "鎌倉市", "東京都千代田区麹町" -> "千代田区", "北海道札幌市中央区北1条" -> "札幌市中央区",
// "神奈川県三浦郡葉山町堀内" -> "三浦郡葉山町". Empty when the address does not start so.
std::string MunicipalityNameOf(std::string_view address);
Result<std::string> ExportJson(SqlConn& db, int64_t now_ms);

}  // namespace shelter::hq
