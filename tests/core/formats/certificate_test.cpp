// Specifies core/formats/certificate, with core/codec/cose (COSE_Sign1).
// JDV1 certificates: the COSE_Sign1 bytes built by hand, claims round trips, the byte budget, and
// every verification outcome with its reason.
#include <doctest/doctest.h>
#include <sodium.h>

#include <algorithm>
#include <cstring>
#include <string>

#include "core/codec/base45.hpp"
#include "core/codec/cbor.hpp"
#include "core/codec/compress.hpp"
#include "core/codec/cose.hpp"
#include "core/codec/qr_code.hpp"
#include "core/formats/certificate.hpp"

using namespace shelter::core;

namespace {

crypto::SignKeyPair SeededKey(uint8_t fill) {
  REQUIRE(crypto::InitCrypto().ok());
  uint8_t seed[32];
  std::memset(seed, fill, sizeof seed);
  crypto::SignKeyPair kp{{}, crypto::Secret(64)};
  crypto_sign_seed_keypair(kp.pk.data(), kp.sk.data(), seed);
  return kp;
}

// A typical 罹災証明書: a 5-character name and a 14-character address (datamodel §3.7).
CertificateClaims TypicalRisai() {
  CertificateClaims c;
  c.issuer_code = "131016";
  c.issued_at = 1754900000;
  c.type = CertType::kRisai;
  c.serial = "A001-000042";
  c.disaster = "令和7年8月の大雨";
  c.disaster_date = 20250810;
  c.head_name = "山田 太郎";
  c.site = "東京都千代田区麹町二丁目八番";
  c.head_address = c.site;
  c.level = DamageLevel::kDaikiboHankai;
  c.flood = Flood::kAboveFloor;
  c.certified_on = 20250820;
  return c;
}

IssuerKey KeyEntry(const crypto::SignKeyPair& kp, std::string prefix,
                   std::vector<CertType> allowed) {
  IssuerKey k;
  k.pk = kp.pk;
  k.kid = cose::KidOf(kp.pk);
  k.label = "千代田区 税務課 1";
  k.serial_prefix = std::move(prefix);
  k.allowed = std::move(allowed);
  k.not_before = 1700000000;
  k.not_after = 1800000000;
  return k;
}

struct Fixture {
  crypto::SignKeyPair issuer = SeededKey(1);
  crypto::SignKeyPair shelter = SeededKey(2);
  TrustList trust;
  Fixture() {
    trust.version = 3;
    trust.municipality_code = "131016";
    trust.keys.push_back(
        KeyEntry(issuer, "A001", {CertType::kRisai, CertType::kHisai, CertType::kHinan}));
    trust.keys.push_back(KeyEntry(shelter, "T001", {CertType::kHinan}));
  }
};

}  // namespace

TEST_CASE(
    "cose: Sign1 is tag 18 over [h'A10127', {4: kid}, payload, sig] and RFC 9052's Sig_structure") {
  auto kp = SeededKey(7);
  Bytes payload = {0xA1, 0x01, 0x63, 'a', 'b', 'c'};
  Bytes cose = cose::Sign1(View(payload), cose::KidOf(kp.pk), kp.sk);
  cose::Kid kid = cose::KidOf(kp.pk);
  Hash32 h = crypto::Sha256(ByteView(kp.pk.data(), 32));
  CHECK(std::equal(kid.begin(), kid.end(), h.begin()));

  Bytes expect = {0xD2, 0x84, 0x43, 0xA1, 0x01, 0x27, 0xA1, 0x04, 0x48};
  Append(expect, ByteView(kid.data(), kid.size()));
  expect.push_back(0x46);
  Append(expect, View(payload));
  expect.push_back(0x58);
  expect.push_back(0x40);
  REQUIRE(cose.size() == expect.size() + 64);
  CHECK(Bytes(cose.begin(), cose.begin() + expect.size()) == expect);

  // Sig_structure by hand: ["Signature1", h'A10127', h'', payload].
  Bytes tbs = {0x84, 0x6A};
  Append(tbs, View(std::string_view("Signature1")));
  Append(tbs, ByteView((const uint8_t*)"\x43\xA1\x01\x27\x40", 5));
  tbs.push_back(0x46);
  Append(tbs, View(payload));
  CHECK(cose::SigStructure(ByteView((const uint8_t*)"\xA1\x01\x27", 3), ByteView(),
                           View(payload)) == tbs);
  CHECK(crypto::Verify(kp.pk, View(tbs), ByteView(cose.data() + expect.size(), 64)));

  auto m = cose::ParseSign1(View(cose));
  REQUIRE(m.ok());
  CHECK(m->alg == cose::kAlgEdDsa);
  CHECK(m->payload == payload);
  CHECK(cose::VerifySign1(*m, kp.pk));
  CHECK_FALSE(cose::VerifySign1(*m, SeededKey(8).pk));
}

