// Issuing certificates on a device: its issuing key, the lists it holds, serials and certificate
// records (see certificate_issuance.hpp).
//
// [SECTION] index
//   Helpers            the issuing key, serial counter, certificate records
//   Issuing key        CreateIssuingKey, IssuingPublicKey
//   Lists held         ImportTrustList, ImportStatusList, LoadTrustList, LoadStatusList,
//                      SignedTrustList, SignedStatusList
//   (Admin: TrustIssuingKey, ... are in certificate_trust_admin.cpp)
//   Certificates       IssueCertificate, ReissueCertificate, RevokeCertificate, ListCertificates,
//                      FindCertificate
//   Verifying          VerifyWithDeviceLists
#include "core/ops/certificate_issuance.hpp"

#include <algorithm>
#include <cstdio>
#include <set>

#include "core/base/hlc.hpp"
#include "core/model/entities.hpp"
#include "core/ops/assessment.hpp"
#include "core/ops/cert_policy.hpp"

namespace shelter::core {
namespace {

// [SECTION] Helpers -------------------------------------------------------------------------------

constexpr const char* kMetaIssuerSk = "issuer_sk";         // wrapped Ed25519 secret key (64 bytes)
constexpr const char* kMetaSerialCounter = "cert_serial";  // decimal text: last serial number used

int64_t NowS(int64_t now_s) { return now_s ? now_s : HlcClock::SystemNowMs() / 1000; }

Error Denied(const std::string& why) { return MakeError(ErrorCode::kPermissionDenied, why); }

struct IssuingKey {
  crypto::Secret sk;
  crypto::PublicKey pk{};
};

Result<std::optional<IssuingKey>> LoadIssuingKey(Node& node) {
  SHELTER_ASSIGN_OR_RETURN(auto sk, node.GetWrappedSecret(kMetaIssuerSk));
  if (!sk) return std::optional<IssuingKey>();
  if (sk->size() != 64) return MakeError(ErrorCode::kCorrupt, "issuing key is malformed");
  IssuingKey k{std::move(*sk), {}};
  std::copy_n(k.sk.data() + 32, 32, k.pk.begin());  // libsodium's sk = seed || pk
  return std::optional<IssuingKey>(std::move(k));
}

struct UsableKey {
  IssuingKey key;
  IssuerKey entry;  // the key's entry on the trust list
  TrustList trust;
};

// The device's key and its trust-list entry, checked for `type` at time `now_s`.
Result<UsableKey> FindUsableKey(Node& node, CertType type, int64_t now_s) {
  SHELTER_ASSIGN_OR_RETURN(auto key, LoadIssuingKey(node));
  if (!key) return Denied("this device has no issuing key (shelterctl cert key-new)");
  SHELTER_ASSIGN_OR_RETURN(auto trust, LoadTrustList(node));
  if (!trust)
    return Denied(
        "this device holds no trust list (sync with a device that has it, or shelterctl trust "
        "import)");
  cose::Kid kid = cose::KidOf(key->pk);
  const IssuerKey* entry = trust->Find(ByteView(kid.data(), kid.size()));
  if (!entry) return Denied("this device's issuing key is not on the trust list");
  if (!entry->Allows(type))
    return Denied(std::string("this device's issuing key may not issue a ") + CertTypeName(type) +
                  " certificate");
  if (entry->withdrawn) return Denied("this device's issuing key was withdrawn");
  if (now_s < entry->not_before || now_s > entry->not_after)
    return Denied("this device's issuing key is outside its validity period");
  IssuerKey e = *entry;
  return UsableKey{std::move(*key), std::move(e), std::move(*trust)};
}

// The issuer as the trust list names it for the signing key: signed into the claims.
void SetIssuer(CertificateClaims& c, const UsableKey& key) {
  c.issuer_name = key.entry.title;
  c.municipality_name = key.trust.municipality_name;
}

// The next serial number, not yet taken: UseSerial takes it once the certificate is signed, so a
// request that fails before (bad claims, too large) uses up nothing.
struct Serial {
  std::string text;     // e.g. K001-000042
  std::string counter;  // the counter value that takes it
};

Result<Serial> PeekSerial(Node& node, const std::string& prefix) {
  SHELTER_ASSIGN_OR_RETURN(auto stored, node.log().GetMeta(kMetaSerialCounter));
  uint64_t last = 0;
  if (stored) last = std::strtoull(std::string(AsChars(View(*stored))).c_str(), nullptr, 10);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%06llu", static_cast<unsigned long long>(last + 1));
  return Serial{prefix + "-" + buf, std::to_string(last + 1)};
}

// Durable before use: a crash between this and the record may skip a number, never reuse one.
Status UseSerial(Node& node, const Serial& s) {
  return node.log().PutMeta(kMetaSerialCounter, View(s.counter));
}

Result<Bytes> StoredList(Node& node, std::string_view key) {
  SHELTER_ASSIGN_OR_RETURN(auto b, node.log().GetMeta(key));
  return b ? *b : Bytes{};
}

Result<Bytes> SignAndCheckSize(CertificateClaims& c, const IssuingKey& key) {
  SHELTER_TRY(ValidateClaims(c));
  Bytes cose = SignCertificate(c, key.sk, key.pk);
  if (Jdv1WireBytes(EncodeJdv1(View(cose)))->size() > kCoseMaxBytes && !c.members.empty()) {
    c.members.clear();  // members go on the paper only
    cose = SignCertificate(c, key.sk, key.pk);
  }
  if (Jdv1WireBytes(EncodeJdv1(View(cose)))->size() > kCoseMaxBytes)
    return MakeError(ErrorCode::kInvalidArgument,
                     "certificate does not fit the QR byte cap (names or address too long)");
  return cose;
}

std::vector<FieldWrite> RecordFields(const IssuedCertificate& ic, const Id16& household,
                                     const Id16& assessment, const crypto::PublicKey& pk) {
  cose::Kid kid = cose::KidOf(pk);
  return {{field::kSerial, cbor::Item(ic.claims.serial)},
          {field::kCertType, cbor::Item(static_cast<int64_t>(ic.claims.type))},
          {field::kHousehold, cbor::Item(Bytes(household.b.begin(), household.b.end()))},
          {field::kAssessment, assessment.IsZero()
                                   ? cbor::Item()
                                   : cbor::Item(Bytes(assessment.b.begin(), assessment.b.end()))},
          {field::kIssueNo, cbor::Item(static_cast<int64_t>(ic.claims.issue_no))},
          {field::kIssuedAt, cbor::Item(ic.claims.issued_at)},
          {field::kKid, cbor::Item(Bytes(kid.begin(), kid.end()))},
          {field::kStatus, cbor::Item("issued")},
          {field::kCose, cbor::Item(ic.cose)}};
}

CertificateRecord CertFromRecord(const RecordState& r) {
  CertificateRecord c;
  c.id = r.id;
  c.serial = r.Text(field::kSerial);
  int64_t t = r.Int(field::kCertType, 1);
  c.type = static_cast<CertType>(IsCertTypeCode(t) ? t : 1);
  if (auto* b = r.Get(field::kHousehold).as_bytes())
    if (auto id = Id16::FromBytes(View(*b)); id.ok()) c.household = *id;
  c.issue_no = static_cast<uint32_t>(std::clamp<int64_t>(r.Int(field::kIssueNo, 1), 1, 1000));
  c.issued_at = r.Int(field::kIssuedAt);
  c.status = r.Text(field::kStatus);
  c.reason = r.Text(field::kReason);
  if (auto* b = r.Get(field::kCose).as_bytes()) c.cose = *b;
  return c;
}

Result<CertificateClaims> ClaimsOf(ByteView cose_bytes) {
  SHELTER_ASSIGN_OR_RETURN(auto m, cose::ParseSign1(cose_bytes));
  SHELTER_ASSIGN_OR_RETURN(auto cwt, cbor::Decode(View(m.payload)));
  return ClaimsFromCwt(cwt);
}

}  // namespace

// [SECTION] Issuing key ---------------------------------------------------------------------------

Result<crypto::PublicKey> CreateIssuingKey(Node& node) {
  SHELTER_TRY(node.Require({StaffRole::kLead, StaffRole::kAdmin, StaffRole::kHq}));
  crypto::SignKeyPair kp = crypto::GenerateSignKeyPair();
  SHELTER_TRY(node.PutWrappedSecret(kMetaIssuerSk, kp.sk));
  return kp.pk;
}

Result<std::optional<crypto::PublicKey>> IssuingPublicKey(Node& node) {
  SHELTER_ASSIGN_OR_RETURN(auto key, LoadIssuingKey(node));
  if (!key) return std::optional<crypto::PublicKey>();
  return std::optional<crypto::PublicKey>(key->pk);
}

// [SECTION] Lists held ----------------------------------------------------------------------------

Status ImportTrustList(Node& node, ByteView signed_list) {
  SHELTER_ASSIGN_OR_RETURN(TrustList t, VerifyTrustList(signed_list, node.root_pk()));
  if (t.municipality_code != node.municipality_code())
    return MakeError(ErrorCode::kInvalidArgument, "trust list of another municipality");
  SHELTER_ASSIGN_OR_RETURN(auto current, LoadTrustList(node));
  if (current && current->version > t.version)
    return MakeError(ErrorCode::kConflict, "this device holds a newer trust list (version " +
                                               std::to_string(current->version) + ")");
  return node.log().PutMeta(kMetaTrustList, signed_list);
}

Status ImportStatusList(Node& node, ByteView signed_list) {
  SHELTER_ASSIGN_OR_RETURN(StatusList s, VerifyStatusList(signed_list, node.root_pk()));
  if (s.municipality_code != node.municipality_code())
    return MakeError(ErrorCode::kInvalidArgument, "status list of another municipality");
  SHELTER_ASSIGN_OR_RETURN(auto current, LoadStatusList(node));
  if (current && current->version > s.version)
    return MakeError(ErrorCode::kConflict, "this device holds a newer status list (version " +
                                               std::to_string(current->version) + ")");
  return node.log().PutMeta(kMetaStatusList, signed_list);
}

Result<std::optional<TrustList>> LoadTrustList(Node& node) {
  SHELTER_ASSIGN_OR_RETURN(Bytes b, StoredList(node, kMetaTrustList));
  if (b.empty()) return std::optional<TrustList>();
  SHELTER_ASSIGN_OR_RETURN(TrustList t, VerifyTrustList(View(b), node.root_pk()));
  return std::optional<TrustList>(std::move(t));
}

Result<std::optional<StatusList>> LoadStatusList(Node& node) {
  SHELTER_ASSIGN_OR_RETURN(Bytes b, StoredList(node, kMetaStatusList));
  if (b.empty()) return std::optional<StatusList>();
  SHELTER_ASSIGN_OR_RETURN(StatusList s, VerifyStatusList(View(b), node.root_pk()));
  return std::optional<StatusList>(std::move(s));
}

Result<std::optional<Bytes>> SignedTrustList(Node& node) {
  return node.log().GetMeta(kMetaTrustList);
}
Result<std::optional<Bytes>> SignedStatusList(Node& node) {
  return node.log().GetMeta(kMetaStatusList);
}

// [SECTION] Certificates --------------------------------------------------------------------------

Result<IssuedCertificate> IssueCertificate(Node& node, const IssueRequest& req) {
  SHELTER_TRY(MayIssue(node, req.type));
  int64_t now = NowS(req.now_s);
  SHELTER_ASSIGN_OR_RETURN(UsableKey key, FindUsableKey(node, req.type, now));
  SHELTER_ASSIGN_OR_RETURN(auto hh_rec, node.state().Get(req.household));
  if (!hh_rec || hh_rec->type != RecordType::kHousehold || hh_rec->Deleted())
    return MakeError(ErrorCode::kNotFound, "no such household");
  Household hh = HouseholdFromRecord(*hh_rec);
  SHELTER_ASSIGN_OR_RETURN(auto members, node.state().Members(req.household));

  CertificateClaims c;
  c.issuer_code = node.municipality_code();
  c.issued_at = now;
  c.type = req.type;
  c.certified_on = DateIntFromUnix(now);
  SetIssuer(c, key);
  c.head_address = hh.address;
  c.site = hh.address;
  for (auto& m : members) {
    if (m.id == hh.head)
      c.head_name = m.name.empty() ? m.kana : m.name;
    else if (req.include_members)
      c.members.push_back(m.name.empty() ? m.kana : m.name);
  }
  if (c.head_name.empty() && !members.empty()) c.head_name = members.front().name;

  SHELTER_ASSIGN_OR_RETURN(auto assessment, CurrentAssessment(node, req.household));
  Id16 disaster_id = req.disaster;
  if (assessment) {
    if (disaster_id.IsZero()) disaster_id = assessment->disaster;
    if (!assessment->site.empty()) c.site = assessment->site;
    if (req.type == CertType::kRisai) {
      c.level = assessment->level;
      c.flood = assessment->flood;
    }
  } else if (req.type == CertType::kRisai) {
    return MakeError(ErrorCode::kNotFound,
                     "a 罹災証明書 needs a damage assessment of the household first");
  }
  if (req.type != CertType::kHinan || !disaster_id.IsZero()) {
    SHELTER_ASSIGN_OR_RETURN(auto dis, node.state().Get(disaster_id));
    if (!dis || dis->type != RecordType::kDisaster)
      return MakeError(ErrorCode::kNotFound, "no such disaster (give --disaster)");
    Disaster d = DisasterFromRecord(*dis);
    c.disaster = d.name;
    c.disaster_date = ToDateInt(d.date);
  }
  if (req.type == CertType::kHisai) c.damage_note = req.damage_note;
  if (req.type == CertType::kHinan) {
    if (auto sh = node.state().Get(hh.shelter); sh.ok() && *sh)
      c.shelter_name = ShelterFromRecord(**sh).name;
    bool still_in = false;
    int64_t first_arrive = 0, last_leave = 0;
    SHELTER_ASSIGN_OR_RETURN(auto stays, node.state().RecordsOfType(RecordType::kStay));
    std::vector<Stay> theirs;
    std::set<Id16> undone;  // undone check-ins and check-outs never happened
    for (auto& sid : stays) {
      SHELTER_ASSIGN_OR_RETURN(auto sr, node.state().Get(sid));
      if (!sr) continue;
      Stay s = StayFromRecord(*sr);
      if (std::none_of(members.begin(), members.end(), [&](auto& m) { return m.id == s.person; }))
        continue;
      if (s.event == StayEvent::kUndone) undone.insert(s.undoes);
      theirs.push_back(s);
    }
    for (auto& s : theirs) {
      if (undone.count(s.id)) continue;
      if (s.event == StayEvent::kArrive && (first_arrive == 0 || s.at_ms < first_arrive))
        first_arrive = s.at_ms;
      if (s.event == StayEvent::kLeave) last_leave = std::max(last_leave, s.at_ms);
    }
    // Out for the day or the night is still a stay here; 退所 (or never back) ends it.
    for (auto& m : members)
      still_in = still_in || m.where() == Whereabouts::kInShelter || m.where() == Whereabouts::kOut;
    if (first_arrive == 0)
      return MakeError(ErrorCode::kNotFound, "the household never checked in here");
    c.stay_from = DateIntFromUnix(first_arrive / 1000);
    c.stay_to = still_in || last_leave == 0 ? 0 : DateIntFromUnix(last_leave / 1000);
  }
  SHELTER_ASSIGN_OR_RETURN(Serial serial, PeekSerial(node, key.entry.serial_prefix));
  c.serial = serial.text;

  IssuedCertificate ic;
  SHELTER_ASSIGN_OR_RETURN(ic.cose, SignAndCheckSize(c, key.key));
  SHELTER_TRY(UseSerial(node, serial));
  ic.claims = c;
  ic.jdv1 = EncodeJdv1(View(ic.cose));
  ic.verify_url = key.trust.verify_url;
  ic.record = DerivedId("certificate", node.municipality_code() + ":" + c.serial);
  Id16 assessment_id = assessment ? assessment->id : Id16{};
  SHELTER_TRY(
      node.Commit(hh_rec->scope, {{ic.record, RecordType::kCertificate,
                                   RecordFields(ic, req.household, assessment_id, key.key.pk)}}));
  return ic;
}

Result<IssuedCertificate> ReissueCertificate(Node& node, std::string_view serial, int64_t now_s) {
  SHELTER_ASSIGN_OR_RETURN(CertificateRecord rec, FindCertificate(node, serial));
  SHELTER_TRY(MayIssue(node, rec.type));
  if (rec.status == "revoked")
    return MakeError(ErrorCode::kConflict, "a revoked certificate cannot be reissued");
  SHELTER_ASSIGN_OR_RETURN(CertificateClaims c, ClaimsOf(View(rec.cose)));
  int64_t now = NowS(now_s);
  SHELTER_ASSIGN_OR_RETURN(UsableKey key, FindUsableKey(node, c.type, now));
  c.issue_no = rec.issue_no + 1;
  c.issued_at = now;
  c.certified_on = DateIntFromUnix(now);
  SetIssuer(c, key);
  IssuedCertificate ic;
  SHELTER_ASSIGN_OR_RETURN(ic.cose, SignAndCheckSize(c, key.key));
  ic.claims = c;
  ic.jdv1 = EncodeJdv1(View(ic.cose));
  ic.verify_url = key.trust.verify_url;
  ic.record = rec.id;
  SHELTER_ASSIGN_OR_RETURN(auto r, node.state().Get(rec.id));
  cose::Kid kid = cose::KidOf(key.key.pk);
  SHELTER_TRY(
      node.Commit(r->scope, {{rec.id,
                              RecordType::kCertificate,
                              {{field::kIssueNo, cbor::Item(static_cast<int64_t>(c.issue_no))},
                               {field::kIssuedAt, cbor::Item(now)},
                               {field::kKid, cbor::Item(Bytes(kid.begin(), kid.end()))},
                               {field::kCose, cbor::Item(ic.cose)}}}}));
  return ic;
}

Status RevokeCertificate(Node& node, std::string_view serial, const std::string& reason) {
  if (!node.session()) return MakeError(ErrorCode::kUnauthenticated, "log in first");
  if (!IsRevocationReason(reason)) {
    std::string codes;
    for (const char* r : kRevocationReasons) codes += (codes.empty() ? "" : ", ") + std::string(r);
    return MakeError(ErrorCode::kInvalidArgument,
                     "unknown revocation reason; use one of: " + codes);
  }
  SHELTER_ASSIGN_OR_RETURN(CertificateRecord rec, FindCertificate(node, serial));
  SHELTER_TRY(MayRevoke(node, rec.type));
  SHELTER_ASSIGN_OR_RETURN(auto r, node.state().Get(rec.id));
  SHELTER_TRY(node.Commit(r->scope, {{rec.id,
                                      RecordType::kCertificate,
                                      {{field::kStatus, cbor::Item("revoked")},
                                       {field::kReason, cbor::Item(reason)}}}}));
  return Ok();
}

Result<std::vector<CertificateRecord>> ListCertificates(Node& node) {
  SHELTER_ASSIGN_OR_RETURN(auto ids, node.state().RecordsOfType(RecordType::kCertificate));
  std::vector<CertificateRecord> out;
  for (auto& id : ids) {
    SHELTER_ASSIGN_OR_RETURN(auto r, node.state().Get(id));
    if (r && !r->Deleted()) out.push_back(CertFromRecord(*r));
  }
  std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.serial < b.serial; });
  return out;
}

