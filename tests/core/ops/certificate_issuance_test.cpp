// Specifies core/ops/certificate_issuance and core/ops/assessment.
// Assessments, issuing keys, trust lists and certificates across devices of one municipality:
// issued on one device, verified on another with only the root key and the trust list.
#include <doctest/doctest.h>

#include <set>

#include "core/model/entities.hpp"
#include "core/ops/assessment.hpp"
#include "core/ops/certificate_issuance.hpp"
#include "core/ops/households.hpp"
#include "tests/support/test_shelter.hpp"

using namespace shelter::core;
using shelter::test::TestShelter;

namespace {

constexpr int64_t kNow = 1754900000;  // 2025-08-11
constexpr int64_t kYear = 365 * 24 * 3600;

void Deliver(Node& from, Node& to) {
  std::vector<Bytes> wires;
  REQUIRE(from.log()
              .ForEachSegment([&](const Segment& s) {
                wires.push_back(s.wire);
                return Ok();
              })
              .ok());
  for (auto& w : wires) {
    auto r = to.Ingest(View(w));
    REQUIRE_MESSAGE(r.ok(), r.error().ToString());
  }
}

Household Yamada() {
  Household h;
  h.address = "東京都千代田区麹町二丁目八番";
  Person head, child;
  head.name = "山田 太郎";
  head.kana = "やまだ たろう";
  child.name = "山田 花子";
  child.kana = "やまだ はなこ";
  h.members = {head, child};
  return h;
}

// Trusts `node`'s (new) issuing key for `types` on the admin device and hands the list to every
// device.
IssuerKey TrustKey(TestShelter& ts, Node& node, std::vector<CertType> types,
                   std::vector<Node*> devices) {
  auto pk = CreateIssuingKey(node);
  REQUIRE_MESSAGE(pk.ok(), pk.error().ToString());
  auto entry = TrustIssuingKey(ts.admin(), {*pk, "key", types, kNow - 10, kNow + kYear}, kNow);
  REQUIRE_MESSAGE(entry.ok(), entry.error().ToString());
  auto list = SignedTrustList(ts.admin());
  REQUIRE((list.ok() && *list));
  for (Node* d : devices) REQUIRE(ImportTrustList(*d, View(**list)).ok());
  return *entry;
}

struct World {
  TestShelter ts{2};
  Id16 household, disaster;
  World() {
    auto d = AddDisaster(ts.admin(), {{}, "令和7年8月の大雨", "2025-08-10", "flood"});
    REQUIRE_MESSAGE(d.ok(), d.error().ToString());
    disaster = *d;
    Deliver(ts.admin(), ts.tablet(0));
    Deliver(ts.admin(), ts.tablet(1));
    auto reg = RegisterHousehold(ts.tablet(0), Yamada(), ts.shelter_id(), true);
    REQUIRE(reg.ok());
    household = reg->household;
  }
  // A first survey of the household: 全壊, flooded above the floor.
  Assessment Zenkai() const {
    Assessment a;
    a.household = household;
    a.disaster = disaster;
    a.level = DamageLevel::kZenkai;
    a.flood = Flood::kAboveFloor;
    a.date = "2025-08-12";
    return a;
  }
};

}  // namespace

TEST_CASE("assessment: a re-survey supersedes the first survey and the history is kept") {
  World w;
  Deliver(w.ts.tablet(0), w.ts.admin());
  Node& t = w.ts.admin();  // the municipality office surveys
  Assessment first;
  first.household = w.household;
  first.disaster = w.disaster;
  first.level = DamageLevel::kHankai;
  first.flood = Flood::kBelowFloor;
  first.stage = SurveyStage::kFirst;
  first.surveyor = "team-3";
  first.date = "2025-08-12";
  auto a1 = RecordAssessment(t, first);
  REQUIRE_MESSAGE(a1.ok(), a1.error().ToString());
  Assessment re = first;
  re.level = DamageLevel::kDaikiboHankai;
  re.flood = Flood::kAboveFloor;
  re.stage = SurveyStage::kResurvey;
  re.date = "2025-08-20";
  auto a2 = RecordAssessment(t, re);
  REQUIRE(a2.ok());
  auto history = AssessmentHistory(t, w.household);
  REQUIRE(history.ok());
  REQUIRE(history->size() == 2);
  CHECK((*history)[0].level == DamageLevel::kHankai);
  CHECK((*history)[1].prev == *a1);
  auto current = CurrentAssessment(t, w.household);
  REQUIRE((current.ok() && *current));
  CHECK((*current)->id == *a2);
  CHECK((*current)->level == DamageLevel::kDaikiboHankai);
  CHECK((*current)->stage == SurveyStage::kResurvey);

  // Synced to a shelter tablet, the same history and current result.
  Deliver(t, w.ts.tablet(1));
  auto other = CurrentAssessment(w.ts.tablet(1), w.household);
  REQUIRE((other.ok() && *other));
  CHECK((*other)->id == *a2);

  first.date = "2025-13-01";
  CHECK(RecordAssessment(t, first).error().code == ErrorCode::kInvalidArgument);
  first.date = "2025-08-12";
  first.household = Id16::Random();
  CHECK(RecordAssessment(t, first).error().code == ErrorCode::kNotFound);
}