TEST_CASE(
    "cose: untagged messages and a kid in the protected header parse, other algorithms do not") {
  auto kp = SeededKey(9);
  Bytes payload = {0x01};
  // Protected {1: -8, 4: kid}, empty unprotected map, untagged.
  cose::Kid kid = cose::KidOf(kp.pk);
  Bytes prot = cbor::Encode(
      cbor::Item(cbor::Map{{cbor::Item(1), cbor::Item(-8)},
                           {cbor::Item(4), cbor::Item(Bytes(kid.begin(), kid.end()))}}));
  crypto::Signature sig =
      crypto::Sign(kp.sk, View(cose::SigStructure(View(prot), {}, View(payload))));
  Bytes msg = cbor::Encode(
      cbor::Item(cbor::Array{cbor::Item(prot), cbor::Item(cbor::Map{}), cbor::Item(payload),
                             cbor::Item(Bytes(sig.begin(), sig.end()))}));
  auto m = cose::ParseSign1(View(msg));
  REQUIRE(m.ok());
  CHECK(m->kid == Bytes(kid.begin(), kid.end()));
  CHECK(cose::VerifySign1(*m, kp.pk));

  Bytes es256 = cbor::Encode(cbor::Item(cbor::Map{{cbor::Item(1), cbor::Item(-7)}}));
  Bytes other = cbor::Encode(
      cbor::Item::Tag(18, cbor::Item(cbor::Array{cbor::Item(es256), cbor::Item(cbor::Map{}),
                                                 cbor::Item(payload), cbor::Item(Bytes(64))})));
  auto r = cose::ParseSign1(View(other));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::kUnsupported);
  CHECK_FALSE(cose::ParseSign1(View(Bytes{0xD2, 0x83, 0x40, 0xA0, 0x40})).ok());
  Bytes tag17 = msg;
  tag17.insert(tag17.begin(), 0xD1);
  CHECK_FALSE(cose::ParseSign1(View(tag17)).ok());
}

TEST_CASE("certificate: claims round-trip through the CWT map for each type") {
  CertificateClaims risai = TypicalRisai();
  risai.members = {"山田 花子", "山田 一郎"};
  risai.issuer_name = "千代田区長";
  risai.head_address = "東京都千代田区九段南一丁目";
  risai.issue_no = 2;
  CertificateClaims hisai = TypicalRisai();
  hisai.type = CertType::kHisai;
  hisai.level.reset();
  hisai.damage_note = "カーポート損壊";
  CertificateClaims hinan = TypicalRisai();
  hinan.type = CertType::kHinan;
  hinan.level.reset();
  hinan.flood = Flood::kNone;
  hinan.shelter_name = "千代田区立麹町小学校";
  hinan.stay_from = 20250810;
  hinan.stay_to = 20250901;
  for (auto* c : {&risai, &hisai, &hinan}) {
    CHECK(ValidateClaims(*c).ok());
    Bytes enc = cbor::Encode(ClaimsToCwt(*c));
    auto back = ClaimsFromCwt(*cbor::Decode(View(enc)));
    REQUIRE_MESSAGE(back.ok(), back.error().ToString());
    CHECK(cbor::Encode(ClaimsToCwt(*back)) == enc);
    CHECK(back->serial == c->serial);
    CHECK(back->head_address == c->head_address);
    CHECK(back->members == c->members);
    CHECK(back->issue_no == c->issue_no);
    CHECK(back->level == c->level);
    CHECK(back->stay_to == c->stay_to);
  }
  // The CWT: {1: iss, 6: iat, -70001: {...}}.
  cbor::Item cwt = ClaimsToCwt(risai);
  CHECK(*cwt.Find(1)->as_text() == "131016");
  CHECK(*cwt.Find(6)->as_int() == 1754900000);
  CHECK(*cwt.Find(kClaimCertificate)->Find(7)->as_int() == 1);
}

