// Tests for core/formats/issuer_list.
// Signed trust lists and status lists: only the root key's signature is accepted, fields survive,
// duplicates are refused.
#include <doctest/doctest.h>

#include "core/codec/cbor.hpp"
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

namespace {
// A list signed over a payload made here, as another (older or newer) version would write it.
Bytes SignPayload(const cbor::Item& payload, const crypto::SignKeyPair& root) {
  Bytes p = cbor::Encode(payload);
  return cose::Sign1(View(p), cose::KidOf(root.pk), root.sk);
}
}  // namespace

TEST_CASE("trust list: municipality name (5), verify URL (6) and key titles (9) round-trip") {
  REQUIRE(crypto::InitCrypto().ok());
  auto root = crypto::GenerateSignKeyPair();
  auto a = crypto::GenerateSignKeyPair(), b = crypto::GenerateSignKeyPair();
  TrustList t;
  t.version = 2;
  t.municipality_code = "131016";
  t.municipality_name = "千代田区";
  t.verify_url = "https://www.city.chiyoda.lg.jp/verify/";
  t.keys = {Entry(a.pk, "K001", {CertType::kRisai}), Entry(b.pk, "K002", {CertType::kHinan})};
  t.keys[0].title = "千代田区長";
  auto signed_list = SignTrustList(t, root.sk, root.pk);
  REQUIRE_MESSAGE(signed_list.ok(), signed_list.error().ToString());
  auto back = VerifyTrustList(View(*signed_list), root.pk);
  REQUIRE_MESSAGE(back.ok(), back.error().ToString());
  CHECK(back->municipality_name == "千代田区");
  CHECK(back->verify_url == "https://www.city.chiyoda.lg.jp/verify/");
  CHECK(back->keys[0].title == "千代田区長");
  CHECK(back->keys[1].title.empty());
  // The wire keys the verifier page decodes.
  auto msg = cose::ParseSign1(View(*signed_list));
  REQUIRE(msg.ok());
  auto payload = cbor::Decode(View(msg->payload));
  REQUIRE(payload.ok());
  CHECK(*payload->Find(5)->as_text() == "千代田区");
  CHECK(*payload->Find(6)->as_text() == "https://www.city.chiyoda.lg.jp/verify/");
  CHECK(*(*payload->Find(4)->as_array())[0].Find(9)->as_text() == "千代田区長");
  CHECK_FALSE((*payload->Find(4)->as_array())[1].Find(9));

  t.verify_url = "javascript:alert(1)";
  CHECK(SignTrustList(t, root.sk, root.pk).error().code == ErrorCode::kInvalidArgument);
  t.verify_url = "https://a b/";
  CHECK_FALSE(SignTrustList(t, root.sk, root.pk).ok());
  t.verify_url.clear();
  t.keys[0].title = std::string(201, 'x');
  CHECK_FALSE(SignTrustList(t, root.sk, root.pk).ok());
  t.keys[0].title = "千代田区長\n千代田区長";  // one line, as printed
  CHECK_FALSE(SignTrustList(t, root.sk, root.pk).ok());
  CHECK(IsVerifyUrl("http://192.168.1.10/verify/"));
  CHECK_FALSE(IsVerifyUrl("https://"));
}

