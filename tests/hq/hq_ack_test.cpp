// HQ group commit: IngestSegment() commits to the log without waiting for the disk, Flush()
// syncs the whole group once (the acknowledgement point), and a failed sync is reported, never
// acknowledged.
#include <doctest/doctest.h>

#include "core/registry.hpp"
#include "tests/support/fault_vfs.hpp"
#include "tests/support/test_shelter.hpp"
#include "tools/hq/hq_node.hpp"
#include "tools/hq/hq_queries.hpp"

using namespace shelter;
using namespace shelter::core;
using namespace shelter::hq;

TEST_CASE("HQ: ingest syncs the log once per group, at Flush(); a failed sync is an error") {
  test::TestShelter t(1);
  for (int i = 0; i < 6; ++i) {
    Household h;
    Person p;
    p.name = "同期 " + std::to_string(i);
    p.kana = "どうき";
    p.dob = "1970-01-01";
    p.sex = "female";
    h.members.push_back(p);
    REQUIRE(RegisterHousehold(t.tablet(0), h, t.shelter_id(), true).ok());
  }
  std::vector<Bytes> segs;
  REQUIRE(t.tablet(0).log().ForEachSegment([&](const Segment& s) {
    segs.push_back(s.wire);
    return Ok();
  }).ok());
  REQUIRE(segs.size() >= 6);
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
    CHECK(c.writes > 0);   // committed to the log ...
    CHECK(c.syncs == 0);   // ... without waiting for the disk
    REQUIRE((*hq)->Flush().ok());
    c = test::GetFaultCounters();
    CHECK(c.syncs >= 1);
    CHECK(c.syncs <= 2);   // one group, one sync (two if the WAL was checkpointed)
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
