// Sync sessions between real nodes over an in-memory link: convergence, the one-round-trip
// in-sync check and its size, relaying unreadable scopes, resuming after a cut, and peers that
// must be refused (another municipality, revoked, wrong version).
#include <doctest/doctest.h>

#include <fstream>
#include <iterator>

#include "core/model/entities.hpp"
#include "tests/support/test_shelter.hpp"
#include "tests/sync/sync_harness.hpp"

using namespace shelter;
using namespace shelter::core;
using shelter::test::RunLink;
using shelter::test::TestShelter;

namespace {

std::vector<Dot> AddPeople(Node& n, const Id16& scope, int count, const std::string& tag) {
  std::vector<OpDraft> drafts;
  for (int i = 0; i < count; ++i)
    drafts.push_back({Id16::Random(),
                      RecordType::kPerson,
                      {{field::kName, cbor::Item(tag + " " + std::to_string(i))},
                       {field::kNote, cbor::Item(std::string(40, 'x'))}}});
  auto r = n.Commit(scope, drafts);
  REQUIRE_MESSAGE(r.ok(), r.error().ToString());
  return *r;
}

Hash32 StateHash(Node& n) {
  auto h = n.state().StateHash();
  REQUIRE(h.ok());
  return *h;
}

std::string Slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), {});
}

}  // namespace

TEST_CASE("session: two tablets converge, then one round trip of under 100 bytes when in sync") {
  TestShelter sh(2);
  AddPeople(sh.tablet(0), sh.shelter_id(), 30, "a");
  AddPeople(sh.tablet(1), sh.shelter_id(), 20, "b");
  CHECK(StateHash(sh.tablet(0)) != StateHash(sh.tablet(1)));

  auto run = RunLink(sh.tablet(0), sh.tablet(1));
  REQUIRE_MESSAGE(run.a.ok(), run.a.error().ToString());
  REQUIRE_MESSAGE(run.b.ok(), run.b.error().ToString());
  CHECK(run.finished);
  CHECK(!run.stats_a.in_sync);
  CHECK(run.stats_a.segments_new == 1);
  CHECK(run.stats_b.segments_new == 1);
  CHECK(StateHash(sh.tablet(0)) == StateHash(sh.tablet(1)));

  auto again = RunLink(sh.tablet(1), sh.tablet(0));
  REQUIRE(again.a.ok());
  REQUIRE(again.b.ok());
  CHECK(again.finished);
  CHECK(again.stats_a.in_sync);
  CHECK(again.stats_b.in_sync);
  // Handshake: 3 flights; in-sync check: the two hellos, which cross (one round trip).
  CHECK(again.flights == 4);
  uint64_t after_handshake = again.stats_a.bytes_out - again.stats_a.handshake_bytes_out +
                             again.stats_b.bytes_out - again.stats_b.handshake_bytes_out;
  MESSAGE("in-sync check: " << after_handshake << " B after a handshake of "
                            << again.stats_a.handshake_bytes_out + again.stats_b.handshake_bytes_out
                            << " B");
  CHECK(after_handshake <= 100);
  CHECK(again.stats_a.segments_sent == 0);
}

TEST_CASE("session: a tablet of another shelter relays segments it cannot read") {
  TestShelter sh(2);
  auto& admin = sh.admin();
  Id16 other = DerivedId("shelter", "E1310100000002");
  std::string relay_dir = sh.root() + "/relay";
  std::string hq_dir = sh.root() + "/hq";
  REQUIRE(admin.EnrollDevice(relay_dir, other, DeviceRole::kTablet, "relay", "lead", "5678").ok());
  REQUIRE(admin.EnrollDevice(hq_dir, Id16{}, DeviceRole::kHq, "hq", "lead", "5678").ok());
  auto relay = sh.OpenLoggedIn(relay_dir);
  auto hq = sh.OpenLoggedIn(hq_dir);
  CHECK(!relay->HasScopeKey(sh.shelter_id()));

  const std::string canary = "CANARYRELAY42";
  AddPeople(sh.tablet(0), sh.shelter_id(), 10, canary);
  auto r1 = RunLink(sh.tablet(0), *relay);
  REQUIRE_MESSAGE(r1.a.ok(), r1.a.error().ToString());
  REQUIRE_MESSAGE(r1.b.ok(), r1.b.error().ToString());
  CHECK(r1.finished);
  CHECK(r1.stats_b.segments_new >= 1);  // stored, verified, not readable
  auto people = relay->state().RecordsOfType(RecordType::kPerson);
  REQUIRE(people.ok());
  CHECK(people->empty());

  auto r2 = RunLink(*relay, *hq);
  REQUIRE(r2.a.ok());
  REQUIRE(r2.b.ok());
  auto hq_people = hq->state().RecordsOfType(RecordType::kPerson);
  REQUIRE(hq_people.ok());
  CHECK(hq_people->size() == 10);

  // Back to the shelter through the relay: tablet 1 never met tablet 0.
  REQUIRE(RunLink(sh.tablet(1), *relay).finished);
  CHECK(StateHash(sh.tablet(1)) == StateHash(sh.tablet(0)));

  relay.reset();
  for (auto* f : {"/log.db", "/log.db-wal"}) {
    std::string bytes = Slurp(relay_dir + f);
    CHECK_MESSAGE(bytes.find(canary) == std::string::npos, "plaintext in the relay's " << f);
  }
}

