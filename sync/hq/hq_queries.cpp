// Summaries, trends and 安否 lookups over the HQ tables (schema in hq_schema.cpp).
//
// [SECTION] index
//   Row readers   text-to-number helpers, population rows
//   Shelters      ListShelterStatus, Summarize, ResolveShelter, HouseholdsInShelter
//   Trends        Trend
//   Anpi          MaySeePersonalData, RequirePersonalData, ParseAnpiTier, AnpiLookup (安否)
#include "sync/hq/hq_queries.hpp"

#include <sodium.h>

#include <algorithm>
#include <cstdlib>

#include "core/base/crypto.hpp"
#include "core/model/entities.hpp"
#include "core/model/stay_status.hpp"
#include "core/text/text_normalize.hpp"
#include "sync/hq/hq_store.hpp"
#include "sync/hq/hq_store_records.hpp"

namespace shelter::hq {
namespace {

using core::ErrorCode;
using core::MakeError;

// [SECTION] Row readers ---------------------------------------------------------------------------

int64_t I(const std::optional<std::string>& s) {
  return s ? std::strtoll(s->c_str(), nullptr, 10) : 0;
}
std::string T(const std::optional<std::string>& s) { return s.value_or(""); }

void Add(Population& t, const Population& p) {
  t.persons += p.persons;
  t.households += p.households;
  t.in_shelter += p.in_shelter;
  t.out += p.out;
  t.at_home += p.at_home;
  t.in_car += p.in_car;
  t.elsewhere += p.elsewhere;
  t.never_arrived += p.never_arrived;
  t.male += p.male;
  t.female += p.female;
  t.sex_other += p.sex_other;
  t.infants += p.infants;
  t.in_shelter_with_needs += p.in_shelter_with_needs;
}

// 13 population columns from `row` starting at `at`, in shelter_status / reports order.
Population ReadPop(const SqlRow& row, size_t at, bool from_report) {
  Population p;
  if (!from_report) {
    p.persons = I(row[at]);
    p.households = I(row[at + 1]);
    at += 2;
  }
  p.in_shelter = I(row[at]);
  p.out = I(row[at + 1]);
  p.at_home = I(row[at + 2]);
  p.in_car = I(row[at + 3]);
  p.elsewhere = I(row[at + 4]);
  p.never_arrived = I(row[at + 5]);
  if (from_report) {
    p.households = I(row[at + 6]);
    p.persons = p.in_shelter + p.out + p.at_home + p.in_car + p.elsewhere + p.never_arrived;
    at += 1;
  }
  p.male = I(row[at + 6]);
  p.female = I(row[at + 7]);
  p.sex_other = I(row[at + 8]);
  p.infants = I(row[at + 9]);
  p.in_shelter_with_needs = I(row[at + 10]);
  return p;
}

constexpr const char* kStatusColumns =
    "t.persons, t.households, t.in_shelter, t.out_now, t.at_home, t.in_car, t.elsewhere, "
    "t.never_arrived, t.male, t.female, t.sex_other, t.infants, t.with_needs, t.data_ms";
constexpr const char* kReportColumns =
    "r.as_of_s, r.open, r.in_shelter, r.out_now, r.at_home, r.in_car, r.elsewhere, "
    "r.never_arrived, r.households, r.male, r.female, r.sex_other, r.infants, r.with_needs";

}  // namespace

// [SECTION] Shelters ------------------------------------------------------------------------------

Result<std::vector<ShelterRow>> ListShelterStatus(SqlConn& db) {
  std::string sql = std::string(
                        "SELECT s.id, s.common_id, s.muni, s.name, s.kana, s.address, "
                        "s.lat, s.lon, s.kind, s.status, s.capacity, ") +
                    kStatusColumns + ", " + kReportColumns +
                    " FROM shelters s LEFT JOIN shelter_status t ON t.shelter = s.id"
                    " LEFT JOIN reports r ON r.shelter = s.id"
                    " UNION ALL SELECT t.shelter, '', '', '', '', '', '', '', '', 'unknown', 0, " +
                    kStatusColumns + ", " + kReportColumns +
                    " FROM shelter_status t LEFT JOIN reports r ON r.shelter = t.shelter"
                    " WHERE t.persons > 0 AND NOT EXISTS (SELECT 1 FROM shelters x WHERE"
                    " x.id = t.shelter)";
  SHELTER_ASSIGN_OR_RETURN(auto rows, db.Query(sql));
  std::vector<ShelterRow> out;
  for (auto& r : rows) {
    ShelterRow s;
    s.id = T(r[0]);
    s.common_id = T(r[1]);
    s.municipality_code = T(r[2]);
    s.name = T(r[3]);
    s.kana = T(r[4]);
    s.address = T(r[5]);
    s.lat = T(r[6]);
    s.lon = T(r[7]);
    s.kind = T(r[8]);
    s.status = T(r[9]);
    s.capacity = I(r[10]);
    int64_t data_ms = I(r[24]);
    bool synced = r[11].has_value();
    bool reported = r[25].has_value();
    if (reported && (!synced || I(r[25]) * 1000 > data_ms)) {
      s.pop = ReadPop(r, 27, true);
      s.source = "report";
      s.as_of_ms = I(r[25]) * 1000;
      s.open = I(r[26]) != 0;
    } else if (synced) {
      s.pop = ReadPop(r, 11, false);
      s.source = "sync";
      s.as_of_ms = data_ms;
      s.open = s.status == "open" || s.pop.in_shelter > 0;
    }
    if (s.capacity > 0) s.used = double(s.pop.in_shelter) / double(s.capacity);
    s.over_capacity = s.capacity > 0 && s.pop.in_shelter > s.capacity;
    out.push_back(std::move(s));
  }
  std::sort(out.begin(), out.end(), [](auto& a, auto& b) {
    return std::tie(a.common_id, a.name, a.id) < std::tie(b.common_id, b.name, b.id);
  });
  return out;
}

Result<CitySummary> Summarize(SqlConn& db) {
  SHELTER_ASSIGN_OR_RETURN(auto shelters, ListShelterStatus(db));
  CitySummary c;
  for (auto& s : shelters) {
    Add(c.total, s.pop);
    if (s.status != "unknown") ++c.shelters;
    c.shelters_open += s.open;
    c.shelters_over_capacity += s.over_capacity;
    c.shelters_from_reports += s.source == "report";
    c.capacity += s.capacity;
  }
  SHELTER_ASSIGN_OR_RETURN(
      auto cells,
      db.Query("SELECT sex, age_band, n FROM city_counts WHERE whereabouts = 'in_shelter'"));
  for (auto& r : cells) {
    std::string sex = T(r[0]);
    size_t s = sex == "male" ? 0 : sex == "female" ? 1 : 2;
    size_t b = static_cast<size_t>(I(r[1]));
    if (b < core::kAgeBands) c.in_shelter_by_sex_band[s][b] += I(r[2]);
  }
  SHELTER_ASSIGN_OR_RETURN(
      auto needs, db.Query("SELECT whereabouts, need, n FROM city_needs WHERE "
                           "whereabouts IN ('in_shelter', 'at_home', 'in_car', 'elsewhere')"));
  for (auto& r : needs) {
    int64_t n = I(r[2]);
    if (n == 0) continue;
    (T(r[0]) == "in_shelter" ? c.in_shelter_needs : c.outside_needs)[T(r[1])] += n;
  }
  return c;
}

Result<std::string> ResolveShelter(SqlConn& db, const std::string& id_or_common_id) {
  SHELTER_ASSIGN_OR_RETURN(
      auto rows, db.Query("SELECT id FROM shelters WHERE id = $1 OR common_id = $1 ORDER BY id",
                          {id_or_common_id}));
  if (!rows.empty()) return T(rows[0][0]);
  // A shelter HQ has data for but no master data (its scope synced before the shelter list).
  SHELTER_ASSIGN_OR_RETURN(
      auto known,
      db.Query("SELECT shelter FROM shelter_status WHERE shelter = $1", {id_or_common_id}));
  if (!known.empty()) return id_or_common_id;
  return MakeError(ErrorCode::kNotFound, "no shelter with that id or 共通ID (see `shelters`)");
}

Result<std::map<std::string, int64_t>> HouseholdsInShelter(SqlConn& db) {
  // A household counts once in its shelter when any live member is in it (arrived at the
  // shelter or a welfare shelter): 避難世帯数, never more than the people there.
  const std::string live = std::to_string(kFlagPresent),
                    gone = std::to_string(kFlagDeleted | kFlagMerged);
  // event and place are TEXT columns holding numbers: compare as text (PostgreSQL has no
  // text = integer operator).
  auto text = [](int v) { return "'" + std::to_string(v) + "'"; };
  // In the shelter by the whereabouts rule (core/model/stay_status.hpp): every (event, place).
  std::string in;
  for (int e = 0; e < core::kStayEventCount; ++e) {
    std::string places;
    for (int pl = 0; pl < core::kPlaceCount; ++pl)
      if (core::WhereaboutsOf(core::StayEvent(e), core::Place(pl)) == core::Whereabouts::kInShelter)
        places += (places.empty() ? "" : ", ") + text(pl);
    if (!places.empty())
      in += std::string(in.empty() ? "" : " OR ") + "(p.event = " + text(e) + " AND p.place IN (" +
            places + "))";
  }
  SHELTER_ASSIGN_OR_RETURN(
      auto rows, db.Query("SELECT h.shelter, COUNT(DISTINCT h.id) FROM persons p JOIN households h"
                          " ON h.id = p.household WHERE h.deleted = 0 AND (p.flags & " +
                          live + ") <> 0 AND (p.flags & " + gone + ") = 0 AND (" + in +
                          ") GROUP BY h.shelter"));
  std::map<std::string, int64_t> out;
  for (auto& r : rows) out[T(r[0])] = I(r[1]);
  return out;
}

// [SECTION] Trends --------------------------------------------------------------------------------

Result<std::vector<TrendPoint>> Trend(SqlConn& db, const std::string& shelter) {
  std::string sql =
      "SELECT bucket_ms, shelter, persons, households, in_shelter, out_now, "
      "at_home, in_car, elsewhere FROM trend";
  std::vector<SqlValue> params;
  if (!shelter.empty()) {
    SHELTER_ASSIGN_OR_RETURN(std::string id, ResolveShelter(db, shelter));
    sql += " WHERE shelter = $1";
    params.push_back(id);
  }
  sql += " ORDER BY bucket_ms";
  SHELTER_ASSIGN_OR_RETURN(auto rows, db.Query(sql, params));
  std::map<std::string, TrendPoint> last;  // per shelter, carried forward
  std::vector<TrendPoint> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    auto& r = rows[i];
    TrendPoint p{I(r[0]), I(r[2]), I(r[3]), I(r[4]), I(r[5]), I(r[6]), I(r[7]), I(r[8])};
    last[T(r[1])] = p;
    if (i + 1 < rows.size() && I(rows[i + 1][0]) == p.bucket_ms) continue;
    TrendPoint sum{p.bucket_ms};
    for (auto& [id, v] : last) {
      sum.persons += v.persons;
      sum.households += v.households;
      sum.in_shelter += v.in_shelter;
      sum.out += v.out;
      sum.at_home += v.at_home;
      sum.in_car += v.in_car;
      sum.elsewhere += v.elsewhere;
    }
    out.push_back(sum);
  }
  return out;
}

