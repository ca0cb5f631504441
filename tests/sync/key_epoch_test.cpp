// Specifies sync/session and sync/bundle carrying core/device/trust_item.
// Revoking a device: the admin signs a revocation and rotates the shelter's scope key; both travel
// by sync (and bundles) to the other devices, which then refuse the revoked device and write
// under the new epoch, which the revoked device cannot read even when it gets the segments; what
// it writes after the revocation is refused however it travels.
#include <doctest/doctest.h>

#include "core/model/entities.hpp"
#include "sync/bundle.hpp"
#include "sync/node_peer.hpp"
#include "tests/support/test_shelter.hpp"
#include "tests/sync/sync_harness.hpp"

using namespace shelter;
using namespace shelter::core;
using shelter::test::RunLink;
using shelter::test::TestShelter;

namespace {

Id16 AddPerson(Node& n, const Id16& scope, const std::string& name) {
  Id16 id = Id16::Random();
  auto r = n.Commit(scope, {{id, RecordType::kPerson, {{field::kName, cbor::Item(name)}}}});
  REQUIRE_MESSAGE(r.ok(), r.error().ToString());
  return id;
}

uint32_t LastEpoch(Node& n) {
  auto tip = n.log().Tip(n.device().device);
  REQUIRE(tip.ok());
  REQUIRE(tip->has_value());
  auto seg = n.log().GetSegment(n.device().device, (*tip)->number);
  REQUIRE(seg.ok());
  return (*seg)->header.epoch;
}

bool Has(Node& n, const Id16& record) {
  auto r = n.state().Get(record);
  REQUIRE(r.ok());
  return r->has_value();
}

}  // namespace

TEST_CASE("key epochs: a revoked tablet is refused and cannot read what is written after") {
  TestShelter sh(3);
  Node& lost = sh.tablet(2);
  Id16 before = AddPerson(sh.tablet(0), sh.shelter_id(), "before");
  REQUIRE(RunLink(sh.tablet(0), lost).finished);
  CHECK(Has(lost, before));
  CHECK(LastEpoch(sh.tablet(0)) == 1);

  auto epoch = sh.admin().RevokeDevice(lost.device().device);
  REQUIRE_MESSAGE(epoch.ok(), epoch.error().ToString());
  CHECK(*epoch == 2);
  CHECK(sh.admin().IsRevoked(lost.device().device));

  // The admin meets tablet 0: revocation and tablet 0's grant arrive.
  auto meet = RunLink(sh.admin(), sh.tablet(0));
  REQUIRE_MESSAGE(meet.a.ok(), meet.a.error().ToString());
  REQUIRE_MESSAGE(meet.b.ok(), meet.b.error().ToString());
  CHECK(meet.stats_b.trust_new >= 2);
  CHECK(sh.tablet(0).IsRevoked(lost.device().device));
  Id16 after = AddPerson(sh.tablet(0), sh.shelter_id(), "after");
  CHECK(LastEpoch(sh.tablet(0)) == 2);

  // Tablet 1 never met the admin: it learns both from tablet 0 and reads the new epoch.
  REQUIRE(RunLink(sh.tablet(1), sh.tablet(0)).finished);
  CHECK(sh.tablet(1).IsRevoked(lost.device().device));
  CHECK(Has(sh.tablet(1), after));
  AddPerson(sh.tablet(1), sh.shelter_id(), "after too");
  CHECK(LastEpoch(sh.tablet(1)) == 2);

  // The revoked tablet is refused either way.
  auto in = RunLink(lost, sh.tablet(0));
  CHECK(!in.finished);
  CHECK(!in.b.ok());
  CHECK(in.stats_a.segments_new == 0);
  auto out = RunLink(sh.tablet(1), lost);
  CHECK(!out.finished);
  CHECK(!out.a.ok());

  // Even with the segments in hand (a bundle found on a USB stick), it cannot read them.
  sync::NodePeer from(sh.tablet(0)), to(lost);
  auto bundle = sync::ExportBundle(from);
  REQUIRE(bundle.ok());
  auto imp = sync::ImportBundle(to, View(*bundle));
  REQUIRE(imp.ok());
  CHECK(imp->segments_new >= 1);
  CHECK(!Has(lost, after));
  CHECK(Has(lost, before));
  CHECK(lost.HasScopeKey(sh.shelter_id()));  // epoch 1 only
}

