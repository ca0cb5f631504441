// Revoking a device: the admin signs a revocation and rotates the shelter's scope key; both travel
// by sync (and bundles) to the other devices, which then refuse the revoked device and write
// under the new epoch, which the revoked device cannot read even when it gets the segments.
#include <doctest/doctest.h>

#include "core/model.hpp"
#include "sync/bundle.hpp"
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
  auto bundle = sync::ExportBundle(sh.tablet(0));
  REQUIRE(bundle.ok());
  auto imp = sync::ImportBundle(lost, View(*bundle));
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