// [SECTION] Anpi ----------------------------------------------------------------------------------

bool MaySeePersonalData(core::StaffRole role) {
  return role == core::StaffRole::kLead || role == core::StaffRole::kHq ||
         role == core::StaffRole::kAdmin;
}

Status RequirePersonalData(const Principal& who) {
  if (who.handle.empty())
    return MakeError(ErrorCode::kInvalidArgument, "this query needs the account that asks");
  if (!MaySeePersonalData(who.role))
    return MakeError(ErrorCode::kPermissionDenied,
                     std::string("the role '") + core::StaffRoleName(who.role) +
                         "' sees counts only; personal data needs a lead, hq or admin account");
  return core::Ok();
}

Result<AnpiTier> ParseAnpiTier(std::string_view s) {
  if (s == "family") return AnpiTier::kFamily;
  if (s == "acquaintance") return AnpiTier::kAcquaintance;
  if (s == "public") return AnpiTier::kPublic;
  return MakeError(ErrorCode::kInvalidArgument, "asker must be family, acquaintance or public");
}

Result<std::vector<AnpiAnswer>> AnpiLookup(SqlConn& db, std::string_view query, AnpiTier tier,
                                           const Principal& requester, int64_t now_ms) {
  if (requester.handle.empty())
    return MakeError(ErrorCode::kInvalidArgument, "安否 lookup needs the requester (who asks)");
  SHELTER_TRY(RequirePersonalData(requester));
  std::string key = core::FoldForSearch(query);
  if (key.empty()) return MakeError(ErrorCode::kInvalidArgument, "安否 lookup needs a name");
  // The audit keeps a keyed hash of the query, never the name: the key stays in this database.
  SHELTER_ASSIGN_OR_RETURN(auto k, db.Query("SELECT value FROM meta WHERE key = 'anpi_key'"));
  std::string audit_key;
  if (k.empty()) {
    audit_key = core::ToHex(core::View(core::crypto::RandomBytes(32)));
    SHELTER_TRY(db.Upsert("meta", {"key", "value"}, 1, {{std::string("anpi_key"), audit_key}}));
  } else {
    audit_key = T(k[0][0]);
  }
  uint8_t mac[32];
  crypto_generichash(mac, sizeof mac, reinterpret_cast<const uint8_t*>(key.data()), key.size(),
                     reinterpret_cast<const uint8_t*>(audit_key.data()), audit_key.size());

  SHELTER_ASSIGN_OR_RETURN(
      auto rows, db.Query("SELECT p.name, p.kana, p.dob, p.sex, p.needs, p.flags, p.event, "
                          "p.place, s.name FROM persons p LEFT JOIN households h ON "
                          "h.id = p.household LEFT JOIN shelters s ON s.id = h.shelter "
                          "WHERE p.name_key = $1 OR p.kana_key = $1",
                          {key}));
  const int64_t consent_bit = tier == AnpiTier::kFamily         ? 8
                              : tier == AnpiTier::kAcquaintance ? 16
                                                                : 32;
  auto& codes = core::NeedCodes();
  int64_t ill_bit = 0;
  for (size_t i = 0; i < codes.size(); ++i)
    if (codes[i] == "ILL") ill_bit = int64_t(1) << i;
  std::vector<AnpiAnswer> out;
  for (auto& r : rows) {
    int64_t flags = I(r[5]);
    if (!(flags & 1) || (flags & (2 | 4)) || !(flags & consent_bit)) continue;
    AnpiAnswer a;
    a.name = T(r[0]);
    a.kana = T(r[1]);
    a.condition = tier != AnpiTier::kPublic && (I(r[4]) & ill_bit) ? "injured_or_ill" : "safe";
    if (tier == AnpiTier::kFamily) {
      a.dob = T(r[2]);
      a.sex = T(r[3]);
      a.shelter_name = T(r[8]);
      int64_t ev = I(r[6]);
      a.whereabouts = ev == 0xFF ? std::string("registered")
                                 : std::string(core::StayEventName(core::StayEvent(ev))) + ":" +
                                       core::PlaceName(core::Place(I(r[7])));
    }
    out.push_back(std::move(a));
  }
  std::string id = core::ToHex(core::View(core::crypto::RandomBytes(16)));
  const char* tier_name = tier == AnpiTier::kFamily         ? "family"
                          : tier == AnpiTier::kAcquaintance ? "acquaintance"
                                                            : "public";
  SHELTER_TRY(db.Upsert("anpi_audit", {"id", "at_ms", "requester", "tier", "query_hash", "results"},
                        1,
                        {{id, now_ms, requester.handle, std::string(tier_name),
                          core::ToHex(core::ByteView(mac, sizeof mac)), int64_t(out.size())}}));
  return out;
}

}  // namespace shelter::hq