TEST_CASE("certificate: the issuer travels signed, 13 = title and 19 = municipality name") {
  CertificateClaims c = TypicalRisai();
  c.issuer_name = "千代田区長";
  c.municipality_name = "千代田区";
  CHECK(ValidateClaims(c).ok());
  cbor::Item cwt = ClaimsToCwt(c);
  const cbor::Item* body = cwt.Find(kClaimCertificate);
  REQUIRE(body);
  REQUIRE(body->Find(13));
  REQUIRE(body->Find(19));
  CHECK(*body->Find(13)->as_text() == "千代田区長");
  CHECK(*body->Find(19)->as_text() == "千代田区");
  Bytes enc = cbor::Encode(cwt);
  auto back = ClaimsFromCwt(*cbor::Decode(View(enc)));
  REQUIRE_MESSAGE(back.ok(), back.error().ToString());
  CHECK(back->issuer_name == "千代田区長");
  CHECK(back->municipality_name == "千代田区");
  CHECK(cbor::Encode(ClaimsToCwt(*back)) == enc);  // still canonical with key 19 last
  // Absent when not given: a certificate of before keeps its bytes.
  CertificateClaims old = TypicalRisai();
  CHECK_FALSE(ClaimsToCwt(old).Find(kClaimCertificate)->Find(19));
  c.municipality_name = std::string(201, 'x');
  CHECK_FALSE(ValidateClaims(c).ok());
}

TEST_CASE("certificate: a certificate naming an issuer its key is not listed for is not valid") {
  Fixture f;
  f.trust.municipality_name = "千代田区";
  f.trust.keys[0].title = "千代田区長";
  CertificateClaims c = TypicalRisai();
  c.issuer_name = "千代田区長";
  c.municipality_name = "千代田区";
  auto sign = [&](const CertificateClaims& claims) {
    return EncodeJdv1(View(SignCertificate(claims, f.issuer.sk, f.issuer.pk)));
  };
  auto v = VerifyJdv1(sign(c), f.trust, nullptr);
  CHECK_MESSAGE(v.ok(), v.reason);
  REQUIRE(v.issuer);
  CHECK(v.issuer->title == "千代田区長");
  CHECK(v.issuer->municipality_name == "千代田区");
  CHECK(v.issuer->code == "131016");

  SUBCASE("another title, signed by the listed key") {
    c.issuer_name = "内閣総理大臣";
    auto forged = VerifyJdv1(sign(c), f.trust, nullptr);
    CHECK(forged.status == CertStatus::kKeyNotAllowed);
    CHECK(forged.reason.find("names an issuer its key is not listed for") != std::string::npos);
    CHECK_FALSE(forged.issuer);
    REQUIRE(forged.claims);  // shown, so staff see what it claims
    CHECK(forged.claims->issuer_name == "内閣総理大臣");
  }
  SUBCASE("another municipality name") {
    c.municipality_name = "港区";
    CHECK(VerifyJdv1(sign(c), f.trust, nullptr).status == CertStatus::kKeyNotAllowed);
  }
  SUBCASE("a shelter key claiming the mayor's title") {
    f.trust.keys[1].title = "麹町小避難所長";
    c.serial = "T001-000001";
    c.type = CertType::kHinan;
    c.level.reset();
    c.shelter_name = "麹町小";
    c.stay_from = 20250810;
    auto n = VerifyJdv1(EncodeJdv1(View(SignCertificate(c, f.shelter.sk, f.shelter.pk))), f.trust,
                        nullptr);
    CHECK(n.status == CertStatus::kKeyNotAllowed);
  }
  SUBCASE("a certificate of before (no issuer claims) verifies and shows the list's issuer") {
    CertificateClaims old = TypicalRisai();
    auto o = VerifyJdv1(sign(old), f.trust, nullptr);
    CHECK_MESSAGE(o.ok(), o.reason);
    REQUIRE(o.issuer);
    CHECK(o.issuer->title == "千代田区長");
    CHECK(o.issuer->municipality_name == "千代田区");
  }
  SUBCASE("a list of before (no names) accepts whatever the certificate names") {
    f.trust.municipality_name.clear();
    f.trust.keys[0].title.clear();
    auto o = VerifyJdv1(sign(c), f.trust, nullptr);
    CHECK_MESSAGE(o.ok(), o.reason);
    CHECK(o.issuer->title == "千代田区長");
  }
}

TEST_CASE("certificate: claims that issuing must refuse") {
  CertificateClaims c = TypicalRisai();
  c.level.reset();
  CHECK(ValidateClaims(c).error().detail.find("damage level") != std::string::npos);
  c = TypicalRisai();
  c.serial.clear();
  CHECK_FALSE(ValidateClaims(c).ok());
  c = TypicalRisai();
  c.certified_on = 20250230;
  CHECK_FALSE(ValidateClaims(c).ok());
  c = TypicalRisai();
  c.type = CertType::kHinan;
  CHECK_FALSE(ValidateClaims(c).ok());  // no shelter
  c.shelter_name = "x";
  c.stay_from = 20250810;
  c.stay_to = 20250801;
  CHECK_FALSE(ValidateClaims(c).ok());
}