TEST_CASE("issuance: a shelter key may sign only 避難証明, the municipality key signs 罹災証明書") {
  World w;
  Node& tablet = w.ts.tablet(0);
  Node& admin = w.ts.admin();
  TrustKey(w.ts, tablet, {CertType::kHinan}, {&tablet, &w.ts.tablet(1)});

  IssueRequest hinan{CertType::kHinan, w.household, {}, "", false, kNow};
  auto stay = IssueCertificate(tablet, hinan);
  REQUIRE_MESSAGE(stay.ok(), stay.error().ToString());
  CHECK(stay->claims.shelter_name == "千代田区立麹町小学校");
  CHECK(stay->claims.head_name == "山田 太郎");
  CHECK(stay->claims.stay_from != 0);
  CHECK(stay->claims.stay_to == 0);

  IssueRequest risai{CertType::kRisai, w.household, {}, "", true, kNow};
  auto refused = IssueCertificate(tablet, risai);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == ErrorCode::kPermissionDenied);

  // The municipality office (the admin device here) assesses and issues the 罹災証明書.
  Deliver(tablet, admin);
  TrustKey(w.ts, admin, {CertType::kRisai, CertType::kHisai}, {&tablet, &w.ts.tablet(1)});
  CHECK(IssueCertificate(admin, risai).error().code == ErrorCode::kNotFound);  // no assessment yet
  Assessment a = w.Zenkai();
  a.site = "東京都千代田区麹町二丁目九番";
  REQUIRE(RecordAssessment(admin, a).ok());
  auto cert = IssueCertificate(admin, risai);
  REQUIRE_MESSAGE(cert.ok(), cert.error().ToString());
  CHECK(cert->claims.level == DamageLevel::kZenkai);
  CHECK(cert->claims.site == "東京都千代田区麹町二丁目九番");
  CHECK(cert->claims.head_address == "東京都千代田区麹町二丁目八番");
  CHECK(cert->claims.disaster == "令和7年8月の大雨");
  CHECK(cert->claims.disaster_date == 20250810);
  CHECK(cert->claims.members == std::vector<std::string>{"山田 花子"});

  // Verified on another tablet with only the root key and the trust list it imported.
  auto trust = LoadTrustList(w.ts.tablet(1));
  REQUIRE((trust.ok() && *trust));
  auto v = VerifyJdv1(cert->jdv1, **trust, nullptr);
  CHECK_MESSAGE(v.ok(), v.reason);
  CHECK(VerifyJdv1(stay->jdv1, **trust, nullptr).ok());

  // The certificate record syncs back with the op log.
  Deliver(admin, tablet);
  auto found = FindCertificate(tablet, cert->claims.serial);
  REQUIRE(found.ok());
  CHECK(found->type == CertType::kRisai);
  CHECK(found->cose == cert->cose);
}