Result<CertificateRecord> FindCertificate(Node& node, std::string_view serial) {
  SHELTER_ASSIGN_OR_RETURN(
      auto r, node.state().Get(
                  DerivedId("certificate", node.municipality_code() + ":" + std::string(serial))));
  if (!r || r->type != RecordType::kCertificate)
    return MakeError(ErrorCode::kNotFound, "no certificate with that number");
  return CertFromRecord(*r);
}

// [SECTION] Verifying -----------------------------------------------------------------------------

Result<DeviceVerification> VerifyWithDeviceLists(Node& node, std::string_view jdv1) {
  SHELTER_ASSIGN_OR_RETURN(auto trust, LoadTrustList(node));
  if (!trust)
    return MakeError(ErrorCode::kNotFound,
                     "this device holds no trust list (sync with a device that has it, or "
                     "shelterctl trust import)");
  SHELTER_ASSIGN_OR_RETURN(auto status, LoadStatusList(node));
  return VerifyWithLists(jdv1, *trust, status ? &*status : nullptr);
}

DeviceVerification VerifyWithLists(std::string_view jdv1, const TrustList& trust,
                                   const StatusList* status) {
  DeviceVerification d;
  d.result = VerifyJdv1(jdv1, trust, status);
  d.trust_version = trust.version;
  d.municipality_code = trust.municipality_code;
  if (status) d.status_version = status->version;
  if (status && d.result.status == CertStatus::kRevoked && d.result.claims)
    if (const Revocation* r = status->Revokes(d.result.claims->serial, d.result.claims->issue_no))
      d.revocation = *r;
  return d;
}

}  // namespace shelter::core