TEST_CASE("certificate: the typical 罹災証明書 is within 280 bytes of COSE and a V15-Q QR") {
  Fixture f;
  CertificateClaims c = TypicalRisai();
  Bytes cose = SignCertificate(c, f.issuer.sk, f.issuer.pk);
  std::string text = EncodeJdv1(View(cose));
  auto wire = Jdv1WireBytes(text);
  REQUIRE(wire.ok());
  CHECK(wire->size() <= kCoseTargetBytes);
  CHECK(text.rfind("JDV1:", 0) == 0);
  auto sym = EncodeQr(text, QrEcc::kQ);
  REQUIRE(sym.ok());
  MESSAGE("typical 罹災証明書: COSE " << cose.size() << " B, wire " << wire->size()
                                      << " B, QR text " << text.size() << " chars, QR version "
                                      << sym->version << " at Q");
  CHECK(sym->version <= 15);
  // The QR decodes back to the same text and verifies.
  auto found = DecodeQr(RenderQr(*sym, 3).view());
  REQUIRE(found.size() == 1);
  CHECK(found[0].text == text);
  CHECK(VerifyJdv1(found[0].text, f.trust, nullptr).ok());
}

TEST_CASE("certificate: zlib is used only when smaller, and the verifier accepts both forms") {
  Fixture f;
  CertificateClaims c = TypicalRisai();
  c.members = {"山田 花子", "山田 花子", "山田 花子", "山田 花子"};  // repetitive: compresses
  c.issuer_name = "千代田区長 千代田区長 千代田区長";
  Bytes cose = SignCertificate(c, f.issuer.sk, f.issuer.pk);
  std::string text = EncodeJdv1(View(cose));
  auto wire = Jdv1WireBytes(text);
  REQUIRE(wire.ok());
  CHECK((*wire)[0] == 0x78);
  CHECK(wire->size() < cose.size());
  CHECK(DecodeJdv1(text).value() == cose);
  CHECK(VerifyJdv1(text, f.trust, nullptr).ok());
  // Uncompressed form of the same COSE also verifies.
  CHECK(VerifyJdv1("JDV1:" + Base45Encode(View(cose)), f.trust, nullptr).ok());
  // A typical certificate does not compress: sent raw (first byte 0xD2, the tag).
  std::string plain = EncodeJdv1(View(SignCertificate(TypicalRisai(), f.issuer.sk, f.issuer.pk)));
  CHECK(Jdv1WireBytes(plain).value()[0] == 0xD2);
}

TEST_CASE(
    "certificate: the signed lists' QR text (JTL1:, JSL1:) is the JDV1 form with their prefix") {
  Fixture f;
  crypto::SignKeyPair root = SeededKey(9);
  Bytes list = SignTrustList(f.trust, root.sk, root.pk).value();
  std::string text = EncodeQrText(kJtl1Prefix, View(list));
  REQUIRE(text.substr(0, 5) == "JTL1:");
  Bytes wire = Base45Decode(text.substr(5)).value();
  // A trust list (random keys) hardly compresses: zlib only when smaller, as for certificates.
  Bytes cose = wire[0] == 0x78 ? ZlibDecompress(View(wire), 1 << 20).value() : wire;
  CHECK(cose == list);
  CHECK(VerifyTrustList(View(cose), root.pk).ok());
  StatusList s;
  s.municipality_code = "131016";
  for (int i = 0; i < 40; ++i)  // repetitive serials: compressed
    s.entries.push_back({"K001-0000" + std::to_string(10 + i), 0, 1754900000});
  Bytes slist = SignStatusList(s, root.sk, root.pk).value();
  std::string stext = EncodeQrText(kJsl1Prefix, View(slist));
  Bytes swire = Base45Decode(stext.substr(5)).value();
  CHECK(stext.substr(0, 5) == "JSL1:");
  CHECK(swire[0] == 0x78);
  CHECK(ZlibDecompress(View(swire), 1 << 20).value() == slist);
}

