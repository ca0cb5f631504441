// Specifies sync/session and sync/bundle carrying core/formats/issuer_list.
// The certificate trust list and status list travel as trust items: by sync and bundles, newest
// version wins, an older one is ignored, a forged one refused; a tablet that never imported a file
// verifies with the newest lists.
#include <doctest/doctest.h>

#include <algorithm>

#include "core/ops/certificate_issuance.hpp"
#include "core/ops/households.hpp"
#include "sync/bundle.hpp"
#include "sync/node_peer.hpp"
#include "tests/support/test_shelter.hpp"
#include "tests/sync/sync_harness.hpp"

using namespace shelter;
using namespace shelter::core;
using shelter::test::RunLink;
using shelter::test::TestShelter;

namespace {

constexpr int64_t kNow = 1754900000;  // 2025-08-11
constexpr int64_t kYear = 365 * 24 * 3600;

void Link(Node& a, Node& b) {
  auto run = RunLink(a, b);
  REQUIRE_MESSAGE(run.a.ok(), run.a.error().ToString());
  REQUIRE_MESSAGE(run.b.ok(), run.b.error().ToString());
  REQUIRE(run.finished);
  CHECK(run.stats_a.trust_rejected == 0);
  CHECK(run.stats_b.trust_rejected == 0);
}

uint64_t TrustVersion(Node& n) {
  auto t = LoadTrustList(n);
  REQUIRE(t.ok());
  return *t ? (*t)->version : 0;
}

uint64_t StatusVersion(Node& n) {
  auto s = LoadStatusList(n);
  REQUIRE(s.ok());
  return *s ? (*s)->version : 0;
}

Bytes HeldTrustList(Node& n) {
  auto b = SignedTrustList(n);
  REQUIRE((b.ok() && *b));
  return **b;
}

Bytes HeldStatusList(Node& n) {
  auto b = SignedStatusList(n);
  REQUIRE((b.ok() && *b));
  return **b;
}

// Trusts a new issuing key of `node` on the admin device; returns the signed list.
Bytes TrustNewKey(TestShelter& ts, Node& node, std::vector<CertType> types) {
  auto pk = CreateIssuingKey(node);
  REQUIRE_MESSAGE(pk.ok(), pk.error().ToString());
  auto entry = TrustIssuingKey(ts.admin(), {*pk, "key", types, kNow - 10, kNow + kYear}, kNow);
  REQUIRE_MESSAGE(entry.ok(), entry.error().ToString());
  return HeldTrustList(ts.admin());
}

CertStatus VerifyOn(Node& n, const std::string& jdv1) {
  auto trust = LoadTrustList(n);
  REQUIRE(trust.ok());
  REQUIRE(trust->has_value());
  auto status = LoadStatusList(n);
  REQUIRE(status.ok());
  return VerifyJdv1(jdv1, **trust, *status ? &**status : nullptr).status;
}

Household OnePerson() {
  Household h;
  Person p;
  p.name = "同期 太郎";
  p.kana = "どうき たろう";
  h.members = {p};
  return h;
}

}  // namespace

TEST_CASE(
    "trust lists by sync: a key trusted and a certificate revoked on the admin reach a tablet") {
  TestShelter ts(2);
  Node& admin = ts.admin();
  Node& t0 = ts.tablet(0);
  Node& t1 = ts.tablet(1);
  TrustNewKey(ts, t0, {CertType::kHinan});
  CHECK(TrustVersion(t0) == 0);
  Link(admin, t0);  // no file imported: the list arrives with the session
  CHECK(TrustVersion(t0) == 1);

  auto reg = RegisterHousehold(t0, OnePerson(), ts.shelter_id(), true);
  REQUIRE(reg.ok());
  auto cert = IssueCertificate(t0, {CertType::kHinan, reg->household, {}, "", false, kNow});
  REQUIRE_MESSAGE(cert.ok(), cert.error().ToString());

  // t1 meets only t0 (a relay of the admin's list): the certificate verifies there.
  Link(t1, t0);
  CHECK(TrustVersion(t1) == 1);
  CHECK(VerifyOn(t1, cert->jdv1) == CertStatus::kValid);

  // The record reaches the admin, which revokes it and publishes the status list.
  Link(t0, admin);
  REQUIRE(RevokeCertificate(admin, cert->claims.serial, "error").ok());
  REQUIRE(PublishStatusList(admin, kNow + 60).ok());
  Link(admin, t1);
  CHECK(StatusVersion(t1) == 1);
  CHECK(VerifyOn(t1, cert->jdv1) == CertStatus::kRevoked);
  CHECK(VerifyOn(t0, cert->jdv1) == CertStatus::kValid);  // t0 has not synced since

  // Once in step, the lists are part of the one-round-trip check: nothing more is exchanged.
  auto again = RunLink(admin, t1);
  CHECK(again.finished);
  CHECK(again.stats_a.in_sync);

  // A bundle carries them too.
  sync::NodePeer from(t1), to(t0);
  auto bundle = sync::ExportBundle(from);
  REQUIRE(bundle.ok());
  auto in = sync::ImportBundle(to, View(*bundle));
  REQUIRE_MESSAGE(in.ok(), in.error().ToString());
  CHECK(in->rejected == 0);
  CHECK(StatusVersion(t0) == 1);
  CHECK(VerifyOn(t0, cert->jdv1) == CertStatus::kRevoked);
}

