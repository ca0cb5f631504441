// [SECTION] records  [SECTION] applying ops  [SECTION] counts
// (Loading and staging writes: hq_store_persist.cpp; field stamps: hq_stamps.cpp; merge
// visibility: hq_store_merge.cpp.)
#include "sync/hq/hq_store.hpp"

#include <algorithm>
#include <cstring>

#include "core/model/entities.hpp"
#include "core/model/record_state.hpp"
#include "core/model/stay_status.hpp"
#include "sync/hq/hq_store_records.hpp"

namespace shelter::hq {

using core::Id16;
using core::Op;
using core::RecordState;
using core::RecordType;
namespace cbor = core::cbor;
namespace field = core::field;

// ---------------------------------------------------------------- [SECTION] records

const char* const kPersonFieldNames[kPersonFields] = {
    field::kHousehold,     field::kName,    field::kKana,          field::kDob,
    field::kSex,           field::kNeeds,   field::kConsentFamily, field::kConsentAcquaintance,
    field::kConsentPublic, field::kDeleted, field::kMergedInto};

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

// The whereabouts rule (core/model/stay_status.hpp), as core::State::Counts applies it; a person
// who left (退所) is in no class (kLeftOut).
constexpr uint8_t kLeftOut = 0xFE;
uint8_t Classify(uint8_t event, uint8_t place) {
  static_assert(size_t(core::Whereabouts::kNeverArrived) == kNeverArrived &&
                size_t(core::Whereabouts::kLeft) == kWhereCount);
  auto w = core::WhereaboutsOf(
      event == kNoEvent ? std::nullopt : std::optional(core::StayEvent(event)), core::Place(place));
  return w == core::Whereabouts::kLeft ? kLeftOut : static_cast<uint8_t>(w);
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
    : db_(std::move(db)),
      writer_(std::make_unique<BatchWriter>(*db_)),
      now_ms_(std::move(now_ms)),
      impl_(std::make_unique<Impl>()) {}
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

Status HqStore::FlushAsync() {
  if (poisoned_)
    return core::MakeError(core::ErrorCode::kIo, "the HQ store failed earlier: reopen it");
  Status s = writer_->Submit(Stage());
  if (!s.ok()) poisoned_ = true;  // memory is ahead of the database; a reopen reloads both
  return s;
}

Status HqStore::Flush() {
  SHELTER_TRY(FlushAsync());
  Status s = writer_->Wait();
  if (!s.ok()) poisoned_ = true;
  return s;
}

SqlConn& HqStore::db() {
  (void)writer_->Wait();  // a failure is reported by the next Flush()
  return *db_;
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
  auto& entry = *impl_->persons.try_emplace(op.record).first;
  PersonRec& p = entry.second;
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
  const uint8_t old_flags = p.flags;
  const Id16 old_into = p.merged_into;
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
  if (auto* v = written[kPMerged]) {
    flag(kFlagMergeLink, !v->is_null());
    Id16 into = v->is_null() ? Id16{} : IdValue(*v);
    if (into != p.merged_into) {
      if (!p.merged_into.IsZero()) {
        auto& from = impl_->merged_from[p.merged_into];
        std::erase(from, op.record);
        if (from.empty()) impl_->merged_from.erase(p.merged_into);
      }
      if (!into.IsZero()) impl_->merged_from[into].push_back(op.record);
      p.merged_into = into;
    }
  }
  for (size_t f = 0; f < kPersonFields; ++f)
    if (written[f]) p.st.Set(f, stamp);
  p.flags |= kFlagPresent;
  // Deleted (core RecordState::Deleted): the delete mark wins and nothing else keeps a value.
  bool emptied = !p.has_name && !p.has_kana && p.dob.empty() && p.household.IsZero();
  p.flags =
      (p.flags & kFlagDeleteMark) && emptied ? (p.flags | kFlagDeleted) : (p.flags & ~kFlagDeleted);
  // Merges (core/model/merge_rule.hpp): this person's link, and everyone whose visibility hangs on
  // it.
  constexpr uint8_t kMergeInputs = kFlagPresent | kFlagDeleted | kFlagMergeLink;
  bool merge_changed = old_into != p.merged_into || ((old_flags ^ p.flags) & kMergeInputs);
  if (merge_changed || (p.flags & kFlagMergeLink)) flag(kFlagMerged, HiddenByMerge(op.record, p));
  Contribute(op.record, p, +1);
  Impl::Mark(entry, impl_->dirty_persons);
  if (merge_changed) RefreshMerges(op.record, old_into, p.merged_into);
}

void HqStore::ApplyHousehold(const Op& op) {
  auto& entry = *impl_->households.try_emplace(op.record).first;
  HouseholdRec& hh = entry.second;
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
  if (changed) Impl::Mark(entry, impl_->dirty_households);
}

void HqStore::ApplyStay(const Op& op) {
  auto& entry = *impl_->stays.try_emplace(op.record).first;
  StayRec& s = entry.second;
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
  Impl::Mark(entry, impl_->dirty_stays);
  if (s.person.IsZero() || s.event == kNoEvent) return;
  auto& person = *impl_->persons.try_emplace(s.person).first;
  PersonRec& p = person.second;
  if (s.event == EventIndex(core::StayEvent::kUndone)) {
    // An undo is no whereabouts: it cancels a stay; when that was the latest, the one before it
    // counts again (found by a scan: undos are rare).
    auto* w = Written(op, field::kUndoes);
    if (!w || !impl_->undone_stays.insert(IdValue(w->value)).second) return;
    if (p.stay != IdValue(w->value)) return;
    Contribute(s.person, p, -1);
    p.stay_key = {};
    p.stay = {};
    p.event = kNoEvent;
    p.place = 0;
    for (auto& [id, other] : impl_->stays)
      if (other.person == s.person && other.event != kNoEvent &&
          other.event != EventIndex(core::StayEvent::kUndone) && !impl_->undone_stays.count(id) &&
          p.stay_key < other.st.Get(1)) {
        p.stay_key = other.st.Get(1);
        p.stay = id;
        p.event = other.event;
        p.place = other.place;
      }
    Contribute(s.person, p, +1);
    Impl::Mark(person, impl_->dirty_persons);
    return;
  }
  if (impl_->undone_stays.count(op.record)) return;  // its undo came first
  // A stay's order key (its event stamp) only grows, so the person's latest stay is a running max.
  Stamp key = s.st.Get(1);
  if (p.stay_key < key || p.stay == op.record) {
    Contribute(s.person, p, -1);
    p.stay_key = key;
    p.stay = op.record;
    p.event = s.event;
    p.place = s.place;
    Contribute(s.person, p, +1);
    Impl::Mark(person, impl_->dirty_persons);
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
  if (sign < 0 && !p.counted) return;
  if (sign > 0 && !p.Live()) return;
  HouseholdRec& hh = impl_->households[p.household];
  if (sign < 0) {
    p.counted = false;
  } else {
    p.c_where = Classify(p.event, p.place);
    if (p.c_where == kLeftOut) return;  // 退所: no longer one of the shelter's people
    p.counted = true;
    p.c_shelter = hh.shelter;
    p.c_sex = SexOf(p.sex);
    p.c_band = static_cast<uint8_t>(core::AgeBand(p.dob, band_day_ * 86400));
    p.c_needs = p.needs;
  }
  ShelterAgg& a = AggOf(p.c_shelter);
  a.cells[p.c_where][p.c_sex][p.c_band] += sign;
  for (size_t i = 0; i < kNeedBits; ++i)
    if (p.c_needs & (1u << i)) a.needs[p.c_where][i] += sign;
  if (p.c_needs) a.with_needs[p.c_where] += sign;
  hh.live += sign;
  if ((sign > 0 && hh.live == 1) || (sign < 0 && hh.live == 0)) a.households += sign;
}

ShelterAgg& HqStore::AggOf(const Id16& shelter) {
  // Consecutive ops almost always touch one shelter: skip the map and the dirty set for it.
  if (agg_memo_ && agg_memo_id_ == shelter) return *agg_memo_;
  agg_memo_ = &aggs_[shelter];  // map nodes never move
  agg_memo_id_ = shelter;
  impl_->dirty_aggs.insert(shelter);
  return *agg_memo_;
}

void HqStore::Rebase() {
  band_day_ = now_ms_() / 86'400'000;
  agg_memo_ = nullptr;
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

}  // namespace shelter::hq
