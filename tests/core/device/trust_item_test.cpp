// Tests for core/device/trust_item: revocations and scope-key grants round-trip under the root
// signature, forged or malformed items are refused, and each has the meta key a device stores
// it under (one per revoked device, one per scope, epoch and recipient).
#include "core/device/trust_item.hpp"

#include <doctest/doctest.h>

#include <string>

#include "core/codec/cbor.hpp"
#include "core/device/device_cert.hpp"

namespace shelter::core {
namespace {

TrustItem Revocation() {
  TrustItem t;
  t.kind = TrustKind::kRevocation;
  t.municipality_code = "131016";
  t.device = Id16::Random();
  t.at = 1'750'000'000;
  return t;
}

TrustItem Grant() {
  TrustItem t = Revocation();
  t.kind = TrustKind::kScopeKeyGrant;
  t.scope = Id16::Random();
  t.epoch = 4;
  t.sealed = crypto::RandomBytes(80);
  return t;
}

TEST_CASE("trust item: a revocation round-trips under the root signature") {
  REQUIRE(crypto::InitCrypto().ok());
  auto root = crypto::GenerateSignKeyPair();
  TrustItem t = Revocation();
  auto back = VerifyTrustItem(View(SignTrustItem(t, root.sk)), root.pk);
  REQUIRE_MESSAGE(back.ok(), back.error().ToString());
  CHECK(back->kind == TrustKind::kRevocation);
  CHECK(back->device == t.device);
  CHECK(back->at == t.at);
  CHECK(back->municipality_code == "131016");
  CHECK(back->scope.IsZero());
  CHECK(back->sealed.empty());
}

TEST_CASE("trust item: a scope-key grant keeps its scope, epoch and sealed key") {
  REQUIRE(crypto::InitCrypto().ok());
  auto root = crypto::GenerateSignKeyPair();
  TrustItem t = Grant();
  auto back = VerifyTrustItem(View(SignTrustItem(t, root.sk)), root.pk);
  REQUIRE_MESSAGE(back.ok(), back.error().ToString());
  CHECK(back->kind == TrustKind::kScopeKeyGrant);
  CHECK(back->device == t.device);
  CHECK(back->scope == t.scope);
  CHECK(back->epoch == 4);
  CHECK(back->sealed == t.sealed);
}

TEST_CASE("trust item: one not signed by this root is kCrypto") {
  REQUIRE(crypto::InitCrypto().ok());
  auto root = crypto::GenerateSignKeyPair();
  auto thief = crypto::GenerateSignKeyPair();
  auto r = VerifyTrustItem(View(SignTrustItem(Revocation(), thief.sk)), root.pk);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::kCrypto);
}

TEST_CASE("trust item: grants without an epoch or with an oversized sealed key are kParse") {
  REQUIRE(crypto::InitCrypto().ok());
  auto root = crypto::GenerateSignKeyPair();
  auto parse_error = [&](const TrustItem& t) {
    auto r = VerifyTrustItem(View(SignTrustItem(t, root.sk)), root.pk);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::kParse);
  };
  TrustItem no_epoch = Grant();
  no_epoch.epoch = 0;
  parse_error(no_epoch);
  TrustItem big = Grant();
  big.sealed = Bytes(257, 1);
  parse_error(big);
  TrustItem unknown = Revocation();
  unknown.kind = static_cast<TrustKind>(3);
  parse_error(unknown);
  auto garbage = VerifyTrustItem(View(Bytes{0x82, 0x01}), root.pk);
  REQUIRE_FALSE(garbage.ok());
  CHECK(garbage.error().code == ErrorCode::kParse);
}

TEST_CASE("trust item: a signed device certificate is never read as a trust item") {
  REQUIRE(crypto::InitCrypto().ok());
  auto root = crypto::GenerateSignKeyPair();
  DeviceCert c;
  c.device = Id16::Random();
  c.municipality_code = "131016";
  c.label = "tablet-1";
  auto r = VerifyTrustItem(View(SignDeviceCert(c, root.sk)), root.pk);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::kParse);
  auto as_cert = VerifyDeviceCert(View(SignTrustItem(Revocation(), root.sk)), root.pk);
  REQUIRE_FALSE(as_cert.ok());
  CHECK(as_cert.error().code == ErrorCode::kParse);
}

TEST_CASE("trust item: meta keys, one per revoked device and one per grant") {
  TrustItem rev = Revocation();
  CHECK(TrustItemKey(rev) == "trust:rev:" + rev.device.Hex());
  TrustItem later = rev;
  later.at += 100;
  CHECK(TrustItemKey(later) == TrustItemKey(rev));  // revoking twice stores one item
  TrustItem g = Grant();
  CHECK(TrustItemKey(g) == "trust:key:" + g.scope.Hex() + ":4:" + g.device.Hex());
  TrustItem next_epoch = g;
  next_epoch.epoch = 5;
  CHECK(TrustItemKey(next_epoch) != TrustItemKey(g));
  CHECK(TrustItemKey(g).rfind(kTrustMetaPrefix, 0) == 0);
}

}  // namespace
}  // namespace shelter::core
