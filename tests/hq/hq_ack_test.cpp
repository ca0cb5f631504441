// Specifies sync/hq/hq_node.
// HQ group commit: IngestSegment() commits to the log without waiting for the disk, Flush()
// syncs the whole group once (the acknowledgement point), and a failed sync is reported, never
// acknowledged. A group the writer thread fails to write stops ingest; the log still has it.
#include <doctest/doctest.h>

#include <atomic>
#include <memory>

#include "core/ops/households.hpp"
#include "sync/hq/hq_node.hpp"
#include "sync/hq/hq_queries.hpp"
#include "tests/support/fault_vfs.hpp"
#include "tests/support/test_shelter.hpp"

using namespace shelter;
using namespace shelter::core;
using namespace shelter::hq;

namespace {

// `n` one-person households checked in on tablet 0; every segment of its log.
std::vector<Bytes> RegisterPeople(test::TestShelter& t, int n, const std::string& name) {
  for (int i = 0; i < n; ++i) {
    Household h;
    Person p;
    p.name = name + " " + std::to_string(i);
    p.kana = "かきこみ";
    p.dob = "1980-02-02";
    p.sex = i % 2 ? "male" : "female";
    h.members.push_back(p);
    REQUIRE(RegisterHousehold(t.tablet(0), h, t.shelter_id(), true).ok());
  }
  std::vector<Bytes> segs = test::LogSegments(t.tablet(0));
  REQUIRE(segs.size() >= static_cast<size_t>(n));
  return segs;
}

// A connection whose table writes fail while `fail` is set (a full disk, a lost server).
class FailingConn : public SqlConn {
 public:
  FailingConn(std::unique_ptr<SqlConn> real, std::shared_ptr<std::atomic<bool>> fail)
      : real_(std::move(real)), fail_(std::move(fail)) {}
  bool postgres() const override { return real_->postgres(); }
  Status Exec(std::string_view sql) override { return real_->Exec(sql); }
  Result<std::vector<SqlRow>> Query(std::string_view sql,
                                    const std::vector<SqlValue>& params) override {
    return real_->Query(sql, params);
  }
  Status Upsert(const std::string& table, const std::vector<std::string>& columns,
                size_t key_columns, const std::vector<std::vector<SqlValue>>& rows) override {
    if (*fail_) return MakeError(ErrorCode::kIo, "database or disk is full");
    return real_->Upsert(table, columns, key_columns, rows);
  }
  Status Begin() override { return real_->Begin(); }
  Status Commit() override { return real_->Commit(); }
  void Rollback() override { real_->Rollback(); }

 private:
  std::unique_ptr<SqlConn> real_;
  std::shared_ptr<std::atomic<bool>> fail_;
};

}  // namespace

TEST_CASE("HQ: ingest syncs the log once per group, at Flush(), a failed sync is an error") {
  test::TestShelter t(1);
  std::vector<Bytes> segs = RegisterPeople(t, 6, "同期");
  std::string dir = t.root() + "/hq";
  REQUIRE(t.admin().EnrollDevice(dir, {}, DeviceRole::kHq, "hq", "lead", "5678").ok());
  NodeOptions opts = t.options();
  opts.vfs = test::RegisterFaultVfs();  // the log goes through the counting VFS
  {
    auto hq = HqNode::Open(dir, "", "lead", "5678", opts);
    REQUIRE_MESSAGE(hq.ok(), hq.error().ToString());
    test::SetFaultPlan({});
    for (size_t i = 0; i < 4; ++i) REQUIRE((*hq)->IngestSegment(View(segs[i])).ok());
    auto c = test::GetFaultCounters();
    CHECK(c.writes > 0);  // committed to the log ...
    CHECK(c.syncs == 0);  // ... without waiting for the disk
    REQUIRE((*hq)->Flush().ok());
    c = test::GetFaultCounters();
    CHECK(c.syncs >= 1);
    CHECK(c.syncs <= 2);  // one group, one sync (two if the WAL was checkpointed)
    // The disk fails the next sync: Flush() reports it, so nothing is acknowledged.
    test::SetFaultPlan({.fail_sync_at = 1});
    REQUIRE((*hq)->IngestSegment(View(segs[4])).ok());
    CHECK_FALSE((*hq)->Flush().ok());
    test::ClearFaults();
  }
  // Reopened: everything that was committed is there (the process did not lose it), and the
  // rest arrives again as new.
  auto hq = HqNode::Open(dir, "", "lead", "5678", opts);
  REQUIRE_MESSAGE(hq.ok(), hq.error().ToString());
  for (size_t i = 0; i < 4; ++i) CHECK_FALSE(*(*hq)->IngestSegment(View(segs[i])));
  for (size_t i = 4; i < segs.size(); ++i) REQUIRE((*hq)->IngestSegment(View(segs[i])).ok());
  REQUIRE((*hq)->Flush().ok());
  auto c = Summarize((*hq)->store().db());
  REQUIRE(c.ok());
  CHECK(c->total.persons == 6);
  test::ClearFaults();
}