TEST_CASE("key epochs: a forged or foreign trust item is refused") {
  TestShelter sh(2);
  TestShelter other(1);
  REQUIRE(other.admin().RevokeDevice(other.tablet(0).device().device).ok());
  auto items = other.admin().TrustItems();
  REQUIRE(items.ok());
  REQUIRE(!items->empty());
  for (auto& t : *items) {
    auto r = sh.tablet(0).AddTrustItem(View(t));
    CHECK(!r.ok());
    CHECK(r.error().code == ErrorCode::kCrypto);
  }
  Bytes bad = (*items)[0];
  bad[bad.size() / 2] ^= 1;
  CHECK(!other.tablet(0).AddTrustItem(View(bad)).ok());
}

TEST_CASE(
    "key epochs: what a revoked tablet writes after its revocation is refused, relayed or in a "
    "bundle") {
  TestShelter sh(3);
  Id16 before = AddPerson(sh.tablet(2), sh.shelter_id(), "written before");
  REQUIRE(RunLink(sh.tablet(2), sh.tablet(1)).finished);  // tablet 1 holds it
  Id16 lost_id = sh.tablet(2).device().device;
  REQUIRE(sh.admin().RevokeDevice(lost_id).ok());

  // Whoever has the lost tablet writes with it twenty minutes later (it still holds epoch 1).
  NodeOptions later = sh.options();
  later.now_ms = [] { return HlcClock::SystemNowMs() + 20 * 60'000; };
  sh.Reopen(2, later);
  Node& lost = sh.tablet(2);
  Id16 forged = AddPerson(lost, sh.shelter_id(), "forged");
  // Tablet 1 has not heard of the revocation yet: it still takes what the device sends.
  REQUIRE(RunLink(lost, sh.tablet(1)).finished);
  CHECK(Has(sh.tablet(1), forged));

  // Tablet 0 hears of the revocation from the admin, then syncs with tablet 1, the relay. The
  // pair still syncs; the segment written before the revocation arrives, the forgery does not.
  REQUIRE(RunLink(sh.admin(), sh.tablet(0)).finished);
  auto relay = RunLink(sh.tablet(1), sh.tablet(0));
  CHECK(relay.finished);
  CHECK(sh.tablet(1).IsRevoked(lost_id));
  CHECK(Has(sh.tablet(0), before));
  CHECK_FALSE(Has(sh.tablet(0), forged));
  // Now that tablet 1 knows, it no longer passes the forgery on (nothing is refused next time).
  auto again = RunLink(sh.tablet(1), sh.tablet(0));
  CHECK(again.finished);
  CHECK(again.stats_b.segments_rejected == 0);
  CHECK_FALSE(Has(sh.tablet(0), forged));

  // A bundle exported from the lost tablet (a USB stick brought to the admin): refused, recorded.
  sync::NodePeer from(lost), to(sh.admin());
  auto bundle = sync::ExportBundle(from);
  REQUIRE(bundle.ok());
  auto imp = sync::ImportBundle(to, View(*bundle));
  REQUIRE(imp.ok());
  CHECK(imp->rejected >= 1);
  CHECK(Has(sh.admin(), before));
  CHECK_FALSE(Has(sh.admin(), forged));
  auto incidents = sh.admin().log().Incidents();
  REQUIRE(incidents.ok());
  bool recorded = false;
  for (auto& i : *incidents)
    recorded = recorded || (i.kind == "revoked-device" && i.device == lost_id);
  CHECK(recorded);
}