TEST_CASE("trust lists by sync: a replayed older list is ignored, a forged one refused") {
  TestShelter ts(3);
  Node& admin = ts.admin();
  Node& t0 = ts.tablet(0);
  Bytes v1 = TrustNewKey(ts, t0, {CertType::kHinan});
  Bytes v2 = TrustNewKey(ts, admin, {CertType::kRisai});
  auto s1 = PublishStatusList(admin, kNow);
  auto s2 = PublishStatusList(admin, kNow + 1);
  REQUIRE((s1.ok() && s2.ok()));

  auto add = [&](ByteView b) { return t0.AddTrustItem(b); };
  CHECK(*add(View(v2)) == true);
  CHECK(*add(View(v1)) == false);  // older: ignored, not an error
  CHECK(*add(View(v2)) == false);  // the same again
  CHECK(TrustVersion(t0) == 2);
  CHECK(*add(View(*s2)) == true);
  CHECK(*add(View(*s1)) == false);
  CHECK(StatusVersion(t0) == 2);

  Bytes forged = v2;
  forged[forged.size() - 5] ^= 1;  // inside the signature
  auto r = add(View(forged));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::kCrypto);
  Bytes forged_payload = *s2;
  forged_payload[forged_payload.size() - 64 - 3] ^= 1;  // the payload's last byte
  CHECK_FALSE(add(View(forged_payload)).ok());
  CHECK(HeldTrustList(t0) == v2);
  CHECK(HeldStatusList(t0) == *s2);

  // A list signed by another municipality's root (same 団体コード, another root key).
  TestShelter other(1);
  Bytes foreign = TrustNewKey(other, other.tablet(0), {CertType::kHinan});
  auto f = add(View(foreign));
  REQUIRE_FALSE(f.ok());
  CHECK(f.error().code == ErrorCode::kCrypto);
  CHECK(HeldTrustList(t0) == v2);

  // A session that offers the older list changes nothing and refuses nothing.
  Node& t1 = ts.tablet(1);
  REQUIRE(ImportTrustList(t1, View(v1)).ok());
  auto run = RunLink(t1, t0);
  REQUIRE(run.finished);
  CHECK(run.stats_b.trust_rejected == 0);
  CHECK(TrustVersion(t0) == 2);
  CHECK(TrustVersion(t1) == 2);  // and the peer with the old one catches up
  CHECK(StatusVersion(t1) == 2);

  // A forged status list in a bundle is refused and reported; the rest of the bundle counts.
  Node& t2 = ts.tablet(2);
  sync::NodePeer from(t0), to(t2);
  auto bundle = sync::ExportBundle(from);
  REQUIRE(bundle.ok());
  auto at = std::search(bundle->begin(), bundle->end(), s2->begin(), s2->end());
  REQUIRE(at != bundle->end());
  *(at + static_cast<std::ptrdiff_t>(s2->size()) - 5) ^= 1;
  // The file checksum is no signature: a forger recomputes it; the item's own signature refuses it.
  const size_t covered = bundle->size() - sync::kBundleChecksumBytes;
  Hash32 sum = crypto::Sha256(ByteView(bundle->data(), covered));
  std::copy(sum.begin(), sum.end(), bundle->begin() + static_cast<std::ptrdiff_t>(covered));
  auto in = sync::ImportBundle(to, View(*bundle));
  REQUIRE(in.ok());
  CHECK(in->rejected == 1);
  REQUIRE(in->reports.size() == 1);
  CHECK(in->reports[0].find("trust item refused") != std::string::npos);
  CHECK(StatusVersion(t2) == 0);
  CHECK(TrustVersion(t2) == 2);
}

TEST_CASE("trust lists by sync: two lists of the same version settle on one everywhere") {
  TestShelter ts(2);
  Node& admin = ts.admin();
  const crypto::Secret* root = admin.root_secret();
  REQUIRE(root != nullptr);
  StatusList a{3, kNow, admin.municipality_code(), {{"K001-000001", 0, kNow}}};
  StatusList b{3, kNow + 5, admin.municipality_code(), {{"K001-000002", 0, kNow}}};
  auto sa = SignStatusList(a, *root, admin.root_pk());
  auto sb = SignStatusList(b, *root, admin.root_pk());
  REQUIRE((sa.ok() && sb.ok()));
  REQUIRE(*ts.tablet(0).AddTrustItem(View(*sa)));
  REQUIRE(*ts.tablet(1).AddTrustItem(View(*sb)));
  Link(ts.tablet(0), ts.tablet(1));
  CHECK(HeldStatusList(ts.tablet(0)) == *sb);  // the later one
  CHECK(HeldStatusList(ts.tablet(1)) == *sb);
  auto again = RunLink(ts.tablet(1), ts.tablet(0));
  CHECK(again.stats_a.in_sync);
}