TEST_CASE(
    "HQ: a group the writer thread cannot write stops ingest with the error, the log "
    "keeps every segment and a reopen counts them all") {
  test::TestShelter t(1);
  std::vector<Bytes> segs = RegisterPeople(t, 12, "書込");
  std::string dir = t.root() + "/hq";
  REQUIRE(t.admin().EnrollDevice(dir, {}, DeviceRole::kHq, "hq", "lead", "5678").ok());
  auto fail = std::make_shared<std::atomic<bool>>(false);
  {
    auto db = OpenSql(DefaultDbUrl(dir));
    REQUIRE(db.ok());
    auto hq = HqNode::Open(dir, std::make_unique<FailingConn>(std::move(*db), fail), "lead", "5678",
                           t.options());
    REQUIRE_MESSAGE(hq.ok(), hq.error().ToString());
    (*hq)->store().set_flush_ops(3);  // a group every few segments, written in the background
    for (size_t i = 0; i < 6; ++i) REQUIRE((*hq)->IngestSegment(View(segs[i])).ok());
    REQUIRE((*hq)->Flush().ok());
    auto half = Summarize((*hq)->store().db());
    REQUIRE(half.ok());
    // The tables hold what was applied (a registration may span two segments, so not always 6).
    CHECK(half->total.persons >= 3);
    CHECK(half->total.persons == (*hq)->store().CityTotal().Persons());
    *fail = true;  // the disk fills up
    Status first = Ok();
    size_t i = 6;
    for (; i < segs.size() && first.ok(); ++i) {
      auto r = (*hq)->IngestSegment(View(segs[i]));
      if (!r.ok()) first = r.error();
    }
    if (first.ok()) first = (*hq)->Flush();
    REQUIRE_FALSE(first.ok());
    CHECK(first.error().code == ErrorCode::kIo);
    CHECK(first.error().detail.find("full") != std::string::npos);
    // Nothing more is taken until the store is reopened: memory is ahead of the tables.
    *fail = false;
    CHECK_FALSE((*hq)->Flush().ok());
    if (i < segs.size()) CHECK_FALSE((*hq)->IngestSegment(View(segs[i])).ok());
  }
  // Reopened on the same tables: what the log holds is applied again, nothing counted twice.
  auto hq = HqNode::Open(dir, "", "lead", "5678", t.options());
  REQUIRE_MESSAGE(hq.ok(), hq.error().ToString());
  for (auto& s : segs) REQUIRE((*hq)->IngestSegment(View(s)).ok());
  REQUIRE((*hq)->Flush().ok());
  auto c = Summarize((*hq)->store().db());
  REQUIRE(c.ok());
  CHECK(c->total.persons == 12);
  auto named = QueryInt((*hq)->store().db(), "SELECT count(*) FROM persons WHERE name <> ''");
  REQUIRE(named.ok());
  CHECK(**named == 12);
}
