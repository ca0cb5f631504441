// Specifies sync/session, with the ingest checks of core/node/node behind it.
// Attacks on a tablet through the sync protocol, from a peer that completed a valid handshake
// with a stolen but still certified identity: forged, replayed, unknown-device and equivocating
// segments, oversized and truncated frames, bad certificates. Each must leave the victim's state
// and log unchanged and be reported (session reports, node incidents).
#include <doctest/doctest.h>

#include "core/model/entities.hpp"
#include "tests/support/test_shelter.hpp"
#include "tests/sync/raw_peer.hpp"
#include "tests/sync/sync_harness.hpp"

using namespace shelter;
using namespace shelter::core;
using shelter::test::RawPeer;
using shelter::test::TestShelter;

namespace {

Bytes Hello() {
  Bytes m;
  sync::AppendMessage(m, sync::MsgType::kHello, View(sync::EncodeHello({{9, 9, 9}, 1})));
  sync::AppendMessage(m, sync::MsgType::kVector, View(sync::EncodeVector({})));
  return m;
}

struct Victim {
  Node& node;
  Hash32 hash;
  int64_t segments;
  size_t incidents;
  explicit Victim(Node& n) : node(n) {
    hash = n.state().StateHash().value();
    segments = n.log().SegmentCount().value();
    incidents = n.log().Incidents().value().size();
  }
  void Unchanged() {
    CHECK(node.state().StateHash().value() == hash);
    CHECK(node.log().SegmentCount().value() == segments);
  }
  size_t NewIncidents() { return node.log().Incidents().value().size() - incidents; }
};

Bytes SomeSegment(Node& n) {
  auto seg = n.log().GetSegment(n.device().device, 1);
  REQUIRE(seg.ok());
  REQUIRE(seg->has_value());
  return (*seg)->wire;
}

}  // namespace

TEST_CASE("attack: bad segments inside a valid session change nothing and are reported") {
  TestShelter sh(3);
  // Tablet 0 writes; the victim (tablet 1) already has it.
  REQUIRE(sh.tablet(0)
              .Commit(sh.shelter_id(),
                      {{Id16::Random(), RecordType::kPerson, {{field::kName, cbor::Item("A")}}}})
              .ok());
  REQUIRE(test::RunLink(sh.tablet(0), sh.tablet(1)).finished);
  Bytes genuine = SomeSegment(sh.tablet(0));
  Victim v(sh.tablet(1));

  RawPeer evil(test::StealKeys(sh.tablet_dir(2)));
  sync::NodePeer store(sh.tablet(1));
  sync::SyncSession session(store, false);
  evil.Handshake(session);
  Bytes plain = Hello();

  Bytes forged = genuine;
  forged[forged.size() - 10] ^= 1;  // signature
  sync::AppendMessage(plain, sync::MsgType::kSegment, View(forged));
  sync::AppendMessage(plain, sync::MsgType::kSegment, View(genuine));  // replayed

  // Equivocation: tablet 0's identity signs a different segment 1 (a cloned tablet).
  auto k0 = test::StealKeys(sh.tablet_dir(0));
  auto scope_keys_r = sh.tablet(0).log().ScopeKeys();
  REQUIRE(scope_keys_r.ok());
  auto& scope_keys = *scope_keys_r;
  crypto::BoxKeyPair box{sh.tablet(0).device().box_pk, k0.box_sk};
  std::optional<crypto::Secret> scope_key;
  for (auto& k : scope_keys)
    if (k.scope == sh.shelter_id()) scope_key = crypto::OpenSealed(box, View(k.sealed)).value();
  REQUIRE(scope_key);
  SegmentHeader h;
  h.device = sh.tablet(0).device().device;
  h.scope = sh.shelter_id();
  h.epoch = 1;
  h.number = 1;
  h.first_seq = 1;
  Op op;
  op.dot = {h.device, 1};
  op.hlc = 1;
  op.record = Id16::Random();
  op.fields = {{field::kName, cbor::Item("B")}};
  Segment twin = SealSegment(h, {op}, *scope_key, k0.sign_sk);
  sync::AppendMessage(plain, sync::MsgType::kSegment, View(twin.wire));

  // A segment from a device this municipality never enrolled.
  TestShelter rogue(1);
  REQUIRE(rogue.tablet(0)
              .Commit(rogue.shelter_id(),
                      {{Id16::Random(), RecordType::kPerson, {{field::kName, cbor::Item("R")}}}})
              .ok());
  sync::AppendMessage(plain, sync::MsgType::kSegment, View(SomeSegment(rogue.tablet(0))));
  // Garbage that is not a segment, and a certificate from the rogue root.
  sync::AppendMessage(plain, sync::MsgType::kSegment, View("SKS1 not really"));
  auto rogue_cert = rogue.tablet(0).log().DeviceCert(rogue.tablet(0).device().device);
  REQUIRE(rogue_cert.ok());
  REQUIRE(rogue_cert->has_value());
  sync::AppendMessage(plain, sync::MsgType::kCert, View(**rogue_cert));
  sync::AppendMessage(plain, sync::MsgType::kDone, View(sync::EncodeDone(5)));

  auto s = session.OnReceive(View(evil.Seal(View(plain))));
  CHECK_MESSAGE(s.ok(), s.error().ToString());  // reported, not fatal: a relay may pass on bad data
  CHECK(session.stats().segments_rejected == 4);
  CHECK(session.stats().segments_duplicate == 1);
  CHECK(session.stats().certs_rejected == 1);
  CHECK(session.reports().size() == 5);
  v.Unchanged();
  CHECK(v.NewIncidents() >= 3);  // forged, equivocation, unknown device
  bool equivocation = false;
  auto incidents = sh.tablet(1).log().Incidents();
  REQUIRE(incidents.ok());
  for (auto& i : *incidents) equivocation |= i.kind == "equivocation";
  CHECK(equivocation);
}

