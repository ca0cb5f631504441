// JDV1 certificates: claims to and from CWT, signing, the JDV1 text, offline verification, and the
// date forms the claims use (see certificate.hpp, core/FORMATS.md).
//
// [SECTION] index
//   Claims       CertStatusName, ClaimsToCwt, ClaimsFromCwt, ValidateClaims
//   JDV1         SignCertificate, EncodeQrText, EncodeJdv1, Jdv1WireBytes, DecodeJdv1
//   Verifying    VerifyCertificateCose, VerifyJdv1
//   Dates        ToDateInt, DateIntToIso, DateIntToJapanese, DateIntFromUnix
#include "core/formats/certificate.hpp"

#include <algorithm>
#include <cctype>

#include "core/codec/base45.hpp"
#include "core/codec/compress.hpp"
#include "core/text/text_normalize.hpp"

namespace shelter::core {
namespace {

// Certificate body keys (core/FORMATS.md "JDV1"). Never renumber.
enum Key : int64_t {
  kVersion = 0,
  kType = 1,
  kSerial = 2,
  kDisaster = 3,
  kDisasterDate = 4,
  kHeadName = 5,
  kSite = 6,
  kLevel = 7,
  kFlood = 8,
  kCertifiedOn = 9,
  kHeadAddress = 11,
  kMembers = 12,
  kIssuerName = 13,
  kShelterName = 14,
  kStayFrom = 15,
  kStayTo = 16,
  kDamageNote = 17,
  kIssueNo = 18,
  kMunicipalityName = 19,
};
constexpr int64_t kCwtIss = 1;
constexpr int64_t kCwtIat = 6;
constexpr size_t kMaxText = 200;
constexpr size_t kMaxMembers = 20;
constexpr size_t kMaxJdv1Chars = 4096;

bool ValidDate(int32_t d) {
  int y = d / 10000, m = d / 100 % 100, day = d % 100;
  if (y < 1868 || y > 2199 || m < 1 || m > 12 || day < 1) return false;
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return day <= kDays[m - 1] + (m == 2 && leap ? 1 : 0);
}

// Map entries are appended in ascending key order, so the map is canonical as built.
void Put(cbor::Map& m, int64_t k, cbor::Item v) {
  m.resize(m.size() + 1);
  m.back().first.v = k;
  m.back().second = std::move(v);
}
void PutText(cbor::Map& m, int64_t k, const std::string& s) {
  if (!s.empty()) Put(m, k, cbor::Item(s));
}
void PutInt(cbor::Map& m, int64_t k, int64_t v, int64_t omit_if) {
  if (v != omit_if) Put(m, k, cbor::Item(v));
}

}  // namespace

// [SECTION] Claims --------------------------------------------------------------------------------

const char* CertStatusName(CertStatus s) {
  switch (s) {
    case CertStatus::kValid: return "valid";
    case CertStatus::kMalformed: return "malformed";
    case CertStatus::kTampered: return "tampered";
    case CertStatus::kUnknownKey: return "unknown_key";
    case CertStatus::kKeyNotAllowed: return "key_not_allowed";
    case CertStatus::kKeyExpired: return "key_expired";
    case CertStatus::kKeyWithdrawn: return "key_withdrawn";
    case CertStatus::kRevoked: return "revoked";
  }
  return "?";
}

cbor::Item ClaimsToCwt(const CertificateClaims& c) {
  cbor::Map b;  // keys in ascending order: canonical
  Put(b, kVersion, cbor::Item(kCertSchemaVersion));
  Put(b, kType, cbor::Item(static_cast<int64_t>(c.type)));
  PutText(b, kSerial, c.serial);
  PutText(b, kDisaster, c.disaster);
  PutInt(b, kDisasterDate, c.disaster_date, 0);
  PutText(b, kHeadName, c.head_name);
  PutText(b, kSite, c.site);
  if (c.level) Put(b, kLevel, cbor::Item(static_cast<int64_t>(*c.level)));
  PutInt(b, kFlood, static_cast<int64_t>(c.flood), 0);
  PutInt(b, kCertifiedOn, c.certified_on, 0);
  if (c.head_address != c.site) PutText(b, kHeadAddress, c.head_address);
  if (!c.members.empty()) {
    cbor::Array a;
    for (auto& m : c.members) a.push_back(cbor::Item(m));
    Put(b, kMembers, cbor::Item(std::move(a)));
  }
  PutText(b, kIssuerName, c.issuer_name);
  PutText(b, kShelterName, c.shelter_name);
  PutInt(b, kStayFrom, c.stay_from, 0);
  PutInt(b, kStayTo, c.stay_to, 0);
  PutText(b, kDamageNote, c.damage_note);
  PutInt(b, kIssueNo, c.issue_no, 1);
  PutText(b, kMunicipalityName, c.municipality_name);
  return cbor::Item(cbor::Map{{cbor::Item(kCwtIss), cbor::Item(c.issuer_code)},
                              {cbor::Item(kCwtIat), cbor::Item(c.issued_at)},
                              {cbor::Item(kClaimCertificate), cbor::Item(std::move(b))}});
}

Result<CertificateClaims> ClaimsFromCwt(const cbor::Item& cwt) {
  auto bad = [](const char* what) {
    return MakeError(ErrorCode::kParse, std::string("certificate claims: ") + what);
  };
  auto* iss = cwt.Find(kCwtIss);
  auto* iat = cwt.Find(kCwtIat);
  auto* body = cwt.Find(kClaimCertificate);
  if (!iss || !iss->as_text() || iss->as_text()->size() > 16 || !iat || !iat->as_int() || !body ||
      !body->as_map())
    return bad("missing iss, iat or certificate body");
  CertificateClaims c;
  c.issuer_code = *iss->as_text();
  c.issued_at = *iat->as_int();
  const cbor::Item& m = *body;
  auto text = [&](int64_t k, std::string& out) -> bool {
    auto* v = m.Find(k);
    if (!v) return true;
    if (!v->as_text() || v->as_text()->size() > kMaxText) return false;
    out = *v->as_text();
    return true;
  };
  auto date = [&](int64_t k, int32_t& out) -> bool {
    auto* v = m.Find(k);
    if (!v) return true;
    if (!v->as_int() ||
        !ValidDate(static_cast<int32_t>(std::clamp<int64_t>(*v->as_int(), 0, 1 << 30))))
      return false;
    out = static_cast<int32_t>(*v->as_int());
    return true;
  };
  auto* ver = m.Find(kVersion);
  if (!ver || !ver->as_int() || *ver->as_int() != kCertSchemaVersion)
    return bad("unsupported schema version");
  auto* type = m.Find(kType);
  if (!type || !type->as_int() || !IsCertTypeCode(*type->as_int())) return bad("unknown type");
  c.type = static_cast<CertType>(*type->as_int());
  if (!text(kSerial, c.serial) || !text(kDisaster, c.disaster) || !text(kHeadName, c.head_name) ||
      !text(kSite, c.site) || !text(kHeadAddress, c.head_address) ||
      !text(kIssuerName, c.issuer_name) || !text(kShelterName, c.shelter_name) ||
      !text(kDamageNote, c.damage_note) || !text(kMunicipalityName, c.municipality_name))
    return bad("a text claim is not text or too long");
  if (!date(kDisasterDate, c.disaster_date) || !date(kCertifiedOn, c.certified_on) ||
      !date(kStayFrom, c.stay_from) || !date(kStayTo, c.stay_to))
    return bad("a date claim is invalid");
  if (auto* l = m.Find(kLevel)) {
    if (!l->as_int() || !IsDamageLevelCode(*l->as_int())) return bad("unknown damage level");
    c.level = static_cast<DamageLevel>(*l->as_int());
  }
  if (auto* f = m.Find(kFlood)) {
    if (!f->as_int() || !IsFloodCode(*f->as_int())) return bad("unknown flood class");
    c.flood = static_cast<Flood>(*f->as_int());
  }
  if (auto* mem = m.Find(kMembers)) {
    auto* a = mem->as_array();
    if (!a || a->size() > kMaxMembers) return bad("members");
    for (auto& e : *a) {
      if (!e.as_text() || e.as_text()->size() > kMaxText) return bad("members");
      c.members.push_back(*e.as_text());
    }
  }
  if (auto* n = m.Find(kIssueNo)) {
    if (!n->as_int() || *n->as_int() < 1 || *n->as_int() > 1000) return bad("issue number");
    c.issue_no = static_cast<uint32_t>(*n->as_int());
  }
  if (c.head_address.empty()) c.head_address = c.site;
  if (c.serial.empty() || c.certified_on == 0) return bad("missing serial or certification date");
  return c;
}

Status ValidateClaims(const CertificateClaims& c) {
  auto bad = [](const std::string& what) {
    return MakeError(ErrorCode::kInvalidArgument, "certificate: " + what);
  };
  for (const std::string* s :
       {&c.issuer_code, &c.serial, &c.disaster, &c.head_name, &c.head_address, &c.site,
        &c.damage_note, &c.shelter_name, &c.issuer_name, &c.municipality_name})
    if (s->size() > kMaxText || !IsValidUtf8(*s))
      return bad("a text field is too long or not UTF-8");
  if (c.members.size() > kMaxMembers) return bad("at most 20 members");
  if (c.serial.empty()) return bad("serial (整理番号) is required");
  if (c.head_name.empty()) return bad("the head of household's name is required");
  if (!ValidDate(c.certified_on)) return bad("certification date (証明日) is invalid");
  switch (c.type) {
    case CertType::kRisai:
      if (!c.level) return bad("a 罹災証明書 needs the damage level");
      [[fallthrough]];
    case CertType::kHisai:
      if (c.site.empty()) return bad("the damaged house's location is required");
      if (c.disaster.empty() || !ValidDate(c.disaster_date))
        return bad("the disaster and its date are required");
      if (c.type == CertType::kHisai && c.damage_note.empty())
        return bad("a 被災証明書 needs what was damaged");
      break;
    case CertType::kHinan:
      if (c.shelter_name.empty() || !ValidDate(c.stay_from))
        return bad("a 避難証明 needs the shelter and the arrival date");
      if (c.stay_to && (!ValidDate(c.stay_to) || c.stay_to < c.stay_from))
        return bad("departure before arrival");
      break;
  }
  return Ok();
}

// [SECTION] JDV1 ----------------------------------------------------------------------------------

Bytes SignCertificate(const CertificateClaims& c, const crypto::Secret& issuer_sk,
                      const crypto::PublicKey& issuer_pk) {
  Bytes payload = cbor::Encode(ClaimsToCwt(c));
  return cose::Sign1(View(payload), cose::KidOf(issuer_pk), issuer_sk);
}

std::string EncodeQrText(std::string_view prefix, ByteView cose) {
  Bytes z = ZlibCompress(cose, 9);
  ByteView wire = (!z.empty() && z.size() < cose.size()) ? View(z) : cose;
  return std::string(prefix) + Base45Encode(wire);
}

std::string EncodeJdv1(ByteView cose) { return EncodeQrText(kJdv1Prefix, cose); }

Result<Bytes> Jdv1WireBytes(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  if (text.size() > kMaxJdv1Chars) return MakeError(ErrorCode::kParse, "JDV1: text too long");
  if (text.substr(0, kJdv1Prefix.size()) != kJdv1Prefix)
    return MakeError(ErrorCode::kParse, "not a JDV1 certificate (no JDV1: prefix)");
  return Base45Decode(text.substr(kJdv1Prefix.size()));
}

Result<Bytes> DecodeJdv1(std::string_view text) {
  SHELTER_ASSIGN_OR_RETURN(Bytes wire, Jdv1WireBytes(text));
  if (wire.empty()) return MakeError(ErrorCode::kParse, "JDV1: empty");
  if (wire[0] == 0x78) return ZlibDecompress(View(wire), kCoseMaxBytes * 4);  // zlib header
  return wire;
}

// [SECTION] Verifying -----------------------------------------------------------------------------

CertVerification VerifyCertificateCose(ByteView cose_bytes, const TrustList& trust,
                                       const StatusList* status) {
  CertVerification v;
  auto fail = [&](CertStatus s, std::string reason) {
    v.status = s;
    v.reason = std::move(reason);
    return v;
  };
  auto msg = cose::ParseSign1(cose_bytes);
  if (!msg.ok()) return fail(CertStatus::kMalformed, msg.error().detail);
  const IssuerKey* key = trust.Find(View(msg->kid));
  if (!key)
    return fail(CertStatus::kUnknownKey, "signed by key " + ToHex(View(msg->kid)) +
                                             ", which is not on the trust list (version " +
                                             std::to_string(trust.version) + ")");
  v.key = *key;
  if (!cose::VerifySign1(*msg, key->pk))
    return fail(CertStatus::kTampered,
                "the signature does not match the content: altered or forged");
  auto cwt = cbor::Decode(View(msg->payload), cbor::DecodeLimits{6, 1024});
  if (!cwt.ok()) return fail(CertStatus::kMalformed, "signed, but the claims are not CBOR");
  auto claims = ClaimsFromCwt(*cwt);
  if (!claims.ok()) return fail(CertStatus::kMalformed, "signed, but " + claims.error().detail);
  v.claims = *claims;
  const CertificateClaims& c = *claims;
  if (c.issuer_code != trust.municipality_code)
    return fail(CertStatus::kKeyNotAllowed, "issued for municipality " + c.issuer_code +
                                                " but the key belongs to " +
                                                trust.municipality_code);
  if (!key->Allows(c.type))
    return fail(CertStatus::kKeyNotAllowed, std::string("key '") + key->label +
                                                "' may not issue a " + CertTypeName(c.type) +
                                                " certificate");
  // The issuer the certificate names is signed; where the trust list names one for this key it
  // must be that one. A certificate without them (made before they were carried) shows the list's.
  auto named_otherwise = [](const std::string& claimed, const std::string& listed) {
    return !claimed.empty() && !listed.empty() && claimed != listed;
  };
  if (named_otherwise(c.municipality_name, trust.municipality_name) ||
      named_otherwise(c.issuer_name, key->title))
    return fail(CertStatus::kKeyNotAllowed,
                "names an issuer its key is not listed for (key '" + key->label + "')");
  v.issuer = CertVerification::Issuer{
      c.issuer_code, c.municipality_name.empty() ? trust.municipality_name : c.municipality_name,
      c.issuer_name.empty() ? key->title : c.issuer_name};
  if (key->withdrawn)
    return fail(CertStatus::kKeyWithdrawn,
                "key '" + key->label + "' was withdrawn from the trust list");
  if (c.issued_at < key->not_before || c.issued_at > key->not_after)
    return fail(CertStatus::kKeyExpired, "issued outside the validity of key '" + key->label + "'");
  if (status && status->municipality_code == trust.municipality_code) {
    v.revocation_checked = true;
    v.revocation_as_of = status->issued_at;
    if (auto* r = status->Revokes(c.serial, c.issue_no))
      return fail(CertStatus::kRevoked, r->below_issue ? "superseded by a reissue (issue " +
                                                             std::to_string(r->below_issue) + ")"
                                                       : std::string("certificate revoked"));
  }
  v.status = CertStatus::kValid;
  v.reason = v.revocation_checked ? "valid" : "valid (no revocation data on this device)";
  return v;
}

CertVerification VerifyJdv1(std::string_view text, const TrustList& trust,
                            const StatusList* status) {
  auto cose_bytes = DecodeJdv1(text);
  if (!cose_bytes.ok()) {
    CertVerification v;
    v.status = CertStatus::kMalformed;
    v.reason = cose_bytes.error().detail;
    return v;
  }
  return VerifyCertificateCose(View(*cose_bytes), trust, status);
}

// [SECTION] Dates ---------------------------------------------------------------------------------

int32_t ToDateInt(std::string_view iso) {
  if (iso.size() != 10 || iso[4] != '-' || iso[7] != '-') return 0;
  int32_t v = 0;
  for (size_t i = 0; i < iso.size(); ++i) {
    if (i == 4 || i == 7) continue;
    if (!std::isdigit(static_cast<unsigned char>(iso[i]))) return 0;
    v = v * 10 + (iso[i] - '0');
  }
  return ValidDate(v) ? v : 0;
}

std::string DateIntToIso(int32_t d) {
  if (!ValidDate(d)) return "";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d / 10000, d / 100 % 100, d % 100);
  return buf;
}

