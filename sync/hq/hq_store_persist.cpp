// HqStore's persistence: loading the tables into memory at open, and staging the rows changed
// since the last group for the writer thread (hq_batch.hpp).
#include <algorithm>
#include <cstring>

#include "core/model/entities.hpp"
#include "sync/hq/hq_schema.hpp"
#include "sync/hq/hq_store.hpp"
#include "sync/hq/hq_store_records.hpp"

namespace shelter::hq {

using core::RecordState;
using core::RecordType;

namespace {

constexpr int64_t kTrendBucketMs = 10 * 60'000;

Id16 IdOf(const std::optional<std::string>& hex) {
  if (!hex) return {};
  auto b = core::FromHex(*hex);
  if (!b.ok()) return {};
  auto id = Id16::FromBytes(core::View(*b));
  return id.ok() ? *id : Id16{};
}
int64_t IntOf(const std::optional<std::string>& s) {
  return s ? std::strtoll(s->c_str(), nullptr, 10) : 0;
}
std::string TextOf(const std::optional<std::string>& s) { return s.value_or(""); }

}  // namespace

Result<std::unique_ptr<HqStore>> HqStore::Open(std::unique_ptr<SqlConn> db,
                                               core::HlcClock::NowMs now_ms) {
  if (auto m = Migrate(*db); !m.ok()) return m.error();
  std::unique_ptr<HqStore> s(new HqStore(std::move(db), std::move(now_ms)));
  SHELTER_TRY(s->Load());
  return s;
}

Status HqStore::Load() {
  SHELTER_ASSIGN_OR_RETURN(auto tips, db_->Query("SELECT device, number, seq, hash FROM tips"));
  for (auto& r : tips) {
    core::AppliedTip t{static_cast<uint64_t>(IntOf(r[1])), static_cast<uint64_t>(IntOf(r[2])), {}};
    auto h = core::FromHex(TextOf(r[3]));
    if (h.ok() && h->size() == t.hash.size()) std::memcpy(t.hash.data(), h->data(), t.hash.size());
    tips_[IdOf(r[0])] = t;
  }
  SHELTER_ASSIGN_OR_RETURN(auto shelters, db_->Query("SELECT id, regs FROM shelters"));
  for (auto& r : shelters) {
    auto regs = core::FromHex(TextOf(r[1]));
    if (!regs.ok())
      return core::MakeError(core::ErrorCode::kCorrupt, "HQ shelter row is malformed");
    SHELTER_ASSIGN_OR_RETURN(auto rec, core::DecodeRegisters(IdOf(r[0]), RecordType::kShelter,
                                                             Id16{}, core::View(*regs)));
    impl_->shelters[rec.id] = std::move(rec);
  }
  SHELTER_ASSIGN_OR_RETURN(auto scopes, db_->Query("SELECT shelter, data_ms FROM shelter_status"));
  for (auto& r : scopes) impl_->scope_ms[IdOf(r[0])] = IntOf(r[1]);
  SHELTER_ASSIGN_OR_RETURN(auto hhs,
                           db_->Query("SELECT rid, id, shelter, deleted, st FROM households"));
  for (auto& r : hhs) {
    HouseholdRec& hh = impl_->households[IdOf(r[1])];
    hh.rid = IntOf(r[0]);
    impl_->last_household_rid = std::max(impl_->last_household_rid, hh.rid);
    hh.shelter = IdOf(r[2]);
    hh.deleted = IntOf(r[3]) != 0;
    hh.st.Decode(TextOf(r[4]));
  }
  SHELTER_ASSIGN_OR_RETURN(
      auto persons,
      db_->Query("SELECT id, household, CASE WHEN name = '' THEN 0 ELSE 1 END, "
                 "CASE WHEN kana = '' THEN 0 ELSE 1 END, dob, sex, needs, flags, stay, "
                 "event, place, st, rid, merged_into FROM persons"));
  impl_->persons.reserve(persons.size());
  for (auto& r : persons) {
    Id16 id = IdOf(r[0]);
    PersonRec& p = impl_->persons[id];
    p.rid = IntOf(r[12]);
    impl_->last_person_rid = std::max(impl_->last_person_rid, p.rid);
    p.household = IdOf(r[1]);
    p.has_name = IntOf(r[2]) != 0;
    p.has_kana = IntOf(r[3]) != 0;
    p.dob = TextOf(r[4]);
    p.sex = TextOf(r[5]);
    p.needs = static_cast<uint32_t>(IntOf(r[6]));
    p.flags = static_cast<uint8_t>(IntOf(r[7]));
    p.stay = IdOf(r[8]);
    p.event = static_cast<uint8_t>(IntOf(r[9]));
    p.place = static_cast<uint8_t>(IntOf(r[10]));
    std::string st = TextOf(r[11]);
    size_t bar = st.find('|');
    if (bar == std::string::npos || !p.st.Decode(st.substr(0, bar)) ||
        !GetStamp(st.substr(bar + 1), p.stay_key))
      return core::MakeError(core::ErrorCode::kCorrupt, "HQ person row is malformed");
    impl_->households[p.household].members.push_back(id);
    p.merged_into = IdOf(r[13]);
    if (!p.merged_into.IsZero()) impl_->merged_from[p.merged_into].push_back(id);
    if (p.flags & kFlagMerged) p.flags |= kFlagMergeLink;  // rows from before schema 4 lack it
  }
  persons.clear();
  SHELTER_ASSIGN_OR_RETURN(auto stays,
                           db_->Query("SELECT id, person, event, place, st, rid FROM stays"));
  impl_->stays.reserve(stays.size());
  for (auto& r : stays) {
    StayRec& s = impl_->stays[IdOf(r[0])];
    s.rid = IntOf(r[5]);
    impl_->last_stay_rid = std::max(impl_->last_stay_rid, s.rid);
    s.person = IdOf(r[1]);
    s.event = static_cast<uint8_t>(IntOf(r[2]));
    s.place = static_cast<uint8_t>(IntOf(r[3]));
    s.st.Decode(TextOf(r[4]));
  }
  Rebase();
  // The stored counts hold unless they were banded on another day.
  SHELTER_ASSIGN_OR_RETURN(auto day, QueryInt(*db_, "SELECT value FROM meta WHERE key='band_day'"));
  if (day && *day == band_day_) {
    impl_->dirty_aggs.clear();
    agg_memo_ = nullptr;
  }
  return core::Ok();
}

WriteBatch HqStore::Stage() {
  int64_t now = now_ms_();
  if (now / 86'400'000 != band_day_) Rebase();  // a new day: some people changed age band
  Impl& m = *impl_;
  WriteBatch batch;
  auto table = [&](const char* name, std::vector<std::string> cols, size_t keys,
                   std::vector<std::vector<SqlValue>> rows) {
    batch.tables.push_back({name, std::move(cols), keys, std::move(rows)});
  };
  batch.persons.reserve(m.dirty_persons.size());
  for (auto* e : m.dirty_persons) {
    auto& [id, p] = *e;
    if (!p.rid) p.rid = ++m.last_person_rid;
    PersonRow& row = batch.persons.emplace_back();
    row.rid = p.rid;
    row.id = id;
    row.household = p.household;
    row.stay = p.stay;
    row.merged_into = p.merged_into;
    row.known = p.known;
    row.flags = p.flags;
    row.event = p.event;
    row.place = p.place;
    row.needs = p.needs;
    row.name = std::move(p.name);
    row.kana = std::move(p.kana);
    row.dob = p.dob;
    row.sex = p.sex;
    row.st = p.st;
    row.stay_key = p.stay_key;
    p.name = std::string();
    p.kana = std::string();
    p.known = 0;
    p.dirty = false;
  }
  batch.households.reserve(m.dirty_households.size());
  for (auto* e : m.dirty_households) {
    auto& [id, hh] = *e;
    if (!hh.rid) hh.rid = ++m.last_household_rid;
    batch.households.push_back({hh.rid, id, hh.shelter, hh.deleted, hh.st});
    hh.dirty = false;
  }
  batch.stays.reserve(m.dirty_stays.size());
  for (auto* e : m.dirty_stays) {
    auto& [id, st] = *e;
    if (!st.rid) st.rid = ++m.last_stay_rid;
    batch.stays.push_back({st.rid, id, st.person, st.event, st.place, st.st});
    st.dirty = false;
  }
  std::vector<std::vector<SqlValue>> rows;
  for (auto& id : m.dirty_shelters) {
    RecordState& r = m.shelters[id];
    core::ShelterInfo info = core::ShelterFromRecord(r);
    rows.push_back({id.Hex(), info.common_id, info.municipality_code, info.name, info.kana,
                    info.address, info.lat, info.lon, info.capacity, info.kind, info.status,
                    core::ToHex(core::View(core::EncodeRegisters(r)))});
  }
  table("shelters",
        {"id", "common_id", "muni", "name", "kana", "address", "lat", "lon", "capacity", "kind",
         "status", "regs"},
        1, std::move(rows));
  rows = {};
  // Counts of the touched shelters, whole (zeros too), and one trend point per 10 minutes.
  std::vector<std::vector<SqlValue>> cells, needs, trend;
  int64_t bucket = now / kTrendBucketMs * kTrendBucketMs;
  auto& codes = core::NeedCodes();
  for (auto& id : m.dirty_aggs) {
    ShelterAgg& a = aggs_[id];
    a.data_ms = m.scope_ms[id];
    std::string sid = id.Hex();
    int64_t in_sex[kSexCount] = {};
    for (size_t s = 0; s < kSexCount; ++s)
      for (int64_t c : a.cells[kInShelter][s]) in_sex[s] += c;
    int64_t infants = 0;
    for (size_t s = 0; s < kSexCount; ++s) infants += a.cells[kInShelter][s][0];
    rows.push_back({sid, a.Persons(), a.households, a.Where(kInShelter), a.Where(kOut),
                    a.Where(kAtHome), a.Where(kInCar), a.Where(kElsewhere), a.Where(kNeverArrived),
                    in_sex[kMale], in_sex[kFemale], in_sex[kSexOther], infants,
                    a.with_needs[kInShelter], a.data_ms, now});
    trend.push_back({bucket, sid, a.Persons(), a.households, a.Where(kInShelter), a.Where(kOut),
                     a.Where(kAtHome), a.Where(kInCar), a.Where(kElsewhere)});
    for (size_t w = 0; w < kWhereCount; ++w) {
      for (size_t s = 0; s < kSexCount; ++s)
        for (size_t b = 0; b < core::kAgeBands; ++b)
          cells.push_back({sid, std::string(WhereaboutsName(w)), std::string(SexClassName(s)),
                           int64_t(b), a.cells[w][s][b]});
      for (size_t n = 0; n < codes.size() && n < kNeedBits; ++n)
        needs.push_back({sid, std::string(WhereaboutsName(w)), codes[n], a.needs[w][n]});
    }
  }
  table("shelter_status",
        {"shelter", "persons", "households", "in_shelter", "out_now", "at_home", "in_car",
         "elsewhere", "never_arrived", "male", "female", "sex_other", "infants", "with_needs",
         "data_ms", "updated_ms"},
        1, std::move(rows));
  table("shelter_counts", {"shelter", "whereabouts", "sex", "age_band", "n"}, 4, std::move(cells));
  table("shelter_needs", {"shelter", "whereabouts", "need", "n"}, 3, std::move(needs));
  table("trend",
        {"bucket_ms", "shelter", "persons", "households", "in_shelter", "out_now", "at_home",
         "in_car", "elsewhere"},
        2, std::move(trend));
  rows = {};
  // The city-wide rows, whole, whenever any shelter's counts moved (Summarize reads these).
  if (!m.dirty_aggs.empty()) {
    ShelterAgg city = CityTotal();
    for (size_t w = 0; w < kWhereCount; ++w) {
      for (size_t s = 0; s < kSexCount; ++s)
        for (size_t b = 0; b < core::kAgeBands; ++b)
          rows.push_back({std::string(WhereaboutsName(w)), std::string(SexClassName(s)), int64_t(b),
                          city.cells[w][s][b]});
    }
    table("city_counts", {"whereabouts", "sex", "age_band", "n"}, 3, std::move(rows));
    rows = {};
    for (size_t w = 0; w < kWhereCount; ++w)
      for (size_t n = 0; n < codes.size() && n < kNeedBits; ++n)
        rows.push_back({std::string(WhereaboutsName(w)), codes[n], city.needs[w][n]});
    table("city_needs", {"whereabouts", "need", "n"}, 2, std::move(rows));
    rows = {};
  }
  for (auto& d : dirty_tips_) {
    const core::AppliedTip& t = tips_[d];
    rows.push_back({d.Hex(), int64_t(t.number), int64_t(t.seq),
                    core::ToHex(core::ByteView(t.hash.data(), t.hash.size()))});
  }
  table("tips", {"device", "number", "seq", "hash"}, 1, std::move(rows));
  table("meta", {"key", "value"}, 1, {{std::string("band_day"), std::to_string(band_day_)}});
  dirty_tips_.clear();
  pending_ops_ = 0;
  m.dirty_persons.clear();
  m.dirty_households.clear();
  m.dirty_stays.clear();
  m.dirty_shelters.clear();
  m.dirty_aggs.clear();
  agg_memo_ = nullptr;
  return batch;
}

}  // namespace shelter::hq
