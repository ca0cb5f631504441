// Tests for core/formats/issuer_list.
// Signed trust lists and status lists: only the root key's signature is accepted, fields survive,
// duplicates are refused.
#include <doctest/doctest.h>

#include "core/formats/issuer_list.hpp"

using namespace shelter::core;

namespace {
IssuerKey Entry(const crypto::PublicKey& pk, std::string prefix, std::vector<CertType> allowed) {
  IssuerKey k;
  k.pk = pk;
  k.kid = cose::KidOf(pk);
  k.label = "key " + prefix;
  k.serial_prefix = std::move(prefix);
  k.allowed = std::move(allowed);
  k.not_before = 100;
  k.not_after = 200;
  return k;
}
}  // namespace

TEST_CASE("trust list: signed by the root, verified only with the root key") {
  REQUIRE(crypto::InitCrypto().ok());
  auto root = crypto::GenerateSignKeyPair();
  auto other = crypto::GenerateSignKeyPair();
  auto a = crypto::GenerateSignKeyPair(), b = crypto::GenerateSignKeyPair();
  TrustList t;
  t.version = 7;
  t.issued_at = 150;
  t.municipality_code = "131016";
  t.keys = {Entry(a.pk, "A001", {CertType::kRisai, CertType::kHisai}),
            Entry(b.pk, "T001", {CertType::kHinan})};
  t.keys[1].withdrawn = true;
  auto signed_list = SignTrustList(t, root.sk, root.pk);
  REQUIRE(signed_list.ok());
  auto back = VerifyTrustList(View(*signed_list), root.pk);
  REQUIRE_MESSAGE(back.ok(), back.error().ToString());
  CHECK(back->version == 7);
  CHECK(back->municipality_code == "131016");
  REQUIRE(back->keys.size() == 2);
  CHECK(back->keys[0].Allows(CertType::kRisai));
  CHECK_FALSE(back->keys[1].Allows(CertType::kRisai));
  CHECK(back->keys[1].withdrawn);
  CHECK(back->keys[0].serial_prefix == "A001");
  CHECK(back->Find(ByteView(back->keys[1].kid.data(), 8)) == &back->keys[1]);

  auto wrong = VerifyTrustList(View(*signed_list), other.pk);
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.error().code == ErrorCode::kCrypto);
  Bytes flipped = *signed_list;
  flipped[flipped.size() / 2] ^= 1;
  CHECK_FALSE(VerifyTrustList(View(flipped), root.pk).ok());

  // A list signed by another key (an issuing key pretending to be root) is refused.
  auto forged = SignTrustList(t, a.sk, a.pk);
  CHECK(VerifyTrustList(View(*forged), root.pk).error().code == ErrorCode::kCrypto);

  t.keys.push_back(Entry(a.pk, "B001", {}));
  CHECK_FALSE(SignTrustList(t, root.sk, root.pk).ok());  // duplicate kid
  t.keys.back() = Entry(other.pk, "A001", {});
  CHECK_FALSE(SignTrustList(t, root.sk, root.pk).ok());  // duplicate prefix
}

TEST_CASE("status list: revocations sorted and looked up by serial and issue") {
  REQUIRE(crypto::InitCrypto().ok());
  auto root = crypto::GenerateSignKeyPair();
  StatusList s;
  s.version = 2;
  s.issued_at = 99;
  s.municipality_code = "131016";
  s.entries = {{"B-2", 0, 5}, {"A-1", 3, 4}};
  auto signed_list = SignStatusList(s, root.sk, root.pk);
  REQUIRE(signed_list.ok());
  auto back = VerifyStatusList(View(*signed_list), root.pk);
  REQUIRE(back.ok());
  REQUIRE(back->entries.size() == 2);
  CHECK(back->entries[0].serial == "A-1");
  CHECK(back->Revokes("A-1", 2));
  CHECK_FALSE(back->Revokes("A-1", 3));
  CHECK(back->Revokes("B-2", 9));
  CHECK_FALSE(back->Revokes("C-3", 1));
  // A trust list is not a status list, even with the right signature.
  TrustList t;
  t.municipality_code = "131016";
  auto tl = SignTrustList(t, root.sk, root.pk);
  CHECK_FALSE(VerifyStatusList(View(*tl), root.pk).ok());
  s.entries.push_back({"A-1", 0, 1});
  CHECK_FALSE(SignStatusList(s, root.sk, root.pk).ok());
}
