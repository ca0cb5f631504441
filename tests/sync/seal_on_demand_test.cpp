// Specifies core/node/node_seal (NodeOptions::seal_on_demand) with sync/session and sync/bundle:
// a tablet that seals on demand keeps its commits durable, encrypted and unsealed until a peer
// or a bundle asks, then sends them as one segment; everything converges as with one segment per
// commit, and the in-sync check stays one round trip that writes nothing.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "core/model/entities.hpp"
#include "sync/bundle.hpp"
#include "sync/node_peer.hpp"
#include "sync/session.hpp"
#include "tests/support/test_shelter.hpp"
#include "tests/sync/sync_harness.hpp"

using namespace shelter;
using namespace shelter::core;
using shelter::test::RunLink;
using shelter::test::TestShelter;

namespace {

NodeOptions SealingOptions(const TestShelter& s) {
  NodeOptions o = s.options();
  o.seal_on_demand = true;
  return o;
}

Id16 Register(Node& n, const Id16& scope, const std::string& name) {
  Id16 id = Id16::Random();
  auto r = n.Commit(scope,
                    {{id,
                      RecordType::kPerson,
                      {{field::kName, cbor::Item(name)}, {field::kStatus, cbor::Item("arrive")}}}});
  REQUIRE_MESSAGE(r.ok(), r.error().ToString());
  return id;
}

void SetStatus(Node& n, const Id16& scope, const Id16& id, const std::string& status) {
  auto r = n.Commit(scope, {{id, RecordType::kPerson, {{field::kStatus, cbor::Item(status)}}}});
  REQUIRE_MESSAGE(r.ok(), r.error().ToString());
}

int64_t Segments(Node& n) { return n.log().SegmentCount().value(); }
Hash32 StateHash(Node& n) { return n.state().StateHash().value(); }

std::string FileText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

TEST_CASE("unsealed commits are durable, encrypted on disk and shown before any segment exists") {
  TestShelter s(1);
  s.Reopen(0, SealingOptions(s));
  Node& t = s.tablet(0);
  int64_t before = Segments(t);
  Id16 a = Register(t, s.shelter_id(), "UNSEALED-CANARY-A");
  SetStatus(t, s.shelter_id(), a, "leave");
  CHECK(Segments(t) == before);
  CHECK(t.unsealed_ops() == 2);
  auto rec = t.state().Get(a);
  REQUIRE(rec.ok());
  REQUIRE(rec->has_value());
  CHECK((*rec)->fields[field::kStatus].size() == 1);  // the edit superseded the registration
  Hash32 shown = StateHash(t);

  s.Reopen(0, SealingOptions(s));  // a restart, as after kill -9: the commits were durable
  Node& again = s.tablet(0);
  CHECK(again.unsealed_ops() == 2);
  CHECK(StateHash(again) == shown);
  std::string dir = s.tablet_dir(0);
  for (const char* f : {"/log.db", "/log.db-wal"})
    if (std::filesystem::exists(dir + f))
      CHECK(FileText(dir + f).find("UNSEALED-CANARY") == std::string::npos);
}

TEST_CASE("a session seals a day of single edits into one segment and both sides converge") {
  TestShelter s(2);
  s.Reopen(0, SealingOptions(s));
  Node& a = s.tablet(0);
  Node& b = s.tablet(1);
  REQUIRE(RunLink(a, b).finished);
  int64_t before = Segments(a);
  std::vector<Id16> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(Register(a, s.shelter_id(), "p" + std::to_string(i)));
  // Later edits supersede earlier ones that end up in the same segment.
  for (int i = 0; i < 5; ++i) SetStatus(a, s.shelter_id(), ids[i], "leave");
  SetStatus(a, s.shelter_id(), ids[0], "arrive");
  Hash32 a_before = StateHash(a);

  auto run = RunLink(a, b);
  REQUIRE(run.finished);
  CHECK(run.stats_a.segments_sent == 1);
  CHECK(Segments(a) == before + 1);
  CHECK(a.unsealed_ops() == 0);
  CHECK(StateHash(a) == a_before);  // sealing changes the log, not what the tablet shows
  CHECK(StateHash(b) == StateHash(a));
  // A refold from the log alone gives the same state on both.
  REQUIRE(a.Rebuild().ok());
  REQUIRE(b.Rebuild().ok());
  CHECK(StateHash(a) == a_before);
  CHECK(StateHash(b) == a_before);

  // Already in sync: one round trip, nothing sealed or stored.
  auto idle = RunLink(a, b);
  REQUIRE(idle.finished);
  CHECK(idle.stats_a.in_sync);
  CHECK(idle.flights == 4);  // the handshake, HELLO riding on its last message, the answer
  CHECK(idle.bytes_ab + idle.bytes_ba - idle.stats_a.handshake_bytes_out -
            idle.stats_b.handshake_bytes_out <=
        100);
  CHECK(Segments(a) == before + 1);
}

TEST_CASE("unsealed ops change the beacon digest, so peers still dial") {
  TestShelter s(2);
  s.Reopen(0, SealingOptions(s));
  Node& a = s.tablet(0);
  REQUIRE(RunLink(a, s.tablet(1)).finished);
  sync::NodePeer pa(a), pb(s.tablet(1));
  REQUIRE(sync::HelloDigest(pa).value() == sync::HelloDigest(pb).value());
  Register(a, s.shelter_id(), "new");
  CHECK(sync::HelloDigest(pa).value() != sync::HelloDigest(pb).value());
}

TEST_CASE("a bundle export seals first, and the bundle carries the unsealed commits") {
  TestShelter s(2);
  s.Reopen(0, SealingOptions(s));
  Node& a = s.tablet(0);
  Id16 id = Register(a, s.shelter_id(), "bundled");
  sync::NodePeer pa(a), pb(s.tablet(1));
  auto bundle = sync::ExportBundle(pa);
  REQUIRE(bundle.ok());
  CHECK(a.unsealed_ops() == 0);
  REQUIRE(sync::ImportBundle(pb, View(*bundle)).ok());
  auto rec = s.tablet(1).state().Get(id);
  REQUIRE(rec.ok());
  CHECK(rec->has_value());
  CHECK(StateHash(s.tablet(1)) == StateHash(a));
}

TEST_CASE("a commit that seals at once first seals what an earlier run left unsealed") {
  TestShelter s(2);
  s.Reopen(0, SealingOptions(s));
  Id16 id = Register(s.tablet(0), s.shelter_id(), "left unsealed");
  int64_t before = Segments(s.tablet(0));
  s.Reopen(0);  // the command line on the same data directory: one segment per commit
  Node& a = s.tablet(0);
  CHECK(a.unsealed_ops() == 1);
  SetStatus(a, s.shelter_id(), id, "leave");
  CHECK(a.unsealed_ops() == 0);
  CHECK(Segments(a) == before + 2);  // the unsealed op's segment, then the commit's, chained
  REQUIRE(RunLink(a, s.tablet(1)).finished);
  CHECK(StateHash(s.tablet(1)) == StateHash(a));
  auto rec = s.tablet(1).state().Get(id);
  REQUIRE(rec.ok());
  REQUIRE(rec->has_value());
  CHECK((*rec)->fields[field::kStatus].size() == 1);
}

TEST_CASE("sealing after a key rotation writes the newest epoch the device holds") {
  TestShelter s(3);
  s.Reopen(0, SealingOptions(s));
  Node& a = s.tablet(0);
  Register(a, s.shelter_id(), "committed before the grant arrived");
  auto epoch = s.admin().RevokeDevice(s.tablet(2).device().device);
  REQUIRE(epoch.ok());
  auto items = s.admin().TrustItems();
  REQUIRE(items.ok());
  for (auto& item : *items) REQUIRE(a.AddTrustItem(View(item)).ok());
  CHECK(a.unsealed_ops() == 1);
  REQUIRE(a.SealUnsealed().ok());
  auto tip = a.log().Tip(a.device().device);
  REQUIRE(tip.ok());
  auto seg = a.log().GetSegment(a.device().device, (*tip)->number);
  REQUIRE(seg.ok());
  CHECK((*seg)->header.epoch == *epoch);  // the revoked tablet cannot read it
  REQUIRE(RunLink(a, s.tablet(1)).finished);
  CHECK(StateHash(s.tablet(1)) == StateHash(a));
}

TEST_CASE("the command line beside a sealing app: neither reuses the other's seqs") {
  TestShelter s(2);
  s.Reopen(0, SealingOptions(s));
  Node& app = s.tablet(0);
  Id16 a = Register(app, s.shelter_id(), "by the app");
  auto cli = s.OpenLoggedIn(s.tablet_dir(0));  // seals at commit, on the same directory
  REQUIRE(cli);
  CHECK(cli->unsealed_ops() == 1);
  Id16 b = Register(*cli, s.shelter_id(), "by the command line");  // seals the app's op first
  CHECK(cli->unsealed_ops() == 0);
  // The app has not looked at the log since: its commit must still get a fresh seq.
  Id16 c = Register(app, s.shelter_id(), "by the app again");
  REQUIRE(app.SealUnsealed().ok());
  REQUIRE(RunLink(app, s.tablet(1)).finished);
  CHECK(StateHash(s.tablet(1)) == StateHash(app));
  for (const Id16& id : {a, b, c}) {
    auto rec = s.tablet(1).state().Get(id);
    REQUIRE(rec.ok());
    CHECK(rec->has_value());
  }
}
