// HqStore's in-memory records (internal to the HQ store's files): what ingest keeps per person,
// household and stay to maintain the counts and to write changed rows.
#pragma once

#include <cstring>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/model/record_state.hpp"
#include "sync/hq/hq_store.hpp"

namespace shelter::hq {

using core::Id16;

enum PersonField : size_t {
  kPHousehold,
  kPName,
  kPKana,
  kPDob,
  kPSex,
  kPNeeds,
  kPFamily,
  kPAcquaintance,
  kPPublic,
  kPDeleted,
  kPMerged,
  kPersonFields
};
// kFlagMerged: hidden by its merge (core::HiddenByMerge); kFlagMergeLink: its merge field is set
// (to merged_into, or to a target unknown in rows from before schema 4).
enum : uint8_t {
  kFlagPresent = 1,
  kFlagDeleted = 2,
  kFlagMerged = 4,
  kFlagFamily = 8,
  kFlagAcquaintance = 16,
  kFlagPublic = 32,
  kFlagDeleteMark = 64,
  kFlagMergeLink = 128
};
constexpr uint8_t kNoEvent = 0xFF;
enum : uint8_t { kKnownName = 1, kKnownKana = 2 };

struct PersonRec {
  int64_t rid = 0;  // database row, assigned when first written
  Id16 household;
  // Name and kana are held only from the op that wrote them until the next Stage(): queries read
  // them from the database, and ingest needs only whether they are empty.
  std::string name, kana;
  uint8_t known = 0;  // kKnownName | kKnownKana: which of name, kana are held for the next Stage()
  bool has_name = false, has_kana = false;
  std::string dob, sex = "unanswered";
  uint32_t needs = 0;
  uint8_t flags = kFlagFamily | kFlagAcquaintance;  // core::Consent defaults
  Stamps<kPersonFields> st;
  Stamp stay_key;  // the latest stay event, by (HLC, device) of its event field
  Id16 stay;
  Id16 merged_into;
  uint8_t event = kNoEvent, place = 0;
  // What Contribute() last added to the counts.
  bool counted = false;
  uint8_t c_where = 0, c_sex = 0, c_band = 0;
  uint32_t c_needs = 0;
  Id16 c_shelter;
  bool dirty = false;  // changed since the last Stage()
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
struct IdEq {
  bool operator()(const Id16& a, const Id16& b) const {
    uint64_t x[2], y[2];
    std::memcpy(x, a.b.data(), 16);
    std::memcpy(y, b.b.data(), 16);
    return ((x[0] ^ y[0]) | (x[1] ^ y[1])) == 0;
  }
};

struct HqStore::Impl {
  std::unordered_map<Id16, PersonRec, IdHash, IdEq> persons;
  std::unordered_map<Id16, HouseholdRec, IdHash, IdEq> households;
  std::unordered_map<Id16, StayRec, IdHash, IdEq> stays;
  std::map<Id16, core::RecordState> shelters;
  // Who is merged into whom: person -> the persons whose merge field names it.
  std::unordered_map<Id16, std::vector<Id16>, IdHash, IdEq> merged_from;
  std::map<Id16, int64_t> scope_ms;
  // Records changed since the last Stage(), in change order (map nodes never move).
  std::vector<std::pair<const Id16, PersonRec>*> dirty_persons;
  std::vector<std::pair<const Id16, HouseholdRec>*> dirty_households;
  std::vector<std::pair<const Id16, StayRec>*> dirty_stays;
  template <typename Entry>
  static void Mark(Entry& entry, std::vector<Entry*>& dirty) {
    if (!entry.second.dirty) {
      entry.second.dirty = true;
      dirty.push_back(&entry);
    }
  }
  std::set<Id16> dirty_shelters, dirty_aggs;
  // Stays cancelled by an "undone" event seen since this store was opened (core/ops/moves.hpp).
  std::unordered_set<Id16, IdHash, IdEq> undone_stays;
  int64_t last_person_rid = 0, last_household_rid = 0, last_stay_rid = 0;
};

static_assert(kPersonFields == kPersonStampFields);

}  // namespace shelter::hq