TEST_CASE("trust list: a list of before without names parses, and unknown keys are tolerated") {
  REQUIRE(crypto::InitCrypto().ok());
  auto root = crypto::GenerateSignKeyPair();
  auto a = crypto::GenerateSignKeyPair();
  cose::Kid kid = cose::KidOf(a.pk);
  cbor::Map key{{1, Bytes(kid.begin(), kid.end())},
                {2, Bytes(a.pk.begin(), a.pk.end())},
                {3, "key"},
                {4, "K001"},
                {5, cbor::Array{cbor::Item(1)}},
                {6, 100},
                {7, 200},
                {8, false}};
  cbor::Map old{{0, "JTL1"}, {1, 1}, {2, 50}, {3, "131016"}, {4, cbor::Array{cbor::Item(key)}}};
  auto back = VerifyTrustList(View(SignPayload(cbor::Item(old), root)), root.pk);
  REQUIRE_MESSAGE(back.ok(), back.error().ToString());
  CHECK(back->municipality_name.empty());
  CHECK(back->verify_url.empty());
  CHECK(back->keys[0].title.empty());
  // A newer list with keys this version does not know.
  key.emplace_back(10, "future");
  cbor::Map newer{
      {0, "JTL1"},     {1, 2}, {2, 60}, {3, "131016"}, {4, cbor::Array{cbor::Item(key)}},
      {5, "千代田区"}, {7, 1}};
  CHECK(VerifyTrustList(View(SignPayload(cbor::Item(newer), root)), root.pk).ok());
  // A name of the wrong type is malformed, not ignored.
  cbor::Map bad{{0, "JTL1"}, {1, 1}, {2, 50}, {3, "131016"}, {4, cbor::Array{}}, {5, 42}};
  CHECK(VerifyTrustList(View(SignPayload(cbor::Item(bad), root)), root.pk).error().code ==
        ErrorCode::kParse);
}

TEST_CASE(
    "status list: a revocation's reason round-trips as a 4th element, and 3 elements still parse") {
  REQUIRE(crypto::InitCrypto().ok());
  auto root = crypto::GenerateSignKeyPair();
  StatusList s;
  s.version = 3;
  s.municipality_code = "131016";
  s.entries = {{"K001-000001", 0, 1755000000, "fraud"}, {"K001-000002", 2, 1755000001, ""}};
  auto signed_list = SignStatusList(s, root.sk, root.pk);
  REQUIRE(signed_list.ok());
  auto back = VerifyStatusList(View(*signed_list), root.pk);
  REQUIRE_MESSAGE(back.ok(), back.error().ToString());
  CHECK(back->entries[0].reason == "fraud");
  CHECK(back->entries[0].at == 1755000000);
  CHECK(back->entries[1].reason.empty());
  auto msg = cose::ParseSign1(View(*signed_list));
  auto payload = cbor::Decode(View(msg->payload));
  REQUIRE(payload.ok());
  const cbor::Array& entries = *payload->Find(4)->as_array();
  CHECK(entries[0].as_array()->size() == 4);
  CHECK(*(*entries[0].as_array())[3].as_text() == "fraud");
  CHECK(entries[1].as_array()->size() == 3);  // no reason: as before

  for (const char* reason : kRevocationReasons) CHECK(IsRevocationReason(reason));
  s.entries[0].reason = "because";
  CHECK(SignStatusList(s, root.sk, root.pk).error().code == ErrorCode::kInvalidArgument);

  // A list of before, and one from a newer version with a code this one does not know.
  cbor::Map old{{0, "JSL1"},
                {1, 1},
                {2, 10},
                {3, "131016"},
                {4, cbor::Array{cbor::Item(cbor::Array{"A-1", 0, 5})}}};
  auto o = VerifyStatusList(View(SignPayload(cbor::Item(old), root)), root.pk);
  REQUIRE(o.ok());
  CHECK(o->entries[0].reason.empty());
  cbor::Map newer{{0, "JSL1"},
                  {1, 2},
                  {2, 10},
                  {3, "131016"},
                  {4, cbor::Array{cbor::Item(cbor::Array{"A-1", 0, 5, "court_order"})}}};
  auto n = VerifyStatusList(View(SignPayload(cbor::Item(newer), root)), root.pk);
  REQUIRE(n.ok());
  CHECK(n->entries[0].reason == "court_order");
  cbor::Map five{{0, "JSL1"},
                 {1, 2},
                 {2, 10},
                 {3, "131016"},
                 {4, cbor::Array{cbor::Item(cbor::Array{"A-1", 0, 5, "error", 1})}}};
  CHECK_FALSE(VerifyStatusList(View(SignPayload(cbor::Item(five), root)), root.pk).ok());
}
