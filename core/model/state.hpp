// The materialized state: records folded from the op log into SQLite, with search indexes.
// On a tablet it lives in memory (no plaintext on disk); HQ may keep it in a file. Rebuilding it
// from the same segments gives the same StateHash(). One thread at a time.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/base/bytes.hpp"
#include "core/base/result.hpp"
#include "core/base/sqlite_db.hpp"
#include "core/log/materializer.hpp"
#include "core/log/op.hpp"
#include "core/log/segment.hpp"
#include "core/model/name_index.hpp"
#include "core/model/record_state.hpp"
#include "core/model/stay_status.hpp"

namespace shelter::core {

struct PersonSummary {
  Id16 id, household, shelter;
  std::string name, kana, dob, sex;
  std::string event, place;  // latest stay event ("" = never checked in)
  std::vector<std::string> needs;
  bool conflict = false;
  // Where the person is by the whereabouts rule (core/model/stay_status.hpp).
  Whereabouts where() const { return WhereaboutsOf(event, place); }
  bool InShelter() const { return where() == Whereabouts::kInShelter; }
};

struct StaySummary {
  Id16 id, person;  // person: the record the stay was written for (maybe one merged away)
  int64_t hlc = 0;
  std::string event, place;
  Id16 undoes;          // an "undone" event: the stay it cancels
  bool undone = false;  // an "undone" event cancels this one
};

struct ShelterCounts {
  int64_t persons = 0, households = 0;
  // One per Whereabouts; persons is their sum.
  int64_t in_shelter = 0, out = 0, at_home = 0, in_car = 0, elsewhere = 0, never_arrived = 0,
          left = 0;
  int64_t& Of(Whereabouts w) {
    int64_t* k[] = {&in_shelter, &out, &at_home, &in_car, &elsewhere, &never_arrived, &left};
    return *k[static_cast<size_t>(w)];
  }
  // Of the people in the shelter, those with a 要配慮者 need (HQ's Population counts the same).
  int64_t in_shelter_with_needs = 0;
  int64_t conflicts = 0;
};

class State : public Materializer {
 public:
  // ":memory:" (tablets) or a file path (HQ).
  static Result<std::unique_ptr<State>> Open(const std::string& path);

  Db& db() { return *db_; }
  Status Clear();

  std::optional<AppliedTip> Tip(const Id16& device) const override;
  Result<bool> ApplySegment(const SegmentHeader& h, const Hash32& hash,
                            const std::vector<Op>& ops) override;

  // Applies this device's own ops before they are sealed into a segment (a device that seals on
  // demand): its tip's seq moves on, its number and hash wait for the segment, which
  // ApplySegment then takes without applying its ops again. Returns false (and changes nothing)
  // unless ops[0] follows the device's applied seq. REQUIRES: ops non-empty, consecutive seqs.
  Result<bool> ApplyUnsealed(const Id16& device, const Id16& scope, const std::vector<Op>& ops);

  Result<std::optional<RecordState>> Get(const Id16& id);
  Result<Hash32> StateHash();

  // Search by name (kana or kanji; width, kana type and spacing folded) or by birth date
  // (YYYY, YYYY-MM, YYYY-MM-DD or Japanese era forms).
  Result<std::vector<PersonSummary>> SearchPersons(std::string_view query, size_t limit = 50);
  // Persons (also deleted or merged-away ones) indexed under exactly `key` (a NameSearchKeys key
  // of their 氏名 or ふりがな), in id order, at most `limit`.
  std::vector<Id16> PersonsWithNameKey(std::string_view key, size_t limit);
  Result<std::vector<PersonSummary>> Roster(const Id16& shelter);  // zero id = all shelters
  Result<std::vector<PersonSummary>> Members(const Id16& household);
  // One person (not deleted or merged away), or nullopt.
  Result<std::optional<PersonSummary>> FindPerson(const Id16& person);
  Result<ShelterCounts> Counts(const Id16& shelter);
  // Persons (also merged-away ones) and households with a conflicted field, by id.
  Result<std::vector<Id16>> ConflictedRecords();
  Result<std::vector<Id16>> RecordsOfType(RecordType type);

  // Merged persons (`_merged`, core/FORMATS.md): a person merged into a visible person is hidden
  // from search, rosters and counts. The record a person now resolves to (itself when not merged
  // or when its target is not in this state); kNotFound for an unknown person.
  Result<Id16> CanonicalPerson(const Id16& person);
  // Persons that resolve to `person` through one or more merges, excluding itself.
  Result<std::vector<Id16>> MergedFrom(const Id16& person);
  // The stay events of a person and of every person merged into it, oldest first, "undone"
  // events and the events they cancel included (marked).
  Result<std::vector<StaySummary>> Stays(const Id16& person);

 private:
  explicit State(std::unique_ptr<Db> db) : db_(std::move(db)) {}
  Status CreateSchema();
  Status LoadTips();
  Status LoadNames();
  Status ApplyOp(const Op& op, const Id16& scope);
  // `is_new`: the record was not in the state before this op; `names_changed`: the op wrote the
  // name or the kana, so the person's name keys may change.
  Status Reindex(const RecordState& r, bool is_new, bool names_changed);
  // The latest stay event of a person and of the persons merged into it (state_merge.cpp); when
  // the person is itself merged away, also refreshes the person it resolves to.
  Status RefreshPersonStatus(const Id16& person);
  Status RefreshOwnStatus(const Id16& person);

  struct MergeLink {
    bool removed = false;
    bool hidden = false;  // merged into a visible person
    Id16 into;            // zero: not merged
  };
  Result<std::optional<MergeLink>> LoadMergeLink(const Id16& person);
  // Recomputes the hidden flag of `person`, of the persons on its old and new merge chains and,
  // when it appeared or its delete flag changed, of the persons merged into it.
  Status RefreshMergeVisibility(const Id16& person, const Id16& old_into, const Id16& new_into,
                                bool referrers);
  Status UpdateMergeVisibility(const Id16& person);

  std::unique_ptr<Db> db_;
  // Name keys of every person; changes made by a segment are staged in pending_names_ and reach
  // the index only when the segment's transaction commits, so a rolled-back segment leaves none.
  NameIndex names_;
  struct NameChange {
    Id16 person;
    std::string name, kana;
  };
  std::vector<NameChange> pending_names_;
  // After a transaction that applied ops committed: its staged name changes into names_.
  void PublishNames();
  std::map<Id16, AppliedTip> tips_;
  // Device -> seq of its first op applied by ApplyUnsealed and not yet in an applied segment.
  std::map<Id16, uint64_t> unsealed_from_;
  int64_t pending_superseded_ = 0;
  int64_t merge_links_ = 0;  // person_index rows with merged_into set
};

}  // namespace shelter::core