TEST_CASE("certificate: every verification outcome, each with its reason") {
  Fixture f;
  CertificateClaims c = TypicalRisai();
  std::string good = EncodeJdv1(View(SignCertificate(c, f.issuer.sk, f.issuer.pk)));

  auto v = VerifyJdv1(good, f.trust, nullptr);
  CHECK(v.status == CertStatus::kValid);
  CHECK_FALSE(v.revocation_checked);
  REQUIRE(v.claims);
  CHECK(v.claims->head_name == "山田 太郎");

  SUBCASE("malformed") {
    CHECK(VerifyJdv1("HC1:ABC", f.trust, nullptr).status == CertStatus::kMalformed);
    CHECK(VerifyJdv1("JDV1:!!", f.trust, nullptr).status == CertStatus::kMalformed);
    CHECK(VerifyJdv1("JDV1:", f.trust, nullptr).status == CertStatus::kMalformed);
  }
  SUBCASE("tampered: one claim byte changed, signature kept") {
    Bytes cose = DecodeJdv1(good).value();
    auto it = std::search(cose.begin(), cose.end(), std::begin("A001-000042"),
                          std::end("A001-000042") - 1);
    REQUIRE(it != cose.end());
    it[10] = '3';  // A001-000043
    auto t = VerifyJdv1(EncodeJdv1(View(cose)), f.trust, nullptr);
    CHECK(t.status == CertStatus::kTampered);
    CHECK(t.reason.find("signature") != std::string::npos);
    CHECK_FALSE(t.claims);  // unverified claims are never shown
  }
  SUBCASE("unknown key") {
    auto stranger = SeededKey(3);
    auto u = VerifyJdv1(EncodeJdv1(View(SignCertificate(c, stranger.sk, stranger.pk))), f.trust,
                        nullptr);
    CHECK(u.status == CertStatus::kUnknownKey);
    CHECK(u.reason.find("not on the trust list") != std::string::npos);
  }
  SUBCASE("key not allowed: a shelter key signing a 罹災証明書") {
    c.serial = "T001-000001";
    auto n = VerifyJdv1(EncodeJdv1(View(SignCertificate(c, f.shelter.sk, f.shelter.pk))), f.trust,
                        nullptr);
    CHECK(n.status == CertStatus::kKeyNotAllowed);
    CHECK(n.reason.find("may not issue a risai") != std::string::npos);
    // The same key may sign a 避難証明.
    c.type = CertType::kHinan;
    c.level.reset();
    c.shelter_name = "麹町小";
    c.stay_from = 20250810;
    CHECK(VerifyJdv1(EncodeJdv1(View(SignCertificate(c, f.shelter.sk, f.shelter.pk))), f.trust,
                     nullptr)
              .ok());
  }
  SUBCASE("key not allowed: a certificate of another municipality") {
    c.issuer_code = "271004";
    CHECK(
        VerifyJdv1(EncodeJdv1(View(SignCertificate(c, f.issuer.sk, f.issuer.pk))), f.trust, nullptr)
            .status == CertStatus::kKeyNotAllowed);
  }
  SUBCASE("expired key: issued after the key's not_after") {
    c.issued_at = 1800000001;
    auto e = VerifyJdv1(EncodeJdv1(View(SignCertificate(c, f.issuer.sk, f.issuer.pk))), f.trust,
                        nullptr);
    CHECK(e.status == CertStatus::kKeyExpired);
    CHECK(e.reason.find("validity") != std::string::npos);
  }
  SUBCASE("withdrawn key") {
    f.trust.keys[0].withdrawn = true;
    CHECK(VerifyJdv1(good, f.trust, nullptr).status == CertStatus::kKeyWithdrawn);
  }
  SUBCASE("revoked, and a reissue supersedes earlier papers") {
    StatusList s;
    s.municipality_code = "131016";
    s.issued_at = 1755000000;
    s.entries = {{"A001-000042", 0, 1755000000}};
    auto r = VerifyJdv1(good, f.trust, &s);
    CHECK(r.status == CertStatus::kRevoked);
    CHECK(r.revocation_checked);
    s.entries = {{"A001-000042", 2, 1755000000}};
    CHECK(VerifyJdv1(good, f.trust, &s).status == CertStatus::kRevoked);  // issue 1 < 2
    c.issue_no = 2;
    auto re =
        VerifyJdv1(EncodeJdv1(View(SignCertificate(c, f.issuer.sk, f.issuer.pk))), f.trust, &s);
    CHECK(re.status == CertStatus::kValid);
    CHECK(re.revocation_checked);
    CHECK(re.revocation_as_of == 1755000000);
  }
}

TEST_CASE("certificate: dates") {
  CHECK(ToDateInt("2025-08-10") == 20250810);
  CHECK(ToDateInt("2025-02-29") == 0);
  CHECK(DateIntToIso(20240229) == "2024-02-29");
  CHECK(DateIntToJapanese(20250810) == "令和7年8月10日");
  CHECK(DateIntToJapanese(20190501) == "令和元年5月1日");
  CHECK(DateIntToJapanese(20190430) == "平成31年4月30日");
  CHECK(DateIntFromUnix(1754838000) == 20250811);  // 2025-08-10 15:00 UTC = 08-11 00:00 JST
  CHECK(DateIntFromUnix(1754837999) == 20250810);
}
