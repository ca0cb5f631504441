// HQ's group commit as the hook of the sync store interface (HqNode::OnBatchEnd): the serve loop
// has written a session's data to the HQ tables before it reports the session, and while a long
// session goes on a poll flushes once segments arrived and kIdleFlush has passed.
#include <doctest/doctest.h>

#include <chrono>
#include <thread>

#include "core/ops/households.hpp"
#include "sync/node_peer.hpp"
#include "sync/tcp_link.hpp"
#include "tests/hq/hq_fixture.hpp"

using namespace shelter;
using namespace shelter::core;
using namespace shelter::hq;
using namespace std::chrono_literals;

namespace {

int64_t PersonsInTables(HqNode& hq) {
  auto c = Summarize(hq.store().db());
  REQUIRE_MESSAGE(c.ok(), c.error().ToString());
  return c->total.persons;
}

}  // namespace

TEST_CASE("hq serve: a session's data is in the HQ tables before the session is reported") {
  test::TestShelter t(1);
  REQUIRE(RegisterHousehold(t.tablet(0), test::Family(), t.shelter_id(), true).ok());
  test::Hq hq(t);
  REQUIRE(PersonsInTables(*hq.node) == 0);

  sync::ServeOptions o;
  o.bind = "127.0.0.1";
  o.port = 0;
  o.max_sessions = 1;
  std::thread client;
  Result<sync::TcpResult> synced = MakeError(ErrorCode::kInternal, "not run");
  o.on_listening = [&](uint16_t port) {
    client = std::thread([&, port] {
      sync::NodePeer tablet(t.tablet(0));
      sync::TcpOptions opts;
      opts.timeout = 10s;
      synced = sync::SyncOverTcp(tablet, "127.0.0.1", port, opts);
    });
  };
  int64_t persons_when_reported = -1;
  bool flushed = false;
  o.on_session = [&](const Result<sync::TcpResult>& r) {
    REQUIRE_MESSAGE(r.ok(), r.error().ToString());
    persons_when_reported = PersonsInTables(*hq.node);
    flushed = hq.node->last_flush().ok;
  };
  Status served = sync::ServeTcp(*hq.node, o);
  if (client.joinable()) client.join();
  REQUIRE_MESSAGE(served.ok(), served.error().ToString());
  REQUIRE_MESSAGE(synced.ok(), synced.error().ToString());
  CHECK(synced->stats.segments_sent >= 1);
  CHECK(persons_when_reported == 3);
  CHECK(flushed);
}

TEST_CASE(
    "hq serve: while a session goes on, a poll flushes once segments arrived and "
    "kIdleFlush has passed") {
  test::TestShelter t(1);
  REQUIRE(RegisterHousehold(t.tablet(0), test::Family(), t.shelter_id(), true).ok());
  test::Hq hq(t);
  for (const Bytes& wire : test::LogSegments(t.tablet(0)))
    REQUIRE(hq.node->IngestSegment(View(wire)).ok());
  REQUIRE(hq.node->OnBatchEnd(sync::BatchEnd::kPoll).ok());
  CHECK(PersonsInTables(*hq.node) == 0);  // too soon after the last flush
  std::this_thread::sleep_for(HqNode::kIdleFlush + 100ms);
  REQUIRE(hq.node->OnBatchEnd(sync::BatchEnd::kPoll).ok());
  CHECK(PersonsInTables(*hq.node) == 3);
  CHECK(hq.node->last_flush().ok);
}