TEST_CASE("issuance: serial numbers stay unique across two devices without a network") {
  World w;
  Node& t0 = w.ts.tablet(0);
  Node& t1 = w.ts.tablet(1);
  Deliver(t0, t1);  // the household is known on both
  IssuerKey k0 = TrustKey(w.ts, t0, {CertType::kHinan}, {&t0, &t1});
  IssuerKey k1 = TrustKey(w.ts, t1, {CertType::kHinan}, {&t0, &t1});
  CHECK(k0.serial_prefix != k1.serial_prefix);
  std::set<std::string> serials;
  IssueRequest req{CertType::kHinan, w.household, {}, "", false, kNow};
  for (int i = 0; i < 10; ++i) {
    for (Node* n : {&t0, &t1}) {
      auto c = IssueCertificate(*n, req);
      REQUIRE_MESSAGE(c.ok(), c.error().ToString());
      CHECK(serials.insert(c->claims.serial).second);
    }
  }
  CHECK(serials.size() == 20);
  // Counters survive a restart: no number is handed out twice.
  w.ts.Reopen(0);
  auto again = IssueCertificate(w.ts.tablet(0), req);
  REQUIRE(again.ok());
  CHECK(serials.insert(again->claims.serial).second);
  // After sync both devices hold all 21 records.
  Deliver(w.ts.tablet(0), t1);
  Deliver(t1, w.ts.tablet(0));
  CHECK(ListCertificates(t1)->size() == 21);
  CHECK(ListCertificates(w.ts.tablet(0))->size() == 21);
}

TEST_CASE(
    "issuance: revocation, reissue, key rotation and withdrawal reach verifiers via signed lists") {
  World w;
  Node& t0 = w.ts.tablet(0);
  Node& t1 = w.ts.tablet(1);
  Node& admin = w.ts.admin();
  TrustKey(w.ts, t0, {CertType::kHinan}, {&t0, &t1});
  IssueRequest req{CertType::kHinan, w.household, {}, "", false, kNow};
  auto a = IssueCertificate(t0, req);
  auto b = IssueCertificate(t0, req);
  REQUIRE((a.ok() && b.ok()));

  CHECK(RevokeCertificate(t0, a->claims.serial, "error").ok());
  auto b2 = ReissueCertificate(t0, b->claims.serial, kNow + 60);
  REQUIRE_MESSAGE(b2.ok(), b2.error().ToString());
  CHECK(b2->claims.serial == b->claims.serial);
  CHECK(b2->claims.issue_no == 2);
  CHECK(ReissueCertificate(t0, a->claims.serial).error().code == ErrorCode::kConflict);

  Deliver(t0, admin);
  auto status = PublishStatusList(admin, kNow + 120);
  REQUIRE_MESSAGE(status.ok(), status.error().ToString());
  REQUIRE(ImportStatusList(t1, View(*status)).ok());
  auto trust = LoadTrustList(t1).value().value();
  auto revs = LoadStatusList(t1).value().value();
  CHECK(VerifyJdv1(a->jdv1, trust, &revs).status == CertStatus::kRevoked);
  CHECK(VerifyJdv1(b->jdv1, trust, &revs).status == CertStatus::kRevoked);  // superseded paper
  auto v = VerifyJdv1(b2->jdv1, trust, &revs);
  CHECK_MESSAGE(v.ok(), v.reason);
  CHECK(v.revocation_checked);

  // An older status list is refused once a newer one is held.
  auto older = PublishStatusList(admin, kNow + 130);
  REQUIRE(older.ok());
  REQUIRE(ImportStatusList(t1, View(*older)).ok());
  CHECK(ImportStatusList(t1, View(*status)).error().code == ErrorCode::kConflict);

  // Rotation: a new key on t0, a new prefix; certificates of the old key keep verifying.
  IssuerKey old_key = trust.keys.at(0);
  IssuerKey rotated = TrustKey(w.ts, t0, {CertType::kHinan}, {&t0, &t1});
  CHECK(rotated.serial_prefix != old_key.serial_prefix);
  auto c = IssueCertificate(t0, req);
  REQUIRE(c.ok());
  CHECK(c->claims.serial.rfind(rotated.serial_prefix, 0) == 0);
  trust = LoadTrustList(t1).value().value();
  CHECK(VerifyJdv1(c->jdv1, trust, nullptr).ok());
  CHECK(VerifyJdv1(b2->jdv1, trust, nullptr).ok());

  // Withdrawal of the old key: what it signed no longer verifies, the new key's still does.
  REQUIRE(WithdrawIssuingKey(admin, ByteView(old_key.kid.data(), 8), kNow + 200).ok());
  REQUIRE(ImportTrustList(t1, View(SignedTrustList(admin).value().value())).ok());
  trust = LoadTrustList(t1).value().value();
  CHECK(VerifyJdv1(b2->jdv1, trust, nullptr).status == CertStatus::kKeyWithdrawn);
  CHECK(VerifyJdv1(c->jdv1, trust, nullptr).ok());

  // Only the admin device signs lists; a forged list is refused on import.
  CHECK(PublishStatusList(t0, kNow).error().code == ErrorCode::kPermissionDenied);
  Bytes forged = SignedTrustList(admin).value().value();
  forged[forged.size() - 5] ^= 0x40;
  CHECK_FALSE(ImportTrustList(t1, View(forged)).ok());
}