std::string DateIntToJapanese(int32_t d) {
  if (!ValidDate(d)) return "";
  struct Era {
    int32_t start;
    int year0;
    const char* name;
  };
  static const Era kEras[] = {{20190501, 2018, "令和"},
                              {19890108, 1988, "平成"},
                              {19261225, 1925, "昭和"},
                              {19120730, 1911, "大正"},
                              {18680101, 1867, "明治"}};
  for (auto& e : kEras)
    if (d >= e.start) {
      int y = d / 10000 - e.year0;
      return std::string(e.name) + (y == 1 ? std::string("元") : std::to_string(y)) + "年" +
             std::to_string(d / 100 % 100) + "月" + std::to_string(d % 100) + "日";
    }
  return DateIntToIso(d);
}

int32_t DateIntFromUnix(int64_t unix_s) {
  int64_t days = (unix_s + 9 * 3600) / 86400;  // JST
  if (unix_s + 9 * 3600 < 0 && (unix_s + 9 * 3600) % 86400) --days;
  // Civil from days (H. Hinnant's algorithm).
  days += 719468;
  int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  int64_t doe = days - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = yoe + era * 400;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int64_t dd = doy - (153 * mp + 2) / 5 + 1;
  int64_t mm = mp < 10 ? mp + 3 : mp - 9;
  if (mm <= 2) ++y;
  return static_cast<int32_t>(y * 10000 + mm * 100 + dd);
}

}  // namespace shelter::core
