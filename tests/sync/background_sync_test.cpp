// BackgroundSync on loopback: two tablets of one shelter, each syncing on its own thread while
// the test thread uses the nodes under the same mutex: a write pushed at once by Kick, a locked
// screen that still syncs, a log out that pauses, an idle pair that sends nothing, and the sync
// settings' text form.
#include <doctest/doctest.h>

#include <chrono>
#include <thread>

#include "core/model/entities.hpp"
#include "sync/background_sync.hpp"
#include "sync/node_peer.hpp"
#include "tests/support/test_shelter.hpp"

using namespace shelter;
using namespace shelter::core;
using shelter::test::TestShelter;

namespace {

int64_t WallMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

template <typename F>
bool WaitFor(F done, int ms = 10'000) {
  for (int waited = 0; waited < ms; waited += 20) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return done();
}

Id16 AddPerson(Node& n, sync::StoreMutex& mu, const Id16& scope, const std::string& name) {
  std::lock_guard<sync::StoreMutex> lock(mu);
  Id16 id = Id16::Random();
  auto r = n.Commit(scope, {{id, RecordType::kPerson, {{field::kName, cbor::Item(name)}}}});
  REQUIRE_MESSAGE(r.ok(), r.error().ToString());
  return id;
}

bool Holds(Node& n, sync::StoreMutex& mu, const Id16& id) {
  std::lock_guard<sync::StoreMutex> lock(mu);
  auto r = n.state().Get(id);
  return r.ok() && r->has_value();
}

// Tablet 1 listens on a free loopback port; tablet 0 dials it as a configured peer.
struct Pair {
  TestShelter shelter{2};
  sync::StoreMutex mu0, mu1;
  sync::NodePeer p0{shelter.tablet(0)}, p1{shelter.tablet(1)};
  sync::BackgroundSync s0{p0, mu0, WallMs}, s1{p1, mu1, WallMs};
  uint16_t port1 = 0;

  Pair() {
    sync::SyncConfig c;
    c.bind = "127.0.0.1";
    c.port = 0;
    c.discovery = false;
    c.peer_interval = std::chrono::seconds(3600);  // only Kick makes a session
    s1.Start(c);
    REQUIRE(WaitFor([&] { return s1.Snapshot().port != 0; }));
    port1 = s1.Snapshot().port;
    c.peers = {"127.0.0.1:" + std::to_string(port1)};
    s0.Start(c);
    // The first dial happens at start.
    REQUIRE(WaitFor([&] { return s0.Snapshot().sessions >= 1; }));
  }
};

}  // namespace

TEST_CASE("background sync: a write on one tablet reaches the other when it is kicked") {
  Pair t;
  Id16 scope = t.shelter.shelter_id();
  uint64_t before = t.s1.arrived();
  Id16 id = AddPerson(t.shelter.tablet(0), t.mu0, scope, "山田 太郎");
  t.s0.Kick();
  REQUIRE(WaitFor([&] { return t.s1.arrived() > before; }));
  CHECK(Holds(t.shelter.tablet(1), t.mu1, id));
  // The peer's row: its label from the certificate, in sync, nothing behind.
  REQUIRE(WaitFor([&] {
    auto snap = t.s0.Snapshot();
    return snap.peers.size() == 1 && snap.peers[0].in_sync && snap.peers[0].segments_out >= 1;
  }));
  auto row = t.s0.Snapshot().peers[0];
  CHECK(row.configured);
  CHECK_FALSE(row.label.empty());
  CHECK(row.behind == 0);
  CHECK(row.last_sync_ms > 0);
}

TEST_CASE("background sync: a locked tablet keeps syncing and a logged-out one pauses") {
  Pair t;
  {
    std::lock_guard<sync::StoreMutex> lock(t.mu1);
    t.shelter.tablet(1).Lock();  // the screen locked, the keys kept
  }
  Id16 id = AddPerson(t.shelter.tablet(0), t.mu0, t.shelter.shelter_id(), "佐藤 花子");
  t.s0.Kick();
  REQUIRE(WaitFor([&] { return Holds(t.shelter.tablet(1), t.mu1, id); }));
  {
    std::lock_guard<sync::StoreMutex> lock(t.mu1);
    t.shelter.tablet(1).Logout();  // the keys are gone: no session can be answered
  }
  REQUIRE(WaitFor([&] { return t.s1.Snapshot().locked && !t.s1.Snapshot().running; }));
}