TEST_CASE("issuance: a key outside its validity cannot issue") {
  World w;
  Node& t0 = w.ts.tablet(0);
  TrustKey(w.ts, t0, {CertType::kHinan}, {&t0});
  IssueRequest req{CertType::kHinan, w.household, {}, "", false, kNow + 2 * kYear};
  auto r = IssueCertificate(t0, req);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().detail.find("validity") != std::string::npos);
}

TEST_CASE("issuance: a device verifies with the lists it holds and says which versions it used") {
  World w;
  Node& t0 = w.ts.tablet(0);
  Node& t1 = w.ts.tablet(1);
  IssueRequest req{CertType::kHinan, w.household, {}, "", false, kNow};
  CHECK(VerifyWithDeviceLists(t1, "JDV1:").error().code == ErrorCode::kNotFound);  // no trust list
  TrustKey(w.ts, t0, {CertType::kHinan}, {&t0, &t1});
  auto a = IssueCertificate(t0, req);
  REQUIRE(a.ok());
  auto v = VerifyWithDeviceLists(t1, a->jdv1);
  REQUIRE_MESSAGE(v.ok(), v.error().ToString());
  CHECK(v->result.ok());
  CHECK(v->trust_version == LoadTrustList(t1).value()->version);
  CHECK_FALSE(v->status_version);
  CHECK(v->municipality_code == w.ts.admin().municipality_code());

  CHECK(RevokeCertificate(t0, a->claims.serial, "error").ok());
  Deliver(t0, w.ts.admin());
  auto status = PublishStatusList(w.ts.admin(), kNow + 60);
  REQUIRE(status.ok());
  REQUIRE(ImportStatusList(t1, View(*status)).ok());
  v = VerifyWithDeviceLists(t1, a->jdv1);
  REQUIRE(v.ok());
  CHECK(v->result.status == CertStatus::kRevoked);
  CHECK(v->status_version == LoadStatusList(t1).value()->version);
  REQUIRE(v->revocation);
  CHECK(v->revocation->below_issue == 0);
  CHECK(VerifyWithDeviceLists(t1, "JDV1:!!").value().result.status == CertStatus::kMalformed);
}

TEST_CASE("issuance: a failed cert issue does not use up a serial number") {
  World w;
  Node& admin = w.ts.admin();
  Deliver(w.ts.tablet(0), admin);
  TrustKey(w.ts, admin, {CertType::kHisai}, {});
  IssueRequest req{CertType::kHisai, w.household, w.disaster, std::string(300, 'x'), false, kNow};
  auto refused = IssueCertificate(admin, req);  // the note is over the certificate's text limit
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == ErrorCode::kInvalidArgument);
  req.damage_note = "床上浸水";
  auto first = IssueCertificate(admin, req);
  REQUIRE_MESSAGE(first.ok(), first.error().ToString());
  CHECK(first->claims.serial.ends_with("-000001"));  // was -000002: the refusal took 000001
}

TEST_CASE("issuance: cert revoke takes only the documented reason codes") {
  World w;
  Node& t0 = w.ts.tablet(0);
  TrustKey(w.ts, t0, {CertType::kHinan}, {&t0});
  auto c = IssueCertificate(t0, {CertType::kHinan, w.household, {}, "", false, kNow});
  REQUIRE_MESSAGE(c.ok(), c.error().ToString());
  Status bad = RevokeCertificate(t0, c->claims.serial, "oops typed wrong");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == ErrorCode::kInvalidArgument);
  CHECK(bad.error().detail.find("error, duplicate, superseded, withdrawn, fraud") !=
        std::string::npos);
  CHECK(FindCertificate(t0, c->claims.serial)->status == "issued");
  for (const char* reason : kRevocationReasons) CHECK(IsRevocationReason(reason));
  CHECK(RevokeCertificate(t0, c->claims.serial, "duplicate").ok());
  CHECK(FindCertificate(t0, c->claims.serial)->reason == "duplicate");
}