TEST_CASE("attack: a flood of bad segments gets the peer dropped") {
  TestShelter sh(2);
  Victim v(sh.tablet(1));
  RawPeer evil(test::StealKeys(sh.tablet_dir(0)));
  sync::SessionOptions o;
  o.max_rejects = 8;
  sync::NodePeer store(sh.tablet(1));
  sync::SyncSession session(store, false, o);
  evil.Handshake(session);
  Bytes plain = Hello();
  for (int i = 0; i < 20; ++i) sync::AppendMessage(plain, sync::MsgType::kSegment, View("junk"));
  auto s = session.OnReceive(View(evil.Seal(View(plain))));
  CHECK(!s.ok());
  CHECK(s.error().code == ErrorCode::kPermissionDenied);
  CHECK(session.failed());
  v.Unchanged();
}

TEST_CASE("attack: oversized, malformed and truncated frames") {
  TestShelter sh(2);
  Victim v(sh.tablet(1));
  RawPeer evil(test::StealKeys(sh.tablet_dir(0)));
  sync::NodePeer store(sh.tablet(1));
  sync::SyncSession session(store, false);
  evil.Handshake(session);

  SUBCASE("a message announcing more than a segment's size") {
    Bytes plain = Hello();
    plain.push_back(static_cast<uint8_t>(sync::MsgType::kSegment));
    for (uint8_t b : {0xff, 0xff, 0xff, 0x7f}) plain.push_back(b);  // 256 MiB
    auto s = session.OnReceive(View(evil.Seal(View(plain))));
    CHECK(!s.ok());
    CHECK(session.failed());
  }
  SUBCASE("a zero-length frame") {
    auto s = session.OnReceive(View(Bytes{0, 0}));
    CHECK(!s.ok());
  }
  SUBCASE("a frame that fails authentication") {
    Bytes f = evil.Seal(View(Hello()));
    f[5] ^= 1;
    auto s = session.OnReceive(View(f));
    CHECK(!s.ok());
    CHECK(s.error().code == ErrorCode::kCrypto);
  }
  SUBCASE("a truncated frame waits, then the link closes: nothing applied") {
    Bytes plain = Hello();
    sync::AppendMessage(plain, sync::MsgType::kSegment, View(Bytes(5000, 1)));
    Bytes f = evil.Seal(View(plain));
    auto s = session.OnReceive(View(f).substr(0, f.size() - 100));
    CHECK(s.ok());
    CHECK(!session.Finished());
  }
  SUBCASE("hello twice is a protocol error") {
    Bytes plain = Hello();
    sync::AppendMessage(plain, sync::MsgType::kHello, View(sync::EncodeHello({})));
    CHECK(!session.OnReceive(View(evil.Seal(View(plain)))).ok());
  }
  v.Unchanged();
}

TEST_CASE("attack: a stolen identity cannot be replayed against its own device") {
  TestShelter sh(2);
  RawPeer clone(test::StealKeys(sh.tablet_dir(0)));
  sync::NodePeer store(sh.tablet(0));
  sync::SyncSession session(store, false);
  REQUIRE(session.Start().ok());
  // Handshake by hand up to message 3, which the victim must refuse.
  core::Bytes payload = cbor::Encode(cbor::Item(cbor::Array{1, 1}));
  sync::HandshakeConfig c;
  c.s = sync::NoiseStatic::FromSecret(clone.keys().box_sk);
  c.prologue = Bytes{'s', 'h', 'e', 'l', 't', 'e', 'r', 'k', 'i', 't', ' ', 's', 'y', 'n', 'c'};
  auto hs = sync::HandshakeState::Create(c);
  REQUIRE(hs.ok());
  Bytes f1;
  sync::AppendFrame(f1, View(hs->WriteMessage(View(payload)).value()));
  REQUIRE(session.OnReceive(View(f1)).ok());
  sync::FrameReader fr;
  fr.Feed(View(session.TakeOutput()));
  REQUIRE(hs->ReadMessage(View(*fr.Next().value())).ok());
  Bytes f3;
  sync::AppendFrame(
      f3, View(hs->WriteMessage(
                     View(cbor::Encode(cbor::Item(cbor::Array{cbor::Item(clone.keys().cert)}))))
                   .value()));
  auto s = session.OnReceive(View(f3));
  CHECK(!s.ok());
  CHECK(s.error().code == ErrorCode::kPermissionDenied);
}
