// HqStore: the headquarters materializer. Node hands it every verified, decrypted segment
// (core::Materializer); it keeps per-person rows built for aggregation (shelter, whereabouts,
// sex, age band, 要配慮者 bits), maintains per-shelter counts incrementally in memory, and writes
// the changes of a group of segments, their tips and the touched shelters' counts in one database
// transaction, on a writer thread (hq_batch.hpp).
// The database (SQLite or PostgreSQL, see sql_conn.hpp) is what queries read (hq_queries.hpp).
// One thread at a time.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/base/hlc.hpp"
#include "core/formats/status_report.hpp"
#include "core/log/materializer.hpp"
#include "sync/hq/hq_batch.hpp"
#include "sync/hq/sql_conn.hpp"

namespace shelter::hq {

// Where a registered person is now (core::State::Counts uses the same classes).
enum Whereabouts : uint8_t {
  kInShelter,
  kOut,
  kAtHome,
  kInCar,
  kElsewhere,
  kNeverArrived,
  kWhereCount
};
const char* WhereaboutsName(size_t w);
enum SexClass : uint8_t { kMale, kFemale, kSexOther, kSexCount };
const char* SexClassName(size_t s);
inline constexpr size_t kNeedBits = 32;  // NeedCodes() only ever grows; 16 today

struct ShelterAgg {
  std::array<std::array<std::array<int64_t, core::kAgeBands>, kSexCount>, kWhereCount> cells{};
  std::array<std::array<int64_t, kNeedBits>, kWhereCount> needs{};
  std::array<int64_t, kWhereCount> with_needs{};  // people with a 要配慮者 need, by whereabouts
  int64_t households = 0;  // households with at least one registered member here
  int64_t data_ms = 0;     // newest op time (HLC wall part) seen in this shelter's scope
  int64_t Where(size_t w) const;
  int64_t Persons() const;
};

struct PersonRec;
struct HouseholdRec;

class HqStore : public core::Materializer {
 public:
  // Opens (migrating) the database and loads what ingest needs into memory. `now_ms` is the clock
  // for age bands and trend buckets (tests inject one).
  static Result<std::unique_ptr<HqStore>> Open(
      std::unique_ptr<SqlConn> db, core::HlcClock::NowMs now_ms = core::HlcClock::SystemNowMs);
  ~HqStore() override;

  std::optional<core::AppliedTip> Tip(const core::Id16& device) const override;
  // Applies in memory; the database is written in groups by Flush() (HqNode calls it once
  // flush_due(), after the log is synced, so the tables never get ahead of the durable log).
  // A crash loses only unflushed groups, whose segments are in the node's log and are applied
  // again at the next login (the stored tips move with the rows).
  Result<bool> ApplySegment(const core::SegmentHeader& h, const core::Hash32& hash,
                            const std::vector<core::Op>& ops) override;

  // Writes everything applied so far, with the tips, in one transaction, and waits for it.
  Status Flush();
  // The same, handed to the writer thread: returns once the previous group is written and this
  // one is staged, so the caller applies the next group while this one is written.
  Status FlushAsync();
  static constexpr size_t kFlushOps = 200'000;
  bool flush_due() const { return pending_ops_ >= flush_ops_; }
  void set_flush_ops(size_t n) { flush_ops_ = n; }  // the group size (tests make it small)

  // In-memory counts (the database has them after Flush()).
  const std::map<core::Id16, ShelterAgg>& counts() const { return aggs_; }
  ShelterAgg CityTotal() const;
  SqlConn& db();  // once the writer is idle
  BatchWriter::Times writer_times() { return writer_->times(); }
  size_t person_count() const;

 private:
  HqStore(std::unique_ptr<SqlConn> db, core::HlcClock::NowMs now_ms);
  Status Load();
  Status ApplyOp(const core::Op& op, const core::Id16& scope);
  void ApplyPerson(const core::Op& op);
  void ApplyHousehold(const core::Op& op);
  void ApplyStay(const core::Op& op);
  void ApplyShelter(const core::Op& op, const core::Id16& scope);
  // The merge rule (core/model/merge_rule.hpp) over the persons held here.
  bool HiddenByMerge(const core::Id16& id, const PersonRec& p) const;
  // Re-decides, and re-counts, the persons whose visibility may follow `person`'s merge link.
  void RefreshMerges(const core::Id16& person, const core::Id16& old_into,
                     const core::Id16& new_into);
  void Contribute(const core::Id16& id, PersonRec& p, int sign);
  ShelterAgg& AggOf(const core::Id16& shelter);  // marks it changed
  WriteBatch Stage();                            // the changed rows, marked clean
  void Rebase();  // recompute every contribution (age bands move with the date)

  std::unique_ptr<SqlConn> db_;
  std::unique_ptr<BatchWriter> writer_;  // after db_: stops before the connection closes
  core::HlcClock::NowMs now_ms_;
  int64_t band_day_ = 0;  // the UTC day the age bands refer to
  bool poisoned_ = false;
  std::map<core::Id16, core::AppliedTip> tips_;
  std::set<core::Id16> dirty_tips_;
  size_t pending_ops_ = 0, flush_ops_ = kFlushOps;
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::map<core::Id16, ShelterAgg> aggs_;
  ShelterAgg* agg_memo_ = nullptr;  // AggOf's last answer, until the dirty set is cleared
  core::Id16 agg_memo_id_;
};

}  // namespace shelter::hq