TEST_CASE(
    "cert policy: a shelter tablet never assesses or issues 罹災証明書, a certifier at the "
    "office does") {
  World w;
  Node& tablet = w.ts.tablet(0);
  Node& admin = w.ts.admin();
  // A trust list that (wrongly) allows the tablet's key every type: the device rule still holds.
  TrustKey(w.ts, tablet, {CertType::kRisai, CertType::kHisai, CertType::kHinan}, {&tablet});
  Assessment a = w.Zenkai();
  auto assessed = RecordAssessment(tablet, a);  // the tablet's lead
  REQUIRE_FALSE(assessed.ok());
  CHECK(assessed.error().code == ErrorCode::kPermissionDenied);
  CHECK(assessed.error().detail.find("admin or HQ device") != std::string::npos);
  for (CertType t : {CertType::kRisai, CertType::kHisai}) {
    auto r = IssueCertificate(tablet, {t, w.household, w.disaster, "塀", false, kNow});
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::kPermissionDenied);
    CHECK(r.error().detail.find("certifier") != std::string::npos);  // says who may
  }
  // A plain staff account on the tablet still issues 避難証明, and may not revoke it.
  REQUIRE(tablet.AddStaff("s-ito", StaffRole::kStaff, "2468").ok());
  REQUIRE(tablet.Login("s-ito", "2468").ok());
  auto stay = IssueCertificate(tablet, {CertType::kHinan, w.household, {}, "", false, kNow});
  REQUIRE_MESSAGE(stay.ok(), stay.error().ToString());
  CHECK(RevokeCertificate(tablet, stay->claims.serial, "error").error().code ==
        ErrorCode::kPermissionDenied);
  CHECK(RecordAssessment(tablet, a).error().code == ErrorCode::kPermissionDenied);

  // At the office: a lead may not add a certifier; an admin may, and the certifier assesses,
  // issues and revokes, but does no shelter work.
  Deliver(tablet, admin);
  TrustKey(w.ts, admin, {CertType::kRisai, CertType::kHisai}, {});
  REQUIRE(admin.AddStaff("c-mori", StaffRole::kCertifier, "1357").ok());
  REQUIRE(tablet.Login("lead", "5678").ok());
  CHECK(tablet.AddStaff("c-x", StaffRole::kCertifier, "1357").error().code ==
        ErrorCode::kPermissionDenied);
  REQUIRE(admin.Login("c-mori", "1357").ok());
  REQUIRE(RecordAssessment(admin, a).ok());
  auto cert = IssueCertificate(admin, {CertType::kRisai, w.household, {}, "", false, kNow});
  REQUIRE_MESSAGE(cert.ok(), cert.error().ToString());
  CHECK(RevokeCertificate(admin, cert->claims.serial, "error").ok());
  CHECK(RegisterHousehold(admin, Yamada(), w.ts.shelter_id(), true).error().code ==
        ErrorCode::kPermissionDenied);
}