TEST_CASE("session: a dropped connection resumes where it stopped") {
  TestShelter sh(2);
  for (int i = 0; i < 8; ++i) AddPeople(sh.tablet(0), sh.shelter_id(), 50, "p" + std::to_string(i));
  auto full = RunLink(sh.tablet(0), sh.tablet(1), {});
  uint64_t total = full.bytes_ab + full.bytes_ba;
  // The same history on a fresh pair, cut halfway through the stream.
  TestShelter sh2(2);
  for (int i = 0; i < 8; ++i)
    AddPeople(sh2.tablet(0), sh2.shelter_id(), 50, "p" + std::to_string(i));
  auto cut = RunLink(sh2.tablet(0), sh2.tablet(1), total / 2);
  CHECK(cut.cut);
  CHECK(!cut.finished);
  uint64_t got = cut.stats_b.segments_new;
  CHECK(got > 0);
  CHECK(got < 8);
  auto rest = RunLink(sh2.tablet(0), sh2.tablet(1));
  REQUIRE(rest.a.ok());
  REQUIRE(rest.b.ok());
  CHECK(rest.finished);
  CHECK(rest.stats_b.segments_new == 8 - got);
  CHECK(rest.stats_b.segments_duplicate == 0);
  CHECK(StateHash(sh2.tablet(0)) == StateHash(sh2.tablet(1)));
}

TEST_CASE("session: peers that must be refused") {
  TestShelter sh(2);
  SUBCASE("a device of another municipality root is dropped by both sides") {
    TestShelter rogue(1);
    auto run = RunLink(rogue.tablet(0), sh.tablet(0));
    CHECK(!run.finished);
    CHECK(!run.a.ok());
    CHECK(run.a.error().code == ErrorCode::kPermissionDenied);
    auto back = RunLink(sh.tablet(0), rogue.tablet(0));
    CHECK(!back.finished);
    CHECK(!back.a.ok());  // the initiator drops it at message 2, before saying who it is
    CHECK(back.a.error().code == ErrorCode::kPermissionDenied);
    auto incidents = sh.tablet(0).log().Incidents();  // reported where staff look
    REQUIRE(incidents.ok());
    REQUIRE(!incidents->empty());
    CHECK(incidents->back().kind == "untrusted-peer");
  }
  SUBCASE("a revoked device is dropped") {
    sync::SessionOptions o;
    Id16 revoked = sh.tablet(0).device().device;
    o.is_revoked = [revoked](const Id16& d) { return d == revoked; };
    AddPeople(sh.tablet(0), sh.shelter_id(), 3, "r");
    auto run = RunLink(sh.tablet(0), sh.tablet(1), {}, {}, o);
    CHECK(!run.b.ok());
    CHECK(run.b.error().code == ErrorCode::kPermissionDenied);
    CHECK(run.stats_b.segments_new == 0);
    CHECK(run.stats_a.segments_new == 0);
  }
  SUBCASE("a certificate that is not yet valid (beyond the clock allowance)") {
    sync::SessionOptions o;
    o.now_s = [] { return int64_t{1'000'000'000}; };  // 2001
    auto run = RunLink(sh.tablet(0), sh.tablet(1), {}, {}, o);
    CHECK(!run.b.ok());
  }
}

TEST_CASE("session: no common protocol version") {
  TestShelter sh(1);
  sync::NodePeer store(sh.tablet(0));
  sync::SyncSession resp(store, false);
  REQUIRE(resp.Start().ok());
  sync::HandshakeConfig c;
  c.s = sync::NoiseStatic::FromSecret(crypto::RandomSecret(32));
  c.prologue = Bytes{'s', 'h', 'e', 'l', 't', 'e', 'r', 'k', 'i', 't', ' ', 's', 'y', 'n', 'c'};
  auto hs = sync::HandshakeState::Create(c);
  REQUIRE(hs.ok());
  Bytes v = cbor::Encode(cbor::Item(cbor::Array{cbor::Item(7), cbor::Item(9)}));
  auto m1 = hs->WriteMessage(View(v));
  REQUIRE(m1.ok());
  Bytes frame;
  sync::AppendFrame(frame, View(*m1));
  auto s = resp.OnReceive(View(frame));
  CHECK(!s.ok());
  CHECK(s.error().code == ErrorCode::kUnsupported);
  Bytes reply = resp.TakeOutput();
  sync::FrameReader fr;
  fr.Feed(View(reply));
  auto f = fr.Next();
  REQUIRE(f.ok());
  REQUIRE(f->has_value());
  auto p = hs->ReadMessage(View(**f));
  REQUIRE(p.ok());
  auto doc = cbor::Decode(View(*p));
  REQUIRE(doc.ok());
  CHECK(*(*doc->as_array())[0].as_int() == 0);  // "no version": the initiator can say why
}