TEST_CASE(
    "background sync: a tablet with nothing new makes no session, and counts what a peer lacks") {
  Pair t;
  uint64_t sessions = t.s0.Snapshot().sessions;
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  CHECK(t.s0.Snapshot().sessions == sessions);
  CHECK(t.s1.Snapshot().sessions <= sessions);
  // A local write not pushed yet: the peer's row counts the segment it lacks after a recount
  // (Kick recounts before it dials).
  t.s1.Stop();
  AddPerson(t.shelter.tablet(0), t.mu0, t.shelter.shelter_id(), "鈴木 一郎");
  t.s0.Kick();
  REQUIRE(WaitFor([&] {
    auto snap = t.s0.Snapshot();
    return !snap.peers.empty() && snap.peers[0].behind == 1 && !snap.peers[0].in_sync &&
           snap.peers[0].last_error.has_value();
  }));
  CHECK(t.s0.Snapshot().peers[0].next_try_ms > WallMs());
}

TEST_CASE("sync settings: read back as written, and a bad value is named, never half-applied") {
  sync::SyncConfig c;
  c.port = 40001;
  c.peers = {"192.0.2.10:47475", "[2001:db8::1]:47475"};
  c.hq = "hq.example.jp:47400";
  c.discovery = false;
  auto back = sync::ParseSyncConfig(sync::FormatSyncConfig(c));
  REQUIRE(back.ok());
  CHECK(back->port == 40001);
  CHECK(back->peers == c.peers);
  CHECK(back->hq == c.hq);
  CHECK_FALSE(back->discovery);
  for (const char* bad :
       {"port=70000", "port=x", "hq=nohostport", "peers=a:1,b", "enabled=maybe", "beacon_port=0"}) {
    auto r = sync::ParseSyncConfig(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::kInvalidArgument);
  }
  CHECK(sync::ParseSyncConfig("# comment\n\nunknown=1\r\nport=0\n")->port == 0);
  CHECK_FALSE(sync::ParseSyncConfig(std::string(70'000, 'x')).ok());
}

TEST_CASE("peer book: a configured peer that dialled first is one row, not two") {
  sync::PeerBook book;
  book.Configure({"192.0.2.7:47475"});
  book.OnDial("192.0.2.7:47475", MakeError(ErrorCode::kIo, "cannot connect: refused"), 5000, 1000);
  REQUIRE(book.rows().size() == 1);
  CHECK(book.rows()[0].last_error == ErrorCode::kIo);
  sync::TcpResult r;
  Id16 device = Id16::Random();
  r.peer_device = device.Hex();
  r.peer_address = "192.0.2.7";
  r.stats.segments_new = 3;
  book.OnSession(r, {{device, 3}}, nullptr, 2000);
  auto rows = book.rows();
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].device == device);
  CHECK(rows[0].configured);
  CHECK(rows[0].in_sync);
  CHECK(rows[0].segments_in == 3);
  // The next dial of that address lands on the same row.
  book.OnDial("192.0.2.7:47475", r, 9000, 3000);
  CHECK(book.rows().size() == 1);
  CHECK_FALSE(book.rows()[0].last_error.has_value());
  // A session refused is listed as a refusal, a peer that is simply away is not.
  book.OnSession(MakeError(ErrorCode::kPermissionDenied, "untrusted"), {}, nullptr, 4000);
  book.OnSession(MakeError(ErrorCode::kIo, "cannot connect: refused"), {}, nullptr, 4000);
  REQUIRE(book.refusals().size() == 1);
  CHECK(book.refusals()[0].code == ErrorCode::kPermissionDenied);
  // Local writes since the last session: the peer lacks them.
  book.Recount({{device, 3}, {Id16::Random(), 2}});
  CHECK(book.rows()[0].behind == 2);
  CHECK_FALSE(book.rows()[0].in_sync);
  CHECK(sync::SegmentsBeyond({{device, 5}}, {{device, 3}}) == 2);
}

TEST_CASE("background sync: low-power mode restarts the loop with the longer intervals") {
  Pair t;
  t.s0.SetLowPower(true);
  CHECK(t.s0.config().low_power);
  REQUIRE(WaitFor([&] { return t.s0.Snapshot().low_power && t.s0.Snapshot().running; }));
  // The restarted loop still pushes a local change at once.
  Id16 id = AddPerson(t.shelter.tablet(0), t.mu0, t.shelter.shelter_id(), "高橋 次郎");
  t.s0.Kick();
  REQUIRE(WaitFor([&] { return Holds(t.shelter.tablet(1), t.mu1, id); }));
  t.s0.SetLowPower(false);
  CHECK_FALSE(t.s0.config().low_power);
}