TEST_CASE("issuance: the issuer title and municipality name are signed from the trust list") {
  World w;
  Node& t0 = w.ts.tablet(0);
  Node& t1 = w.ts.tablet(1);
  Node& admin = w.ts.admin();
  auto pk = CreateIssuingKey(t0);
  REQUIRE(pk.ok());
  auto entry = TrustIssuingKey(
      admin, {*pk, "麹町小-tablet", {CertType::kHinan}, kNow - 10, kNow + kYear, "千代田区長"},
      kNow);
  REQUIRE_MESSAGE(entry.ok(), entry.error().ToString());
  CHECK(entry->title == "千代田区長");
  REQUIRE(SetVerifyUrl(admin, "https://www.city.chiyoda.lg.jp/verify/", kNow).ok());
  CHECK(SetVerifyUrl(admin, "ftp://x/", kNow).error().code == ErrorCode::kInvalidArgument);
  CHECK(SetVerifyUrl(t0, "https://x/", kNow).error().code == ErrorCode::kPermissionDenied);
  auto handout = [&] {
    Bytes list = SignedTrustList(admin).value().value();
    REQUIRE(ImportTrustList(t0, View(list)).ok());
    REQUIRE(ImportTrustList(t1, View(list)).ok());
  };
  handout();
  auto trust = LoadTrustList(t1).value().value();
  CHECK(trust.municipality_name == "千代田区");  // from the municipality record (init --name)
  CHECK(trust.verify_url == "https://www.city.chiyoda.lg.jp/verify/");

  IssueRequest req{CertType::kHinan, w.household, {}, "", false, kNow};
  auto c = IssueCertificate(t0, req);
  REQUIRE_MESSAGE(c.ok(), c.error().ToString());
  CHECK(c->claims.issuer_name == "千代田区長");
  CHECK(c->claims.municipality_name == "千代田区");
  CHECK(c->verify_url == "https://www.city.chiyoda.lg.jp/verify/");
  auto v = VerifyWithDeviceLists(t1, c->jdv1);
  REQUIRE(v.ok());
  CHECK_MESSAGE(v->result.ok(), v->result.reason);
  REQUIRE(v->result.issuer);
  CHECK(v->result.issuer->title == "千代田区長");

  // trust add without --title keeps the title; retitling makes a new version, and the earlier
  // certificate then names an issuer its key is not listed for.
  uint64_t before = trust.version;
  REQUIRE(TrustIssuingKey(admin,
                          {*pk, "麹町小-tablet", {CertType::kHinan}, kNow - 10, kNow + kYear}, kNow)
              ->title == "千代田区長");
  auto re = RetitleIssuingKey(admin, ByteView(entry->kid.data(), 8), "麹町小学校避難所長", kNow);
  REQUIRE_MESSAGE(re.ok(), re.error().ToString());
  CHECK(RetitleIssuingKey(admin, ByteView(entry->kid.data(), 8), "", kNow).error().code ==
        ErrorCode::kInvalidArgument);
  CHECK(RetitleIssuingKey(t0, ByteView(entry->kid.data(), 8), "x", kNow).error().code ==
        ErrorCode::kPermissionDenied);
  Bytes unknown_kid(8, 0x01);
  CHECK(RetitleIssuingKey(admin, View(unknown_kid), "x", kNow).error().code ==
        ErrorCode::kNotFound);
  handout();
  trust = LoadTrustList(t1).value().value();
  CHECK(trust.version == before + 2);
  CHECK(trust.keys.at(0).title == "麹町小学校避難所長");
  CHECK(trust.verify_url == "https://www.city.chiyoda.lg.jp/verify/");  // kept across versions
  v = VerifyWithDeviceLists(t1, c->jdv1);
  REQUIRE(v.ok());
  CHECK(v->result.status == CertStatus::kKeyNotAllowed);
  CHECK(v->result.reason.find("names an issuer its key is not listed for") != std::string::npos);

  // A reissue names the issuer as the list now does, and verifies.
  auto c2 = ReissueCertificate(t0, c->claims.serial, kNow + 60);
  REQUIRE_MESSAGE(c2.ok(), c2.error().ToString());
  CHECK(c2->claims.issuer_name == "麹町小学校避難所長");
  CHECK(VerifyWithDeviceLists(t1, c2->jdv1)->result.ok());
}

TEST_CASE("issuance: the status list carries each revocation's reason and its first date") {
  World w;
  Node& t0 = w.ts.tablet(0);
  Node& admin = w.ts.admin();
  TrustKey(w.ts, t0, {CertType::kHinan}, {&t0});
  IssueRequest req{CertType::kHinan, w.household, {}, "", false, kNow};
  auto a = IssueCertificate(t0, req);
  auto b = IssueCertificate(t0, req);
  REQUIRE((a.ok() && b.ok()));
  REQUIRE(RevokeCertificate(t0, a->claims.serial, "fraud").ok());
  REQUIRE(ReissueCertificate(t0, b->claims.serial, kNow + 10).ok());
  Deliver(t0, admin);
  REQUIRE(PublishStatusList(admin, kNow + 60).ok());
  auto again = PublishStatusList(admin, kNow + 3600);  // republished later: dates stay
  REQUIRE(again.ok());
  auto s = VerifyStatusList(View(*again), admin.root_pk());
  REQUIRE(s.ok());
  const Revocation* ra = s->Revokes(a->claims.serial, 1);
  const Revocation* rb = s->Revokes(b->claims.serial, 1);
  REQUIRE((ra && rb));
  CHECK(ra->reason == "fraud");
  CHECK(ra->at == kNow + 60);
  CHECK(rb->reason.empty());  // a superseded issue, not a revocation
  CHECK(rb->at == kNow + 60);
  REQUIRE(ImportStatusList(t0, View(*again)).ok());
  auto v = VerifyWithDeviceLists(t0, a->jdv1);
  REQUIRE(v.ok());
  REQUIRE(v->revocation);
  CHECK(v->revocation->reason == "fraud");
  CHECK(v->revocation->at == kNow + 60);
}
