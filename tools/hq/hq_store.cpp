// [SECTION] records and stamps  [SECTION] applying ops  [SECTION] counts  [SECTION] persistence
#include "tools/hq/hq_store.hpp"

#include <algorithm>
#include <cstring>
#include <unordered_set>

#include "core/model.hpp"
#include "core/record.hpp"
#include "core/text_normalize.hpp"
#include "tools/hq/hq_schema.hpp"

namespace shelter::hq {

using core::Id16;
using core::Op;
using core::RecordState;
using core::RecordType;
namespace cbor = core::cbor;
namespace field = core::field;

// ---------------------------------------------------------------- [SECTION] records and stamps

enum PersonField : size_t { kPHousehold, kPName, kPKana, kPDob, kPSex, kPNeeds, kPFamily,
                            kPAcquaintance, kPPublic, kPDeleted, kPMerged, kPersonFields };
const char* const kPersonFieldNames[kPersonFields] = {
    field::kHousehold, field::kName, field::kKana, field::kDob, field::kSex, field::kNeeds,
    field::kConsentFamily, field::kConsentAcquaintance, field::kConsentPublic, field::kDeleted,
    field::kMergedInto};
enum : uint8_t { kFlagPresent = 1, kFlagDeleted = 2, kFlagMerged = 4, kFlagFamily = 8,
                 kFlagAcquaintance = 16, kFlagPublic = 32, kFlagDeleteMark = 64 };
constexpr uint8_t kNoEvent = 0xFF;
enum : uint8_t { kKnownName = 1, kKnownKana = 2 };

struct PersonRec {
  int64_t rid = 0;  // database row, assigned when first written
  Id16 household;
  // Name and kana are held only from the op that wrote them until the next Write(): queries read
  // them from the database, and ingest needs only whether they are empty.
  std::string name, kana;
  uint8_t known = 0;  // kKnownName | kKnownKana: which of name, kana are held for the next Write()
  bool has_name = false, has_kana = false;
  std::string dob, sex = "unanswered";
  uint32_t needs = 0;
  uint8_t flags = kFlagFamily | kFlagAcquaintance;  // core::Consent defaults
  Stamps<kPersonFields> st;
  Stamp stay_key;  // the latest stay event, by (HLC, device) of its event field
  Id16 stay;
  uint8_t event = kNoEvent, place = 0;
  // What Contribute() last added to the counts.
  bool counted = false;
  uint8_t c_where = 0, c_sex = 0, c_band = 0;
  uint32_t c_needs = 0;
  Id16 c_shelter;
  bool dirty = false;  // changed since the last Write()
  bool Live() const { return (flags & kFlagPresent) && !(flags & (kFlagDeleted | kFlagMerged)); }
};

struct HouseholdRec {
  int64_t rid = 0;
  Id16 shelter;
  bool deleted = false;
  Stamps<2> st;
  int64_t live = 0;  // members counted
  std::vector<Id16> members;
  bool dirty = false;
};

struct StayRec {
  int64_t rid = 0;
  Id16 person;
  uint8_t event = kNoEvent, place = 0;
  Stamps<3> st;
  bool dirty = false;
};

struct IdHash {
  size_t operator()(const Id16& id) const {
    size_t h;
    std::memcpy(&h, id.b.data(), sizeof h);  // ids are random or hashes
    return h;
  }
};

struct HqStore::Impl {
  std::unordered_map<Id16, PersonRec, IdHash> persons;
  std::unordered_map<Id16, HouseholdRec, IdHash> households;
  std::unordered_map<Id16, StayRec, IdHash> stays;
  std::map<Id16, RecordState> shelters;
  std::map<Id16, int64_t> scope_ms;
  // Records changed since the last Write(), in change order (map nodes never move).
  std::vector<std::pair<const Id16, PersonRec>*> dirty_persons;
  std::vector<std::pair<const Id16, HouseholdRec>*> dirty_households;
  std::vector<std::pair<const Id16, StayRec>*> dirty_stays;
  template <typename Map>
  static void Mark(Map& map, const Id16& id, std::vector<typename Map::value_type*>& dirty) {
    auto& entry = *map.try_emplace(id).first;
    if (!entry.second.dirty) {
      entry.second.dirty = true;
      dirty.push_back(&entry);
    }
  }
  std::set<Id16> dirty_shelters, dirty_aggs;
  int64_t last_person_rid = 0, last_household_rid = 0, last_stay_rid = 0;
};

template <size_t N>
void Stamps<N>::Set(size_t i, const Stamp& s) {
  if (!each_) {
    if (mask_ == 0 || s == base_ || mask_ == (1u << i)) {
      if (s != base_) mask_ = 0;  // only field i held the old stamp
      base_ = s;
      mask_ |= uint16_t(1u << i);
      return;
    }
    auto all = std::make_unique<std::array<Stamp, N>>();
    for (size_t j = 0; j < N; ++j) (*all)[j] = Get(j);
    each_ = std::move(all);
  }
  (*each_)[i] = s;
  // Back to one stamp when every field holds either it or none.
  const Stamp none{};
  const Stamp* one = nullptr;
  uint16_t mask = 0;
  for (size_t j = 0; j < N; ++j) {
    const Stamp& x = (*each_)[j];
    if (x == none) continue;
    if (one && x != *one) return;
    one = &x;
    mask |= uint16_t(1u << j);
  }
  base_ = one ? *one : none;
  mask_ = mask;
  each_.reset();
}

namespace {

void PutStamp(std::string& out, const Stamp& s) {
  uint8_t b[24];
  for (int i = 0; i < 8; ++i) b[i] = static_cast<uint8_t>(s.hlc >> (56 - 8 * i));
  std::memcpy(b + 8, s.device.b.data(), 16);
  out += core::ToHex(core::ByteView(b, 24));
}

bool GetStamp(std::string_view hex, Stamp& s) {
  auto bytes = core::FromHex(hex);
  if (!bytes.ok() || bytes->size() != 24) return false;
  s.hlc = 0;
  for (int i = 0; i < 8; ++i) s.hlc = (s.hlc << 8) | (*bytes)[i];
  std::memcpy(s.device.b.data(), bytes->data() + 8, 16);
  return true;
}

}  // namespace

// Encoded as hex: one stamp (every field), N stamps, or 4 digits of field mask and one stamp.
template <size_t N>
std::string Stamps<N>::Encode() const {
  std::string out;
  if (each_) {
    for (auto& s : *each_) PutStamp(out, s);
  } else {
    if (mask_ != (1u << N) - 1) {
      const char* hex = "0123456789abcdef";
      for (int shift = 12; shift >= 0; shift -= 4) out += hex[(mask_ >> shift) & 15];
    }
    PutStamp(out, base_);
  }
  return out;
}

template <size_t N>
bool Stamps<N>::Decode(std::string_view hex) {
  each_.reset();
  if (hex.size() == 48) {
    mask_ = uint16_t((1u << N) - 1);
    return GetStamp(hex, base_);
  }
  if (hex.size() == 52) {
    auto m = core::FromHex(hex.substr(0, 4));
    if (!m.ok() || m->size() != 2) return false;
    mask_ = uint16_t(((*m)[0] << 8) | (*m)[1]);
    return mask_ < (1u << N) && GetStamp(hex.substr(4), base_);
  }
  if (hex.size() != 48 * N) return false;
  each_ = std::make_unique<std::array<Stamp, N>>();
  for (size_t i = 0; i < N; ++i)
    if (!GetStamp(hex.substr(48 * i, 48), (*each_)[i])) return false;
  return true;
}

const char* WhereaboutsName(size_t w) {
  static const char* k[] = {"in_shelter", "out", "at_home", "in_car", "elsewhere", "never_arrived"};
  return w < kWhereCount ? k[w] : "?";
}
const char* SexClassName(size_t s) {
  static const char* k[] = {"male", "female", "other"};
  return s < kSexCount ? k[s] : "?";
}

int64_t ShelterAgg::Where(size_t w) const {
  int64_t n = 0;
  for (auto& sex : cells[w])
    for (int64_t c : sex) n += c;
  return n;
}
int64_t ShelterAgg::Persons() const {
  int64_t n = 0;
  for (size_t w = 0; w < kWhereCount; ++w) n += Where(w);
  return n;
}

namespace {

size_t EventIndex(core::StayEvent e) { return static_cast<size_t>(e); }

// The same classes as core::State::Counts.
uint8_t Classify(uint8_t event, uint8_t place) {
  using core::Place;
  using core::StayEvent;
  if (event == kNoEvent) return kNeverArrived;
  auto e = static_cast<StayEvent>(event);
  auto p = static_cast<Place>(place);
  if (e == StayEvent::kArrive && (p == Place::kShelter || p == Place::kWelfareShelter))
    return kInShelter;
  if (e == StayEvent::kArrive && p == Place::kHome) return kAtHome;
  if (e == StayEvent::kArrive && p == Place::kCar) return kInCar;
  if (e == StayEvent::kLeave || e == StayEvent::kOvernightOut) return kOut;
  return kElsewhere;
}

uint8_t SexOf(const std::string& s) {
  return s == "male" ? kMale : s == "female" ? kFemale : kSexOther;
}

uint32_t NeedBits(const std::vector<std::string>& needs) {
  auto& codes = core::NeedCodes();
  uint32_t bits = 0;
  for (auto& n : needs)
    for (size_t i = 0; i < codes.size() && i < kNeedBits; ++i)
      if (codes[i] == n) bits |= 1u << i;
  return bits;
}

// The op's own values, read as core's typed decoders read a one-op record.
Id16 IdValue(const cbor::Item& v) {
  Id16 id;
  if (auto* b = v.as_bytes(); b && b->size() == id.b.size())
    std::memcpy(id.b.data(), b->data(), id.b.size());
  return id;
}
std::string TextValue(const cbor::Item& v) {
  auto* t = v.as_text();
  return t ? *t : std::string();
}
bool BoolValue(const cbor::Item& v, bool fallback) {
  auto* b = v.as_bool();
  return b ? *b : fallback;
}

const core::FieldWrite* Written(const Op& op, const char* name) {
  for (auto& w : op.fields)
    if (w.field == name) return &w;
  return nullptr;
}

}  // namespace

// ---------------------------------------------------------------- [SECTION] applying ops

HqStore::HqStore(std::unique_ptr<SqlConn> db, core::HlcClock::NowMs now_ms)
    : db_(std::move(db)), now_ms_(std::move(now_ms)), impl_(std::make_unique<Impl>()) {}
HqStore::~HqStore() = default;

size_t HqStore::person_count() const { return impl_->persons.size(); }

std::optional<core::AppliedTip> HqStore::Tip(const Id16& device) const {
  auto it = tips_.find(device);
  if (it == tips_.end()) return std::nullopt;
  return it->second;
}

Result<bool> HqStore::ApplySegment(const core::SegmentHeader& h, const core::Hash32& hash,
                                   const std::vector<Op>& ops) {
  if (poisoned_)
    return core::MakeError(core::ErrorCode::kIo, "the HQ store failed earlier: reopen it");
  core::AppliedTip tip = tips_.count(h.device) ? tips_[h.device] : core::AppliedTip{};
  if (h.number != tip.number + 1 || h.prev_hash != tip.hash || h.first_seq != tip.seq + 1)
    return false;
  if (core::HlcMillis(h.max_hlc) > impl_->scope_ms[h.scope]) {
    impl_->scope_ms[h.scope] = core::HlcMillis(h.max_hlc);
    if (aggs_.count(h.scope)) impl_->dirty_aggs.insert(h.scope);
  }
  for (const Op& op : ops) SHELTER_TRY(ApplyOp(op, h.scope));
  tips_[h.device] = {h.number, h.first_seq + ops.size() - 1, hash};
  dirty_tips_.insert(h.device);
  pending_ops_ += ops.size();
  return true;
}

Status HqStore::Flush() {
  if (poisoned_)
    return core::MakeError(core::ErrorCode::kIo, "the HQ store failed earlier: reopen it");
  Status s = Write();
  if (!s.ok()) poisoned_ = true;  // memory is ahead of the database; a reopen reloads both
  return s;
}

Status HqStore::ApplyOp(const Op& op, const Id16& scope) {
  switch (op.type) {
    case RecordType::kPerson: ApplyPerson(op); break;
    case RecordType::kHousehold: ApplyHousehold(op); break;
    case RecordType::kStay: ApplyStay(op); break;
    case RecordType::kShelter: ApplyShelter(op, scope); break;
    default: break;
  }
  return core::Ok();
}

void HqStore::ApplyPerson(const Op& op) {
  PersonRec& p = impl_->persons[op.record];
  Stamp stamp{op.hlc, op.dot.device};
  // The op's own values, read as core::PersonFromRecord would from a one-op record (a field the
  // op does not write keeps its value here).
  std::array<const cbor::Item*, kPersonFields> written{};
  bool any = false;
  for (const auto& w : op.fields)
    for (size_t f = 0; f < kPersonFields; ++f)
      if (w.field == kPersonFieldNames[f]) {
        if (p.st.Get(f) < stamp) written[f] = &w.value, any = true;
        break;
      }
  if (!any) return;
  auto text = [](const cbor::Item* v) { return TextValue(*v); };
  auto boolean = [](const cbor::Item* v, bool fallback) { return BoolValue(*v, fallback); };
  Contribute(op.record, p, -1);
  if (auto* v = written[kPHousehold]) {
    Id16 household = IdValue(*v);
    if (household != p.household) {
      if (auto old = impl_->households.find(p.household); old != impl_->households.end())
        std::erase(old->second.members, op.record);
      p.household = household;
      impl_->households[p.household].members.push_back(op.record);
    }
  }
  if (auto* v = written[kPName]) {
    p.name = text(v);
    p.has_name = !p.name.empty();
    p.known |= kKnownName;
  }
  if (auto* v = written[kPKana]) {
    p.kana = text(v);
    p.has_kana = !p.kana.empty();
    p.known |= kKnownKana;
  }
  if (auto* v = written[kPDob]) p.dob = text(v);
  if (auto* v = written[kPSex]) {
    p.sex = text(v);
    if (p.sex.empty()) p.sex = "unanswered";
  }
  if (auto* v = written[kPNeeds]) {
    std::vector<std::string> needs;
    if (auto* a = v->as_array())
      for (auto& e : *a)
        if (auto* t = e.as_text()) needs.push_back(*t);
    p.needs = NeedBits(needs);
  }
  auto flag = [&](uint8_t bit, bool on) { p.flags = on ? (p.flags | bit) : (p.flags & ~bit); };
  if (auto* v = written[kPFamily]) flag(kFlagFamily, boolean(v, true));
  if (auto* v = written[kPAcquaintance]) flag(kFlagAcquaintance, boolean(v, true));
  if (auto* v = written[kPPublic]) flag(kFlagPublic, boolean(v, false));
  if (auto* v = written[kPDeleted]) flag(kFlagDeleteMark, boolean(v, false));
  if (auto* v = written[kPMerged]) flag(kFlagMerged, !v->is_null());
  for (size_t f = 0; f < kPersonFields; ++f)
    if (written[f]) p.st.Set(f, stamp);
  p.flags |= kFlagPresent;
  // Deleted (core RecordState::Deleted): the delete mark wins and nothing else keeps a value.
  bool emptied = !p.has_name && !p.has_kana && p.dob.empty() && p.household.IsZero();
  p.flags = (p.flags & kFlagDeleteMark) && emptied ? (p.flags | kFlagDeleted)
                                                   : (p.flags & ~kFlagDeleted);
  Contribute(op.record, p, +1);
  Impl::Mark(impl_->persons, op.record, impl_->dirty_persons);
}

void HqStore::ApplyHousehold(const Op& op) {
  HouseholdRec& hh = impl_->households[op.record];
  Stamp stamp{op.hlc, op.dot.device};
  bool changed = false;
  if (auto* w = Written(op, field::kShelter); w && hh.st.Get(0) < stamp) {
    Id16 shelter = IdValue(w->value);
    if (shelter != hh.shelter) {
      std::vector<Id16> members = hh.members;
      for (auto& m : members) Contribute(m, impl_->persons[m], -1);
      hh.shelter = shelter;
      for (auto& m : members) Contribute(m, impl_->persons[m], +1);
    }
    hh.st.Set(0, stamp);
    changed = true;
  }
  if (auto* w = Written(op, field::kDeleted); w && hh.st.Get(1) < stamp) {
    hh.deleted = BoolValue(w->value, false);
    hh.st.Set(1, stamp);
    changed = true;
  }
  if (changed) Impl::Mark(impl_->households, op.record, impl_->dirty_households);
}

void HqStore::ApplyStay(const Op& op) {
  StayRec& s = impl_->stays[op.record];
  Stamp stamp{op.hlc, op.dot.device};
  bool changed = false;
  if (auto* w = Written(op, field::kPerson); w && s.st.Get(0) < stamp) {
    if (s.person.IsZero()) s.person = IdValue(w->value);  // a stay belongs to one person for good
    s.st.Set(0, stamp);
    changed = true;
  }
  if (auto* w = Written(op, field::kEvent); w && s.st.Get(1) < stamp) {
    auto e = core::ParseStayEvent(TextValue(w->value));
    s.event = static_cast<uint8_t>(EventIndex(e.ok() ? *e : core::Stay{}.event));
    s.st.Set(1, stamp);
    changed = true;
  }
  if (auto* w = Written(op, field::kPlace); w && s.st.Get(2) < stamp) {
    auto pl = core::ParsePlace(TextValue(w->value));
    s.place = static_cast<uint8_t>(pl.ok() ? *pl : core::Stay{}.place);
    s.st.Set(2, stamp);
    changed = true;
  }
  if (!changed) return;
  Impl::Mark(impl_->stays, op.record, impl_->dirty_stays);
  if (s.person.IsZero() || s.event == kNoEvent) return;
  // A stay's order key (its event stamp) only grows, so the person's latest stay is a running max.
  PersonRec& p = impl_->persons[s.person];
  Stamp key = s.st.Get(1);
  if (p.stay_key < key || p.stay == op.record) {
    Contribute(s.person, p, -1);
    p.stay_key = key;
    p.stay = op.record;
    p.event = s.event;
    p.place = s.place;
    Contribute(s.person, p, +1);
    Impl::Mark(impl_->persons, s.person, impl_->dirty_persons);
  }
}

void HqStore::ApplyShelter(const Op& op, const Id16& scope) {
  auto [it, fresh] = impl_->shelters.try_emplace(op.record);
  RecordState& r = it->second;
  if (fresh) r = RecordState{op.record, op.type, scope, {}};
  for (const auto& w : op.fields) {
    auto& vals = r.fields[w.field];
    std::erase_if(vals, [&](const core::RegisterValue& v) {
      return std::binary_search(op.supersedes.begin(), op.supersedes.end(), v.dot);
    });
    if (std::none_of(vals.begin(), vals.end(), [&](auto& v) { return v.dot == op.dot; })) {
      vals.push_back({op.dot, op.hlc, w.value});
      std::sort(vals.begin(), vals.end(), [](auto& a, auto& b) { return a.dot < b.dot; });
    }
  }
  impl_->dirty_shelters.insert(op.record);
}

// ---------------------------------------------------------------- [SECTION] counts

void HqStore::Contribute(const Id16& id, PersonRec& p, int sign) {
  if (sign < 0) {
    if (!p.counted) return;
    p.counted = false;
  } else {
    if (!p.Live()) return;
    p.counted = true;
    auto hh = impl_->households.find(p.household);
    p.c_shelter = hh == impl_->households.end() ? Id16{} : hh->second.shelter;
    p.c_where = Classify(p.event, p.place);
    p.c_sex = SexOf(p.sex);
    p.c_band = static_cast<uint8_t>(core::AgeBand(p.dob, band_day_ * 86400));
    p.c_needs = p.needs;
  }
  ShelterAgg& a = aggs_[p.c_shelter];
  a.cells[p.c_where][p.c_sex][p.c_band] += sign;
  for (size_t i = 0; i < kNeedBits; ++i)
    if (p.c_needs & (1u << i)) a.needs[p.c_where][i] += sign;
  if (p.c_needs) a.with_needs[p.c_where] += sign;
  HouseholdRec& hh = impl_->households[p.household];
  hh.live += sign;
  if ((sign > 0 && hh.live == 1) || (sign < 0 && hh.live == 0)) a.households += sign;
  impl_->dirty_aggs.insert(p.c_shelter);
}

void HqStore::Rebase() {
  band_day_ = now_ms_() / 86'400'000;
  for (auto& [id, a] : aggs_) {
    a = ShelterAgg{};
    impl_->dirty_aggs.insert(id);
  }
  for (auto& [id, hh] : impl_->households) hh.live = 0;
  for (auto& [id, p] : impl_->persons) {
    p.counted = false;
    Contribute(id, p, +1);
  }
}

ShelterAgg HqStore::CityTotal() const {
  ShelterAgg t;
  for (auto& [id, a] : aggs_) {
    for (size_t w = 0; w < kWhereCount; ++w) {
      for (size_t s = 0; s < kSexCount; ++s)
        for (size_t b = 0; b < core::kAgeBands; ++b) t.cells[w][s][b] += a.cells[w][s][b];
      for (size_t n = 0; n < kNeedBits; ++n) t.needs[w][n] += a.needs[w][n];
      t.with_needs[w] += a.with_needs[w];
    }
    t.households += a.households;
    t.data_ms = std::max(t.data_ms, a.data_ms);
  }
  return t;
}

// ---------------------------------------------------------------- [SECTION] persistence

namespace {

constexpr int64_t kTrendBucketMs = 10 * 60'000;

// One row, its values moved in (an initializer list would copy every string).
template <typename... T>
std::vector<SqlValue> Row(T&&... v) {
  std::vector<SqlValue> r;
  r.reserve(sizeof...(T));
  (r.emplace_back(std::forward<T>(v)), ...);
  return r;
}

Id16 IdOf(const std::optional<std::string>& hex) {
  if (!hex) return {};
  auto b = core::FromHex(*hex);
  if (!b.ok()) return {};
  auto id = Id16::FromBytes(core::View(*b));
  return id.ok() ? *id : Id16{};
}
int64_t IntOf(const std::optional<std::string>& s) { return s ? std::strtoll(s->c_str(), nullptr, 10) : 0; }
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
    if (!regs.ok()) return core::MakeError(core::ErrorCode::kCorrupt, "HQ shelter row is malformed");
    SHELTER_ASSIGN_OR_RETURN(auto rec, core::DecodeRegisters(IdOf(r[0]), RecordType::kShelter,
                                                             Id16{}, core::View(*regs)));
    impl_->shelters[rec.id] = std::move(rec);
  }
  SHELTER_ASSIGN_OR_RETURN(auto scopes, db_->Query("SELECT shelter, data_ms FROM shelter_status"));
  for (auto& r : scopes) impl_->scope_ms[IdOf(r[0])] = IntOf(r[1]);
  SHELTER_ASSIGN_OR_RETURN(auto hhs, db_->Query("SELECT rid, id, shelter, deleted, st FROM households"));
  for (auto& r : hhs) {
    HouseholdRec& hh = impl_->households[IdOf(r[1])];
    hh.rid = IntOf(r[0]);
    impl_->last_household_rid = std::max(impl_->last_household_rid, hh.rid);
    hh.shelter = IdOf(r[2]);
    hh.deleted = IntOf(r[3]) != 0;
    hh.st.Decode(TextOf(r[4]));
  }
  SHELTER_ASSIGN_OR_RETURN(
      auto persons, db_->Query("SELECT id, household, CASE WHEN name = '' THEN 0 ELSE 1 END, "
                               "CASE WHEN kana = '' THEN 0 ELSE 1 END, dob, sex, needs, flags, stay, "
                               "event, place, st, rid FROM persons"));
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
  }
  persons.clear();
  SHELTER_ASSIGN_OR_RETURN(auto stays, db_->Query("SELECT id, person, event, place, st, rid FROM stays"));
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
  if (day && *day == band_day_) impl_->dirty_aggs.clear();
  return core::Ok();
}

Status HqStore::Write() {
  int64_t now = now_ms_();
  if (now / 86'400'000 != band_day_) Rebase();  // a new day: some people changed age band
  Impl& m = *impl_;
  std::vector<std::vector<SqlValue>> rows;
  SHELTER_TRY(db_->Begin());
  auto fail = [&](Status s) {
    db_->Rollback();
    return s;
  };
  auto upsert = [&](const char* table, const std::vector<std::string>& cols, size_t keys) {
    Status s = db_->Upsert(table, cols, keys, rows);
    rows.clear();
    return s;
  };
  // Rows go to the database in chunks, so a large group never holds them all at once.
  constexpr size_t kChunk = 4096;
  // Four column sets: with or without name (and its search key), with or without kana. A
  // person whose name was not written since the last Write() keeps the stored one.
  std::array<std::vector<std::string>, 4> person_cols;
  std::array<std::vector<std::vector<SqlValue>>, 4> person_rows;
  for (uint8_t k = 0; k < 4; ++k) {
    person_cols[k] = {"rid", "id", "household"};
    if (k & kKnownName) person_cols[k].insert(person_cols[k].end(), {"name", "name_key"});
    if (k & kKnownKana) person_cols[k].insert(person_cols[k].end(), {"kana", "kana_key"});
    person_cols[k].insert(person_cols[k].end(), {"dob", "sex", "needs", "flags", "stay", "event",
                                                 "place", "st"});
  }
  for (size_t i = 0; i < m.dirty_persons.size(); ++i) {
    auto& [id, p] = *m.dirty_persons[i];
    std::string st = p.st.Encode() + "|";
    PutStamp(st, p.stay_key);
    if (!p.rid) p.rid = ++m.last_person_rid;
    auto& out = person_rows[p.known];
    out.push_back(Row(p.rid, id.Hex(), p.household.Hex()));
    auto& row = out.back();
    if (p.known & kKnownName) {
      row.emplace_back(core::FoldForSearch(p.name));
      row.insert(row.end() - 1, std::move(p.name));
    }
    if (p.known & kKnownKana) {
      row.emplace_back(core::FoldForSearch(p.kana));
      row.insert(row.end() - 1, std::move(p.kana));
    }
    for (auto* v : {&p.dob, &p.sex}) row.emplace_back(*v);
    row.emplace_back(int64_t(p.needs));
    row.emplace_back(int64_t(p.flags));
    row.emplace_back(p.stay.Hex());
    row.emplace_back(int64_t(p.event));
    row.emplace_back(int64_t(p.place));
    row.emplace_back(std::move(st));
    p.name = std::string();
    p.kana = std::string();
    p.known = 0;
    for (uint8_t k = 0; k < 4; ++k) {
      if (person_rows[k].empty() || (person_rows[k].size() < kChunk && i + 1 < m.dirty_persons.size()))
        continue;
      Status s = db_->Upsert("persons", person_cols[k], 1, person_rows[k]);
      person_rows[k].clear();
      if (!s.ok()) return fail(s);
    }
  }
  for (size_t i = 0; i < m.dirty_households.size(); ++i) {
    auto& [id, hh] = *m.dirty_households[i];
    if (!hh.rid) hh.rid = ++m.last_household_rid;
    rows.push_back(Row(hh.rid, id.Hex(), hh.shelter.Hex(), int64_t(hh.deleted), hh.st.Encode()));
    if (rows.size() == kChunk || i + 1 == m.dirty_households.size())
      if (Status s = upsert("households", {"rid", "id", "shelter", "deleted", "st"}, 1); !s.ok())
        return fail(s);
  }
  for (size_t i = 0; i < m.dirty_stays.size(); ++i) {
    auto& [id, st] = *m.dirty_stays[i];
    if (!st.rid) st.rid = ++m.last_stay_rid;
    rows.push_back(Row(st.rid, id.Hex(), st.person.Hex(), int64_t(st.event), int64_t(st.place),
                       st.st.Encode()));
    if (rows.size() == kChunk || i + 1 == m.dirty_stays.size())
      if (Status s = upsert("stays", {"rid", "id", "person", "event", "place", "st"}, 1); !s.ok())
        return fail(s);
  }
  for (auto& id : m.dirty_shelters) {
    RecordState& r = m.shelters[id];
    core::ShelterInfo info = core::ShelterFromRecord(r);
    rows.push_back({id.Hex(), info.common_id, info.municipality_code, info.name, info.kana,
                    info.address, info.lat, info.lon, info.capacity, info.kind, info.status,
                    core::ToHex(core::View(core::EncodeRegisters(r)))});
  }
  if (Status s = upsert("shelters", {"id", "common_id", "muni", "name", "kana", "address", "lat",
                                     "lon", "capacity", "kind", "status", "regs"},
                        1);
      !s.ok())
    return fail(s);
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
  if (Status s = upsert("shelter_status",
                        {"shelter", "persons", "households", "in_shelter", "out_now", "at_home",
                         "in_car", "elsewhere", "never_arrived", "male", "female", "sex_other",
                         "infants", "with_needs", "data_ms", "updated_ms"},
                        1);
      !s.ok())
    return fail(s);
  rows = std::move(cells);
  if (Status s = upsert("shelter_counts", {"shelter", "whereabouts", "sex", "age_band", "n"}, 4);
      !s.ok())
    return fail(s);
  rows = std::move(needs);
  if (Status s = upsert("shelter_needs", {"shelter", "whereabouts", "need", "n"}, 3); !s.ok())
    return fail(s);
  rows = std::move(trend);
  if (Status s = upsert("trend", {"bucket_ms", "shelter", "persons", "households", "in_shelter",
                                  "out_now", "at_home", "in_car", "elsewhere"},
                        2);
      !s.ok())
    return fail(s);
  // The city-wide rows, whole, whenever any shelter's counts moved (Summarize reads these).
  if (!m.dirty_aggs.empty()) {
    ShelterAgg city = CityTotal();
    for (size_t w = 0; w < kWhereCount; ++w) {
      for (size_t s = 0; s < kSexCount; ++s)
        for (size_t b = 0; b < core::kAgeBands; ++b)
          rows.push_back({std::string(WhereaboutsName(w)), std::string(SexClassName(s)),
                          int64_t(b), city.cells[w][s][b]});
    }
    if (Status s = upsert("city_counts", {"whereabouts", "sex", "age_band", "n"}, 3); !s.ok())
      return fail(s);
    for (size_t w = 0; w < kWhereCount; ++w)
      for (size_t n = 0; n < codes.size() && n < kNeedBits; ++n)
        rows.push_back({std::string(WhereaboutsName(w)), codes[n], city.needs[w][n]});
    if (Status s = upsert("city_needs", {"whereabouts", "need", "n"}, 2); !s.ok()) return fail(s);
  }
  for (auto& d : dirty_tips_) {
    const core::AppliedTip& t = tips_[d];
    rows.push_back({d.Hex(), int64_t(t.number), int64_t(t.seq),
                    core::ToHex(core::ByteView(t.hash.data(), t.hash.size()))});
  }
  if (Status s = upsert("tips", {"device", "number", "seq", "hash"}, 1); !s.ok()) return fail(s);
  rows.push_back({std::string("band_day"), std::to_string(band_day_)});
  if (Status s = upsert("meta", {"key", "value"}, 1); !s.ok()) return fail(s);
  if (Status s = db_->Commit(); !s.ok()) return fail(s);
  dirty_tips_.clear();
  pending_ops_ = 0;
  for (auto* e : m.dirty_persons) e->second.dirty = false;
  for (auto* e : m.dirty_households) e->second.dirty = false;
  for (auto* e : m.dirty_stays) e->second.dirty = false;
  m.dirty_persons.clear();
  m.dirty_households.clear();
  m.dirty_stays.clear();
  m.dirty_shelters.clear();
  m.dirty_aggs.clear();
  return core::Ok();
}

}  // namespace shelter::hq
