#include "core/formats/issuer_list.hpp"

#include <algorithm>
#include <cstring>
#include <set>

#include "core/codec/cbor.hpp"
#include "core/text/text_normalize.hpp"

namespace shelter::core {
namespace {

constexpr const char* kTrustMagic = "JTL1";
constexpr const char* kStatusMagic = "JSL1";
constexpr size_t kMaxKeys = 10'000;
constexpr size_t kMaxRevocations = 1'000'000;  // each up to 5 CBOR items (array + 4)
constexpr size_t kMaxText = 256;
constexpr size_t kMaxReason = 32;

// Payload and key-entry keys (core/FORMATS.md "Trust list and status list"). Never renumber.
constexpr int64_t kListMunicipalityName = 5;
constexpr int64_t kListVerifyUrl = 6;
constexpr int64_t kKeyTitle = 9;

constexpr const char* kTypeNames[] = {"risai", "hisai", "hinan"};
constexpr const char* kTypeJapanese[] = {"罹災証明書", "被災証明書", "避難証明書"};

Error Malformed(const char* what) {
  return MakeError(ErrorCode::kParse, std::string("signed list: ") + what);
}

const int64_t* IntAt(const cbor::Item& m, int64_t k) {
  auto* v = m.Find(k);
  return v ? v->as_int() : nullptr;
}
const std::string* TextAt(const cbor::Item& m, int64_t k) {
  auto* v = m.Find(k);
  auto* t = v ? v->as_text() : nullptr;
  return t && t->size() <= kMaxText ? t : nullptr;
}

// An optional text entry: absent leaves `out` empty; false when present but not short text.
bool OptionalText(const cbor::Item& m, int64_t k, size_t max, std::string& out) {
  auto* v = m.Find(k);
  if (!v) return true;
  auto* t = v->as_text();
  if (!t || t->size() > max) return false;
  out = *t;
  return true;
}

// A name or title as printed on certificates: UTF-8 on one line, no control characters.
bool IssuerText(const std::string& s) {
  if (s.size() > kMaxIssuerText || !IsValidUtf8(s)) return false;
  return std::none_of(s.begin(), s.end(),
                      [](char ch) { return static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f; });
}

// Verifies the root signature and returns the payload map after checking its magic.
Result<cbor::Item> OpenSigned(ByteView signed_list, const crypto::PublicKey& root_pk,
                              const char* magic, cbor::DecodeLimits limits) {
  SHELTER_ASSIGN_OR_RETURN(cose::Sign1Message m, cose::ParseSign1(signed_list));
  if (!cose::VerifySign1(m, root_pk))
    return MakeError(ErrorCode::kCrypto,
                     "signed list is not signed by this municipality's root key");
  SHELTER_ASSIGN_OR_RETURN(cbor::Item p, cbor::Decode(View(m.payload), limits));
  auto* mg = TextAt(p, 0);
  if (!p.as_map() || !mg || *mg != magic) return Malformed("wrong document type");
  return p;
}

}  // namespace

const char* CertTypeName(CertType t) { return kTypeNames[static_cast<int>(t) - 1]; }
const char* CertTypeJapanese(CertType t) { return kTypeJapanese[static_cast<int>(t) - 1]; }
bool IsCertTypeCode(int64_t v) { return v >= 1 && v <= 3; }
Result<CertType> ParseCertType(std::string_view s) {
  for (int i = 0; i < 3; ++i)
    if (s == kTypeNames[i] || s == kTypeJapanese[i]) return static_cast<CertType>(i + 1);
  if (s == "避難証明") return CertType::kHinan;
  return MakeError(ErrorCode::kInvalidArgument, "unknown certificate type (risai, hisai, hinan)");
}

bool IsVerifyUrl(std::string_view url) {
  if (url.size() > kMaxVerifyUrl) return false;
  if (!url.starts_with("https://") && !url.starts_with("http://")) return false;
  size_t host = url.find("//") + 2;
  if (host >= url.size() || url[host] == '/') return false;
  for (unsigned char ch : url)
    if (ch <= 0x20 || ch >= 0x7f) return false;
  return true;
}

bool IsRevocationReason(std::string_view reason) {
  for (const char* r : kRevocationReasons)
    if (reason == r) return true;
  return false;
}

bool IssuerKey::Allows(CertType t) const {
  return std::find(allowed.begin(), allowed.end(), t) != allowed.end();
}

const IssuerKey* TrustList::Find(ByteView kid) const {
  for (auto& k : keys)
    if (kid.size() == k.kid.size() && std::equal(kid.begin(), kid.end(), k.kid.begin())) return &k;
  return nullptr;
}

const Revocation* StatusList::Revokes(std::string_view serial, uint32_t issue_no) const {
  auto it = std::lower_bound(entries.begin(), entries.end(), serial,
                             [](const Revocation& r, std::string_view s) { return r.serial < s; });
  if (it == entries.end() || it->serial != serial) return nullptr;
  if (it->below_issue == 0 || issue_no < it->below_issue) return &*it;
  return nullptr;
}

Result<Bytes> SignTrustList(const TrustList& list, const crypto::Secret& root_sk,
                            const crypto::PublicKey& root_pk) {
  std::set<cose::Kid> kids;
  std::set<std::string> prefixes;
  cbor::Array keys;
  for (auto& k : list.keys) {
    if (!kids.insert(k.kid).second || !prefixes.insert(k.serial_prefix).second)
      return MakeError(ErrorCode::kInvalidArgument,
                       "trust list has a duplicate kid or serial prefix");
    if (k.serial_prefix.empty() || k.label.size() > kMaxText || k.serial_prefix.size() > 16)
      return MakeError(ErrorCode::kInvalidArgument,
                       "issuing key needs a serial prefix (<= 16) and a short label");
    if (!IssuerText(k.title))
      return MakeError(ErrorCode::kInvalidArgument,
                       "issuer title is not one line of UTF-8 of at most 200 bytes");
    cbor::Array types;
    for (CertType t : k.allowed) types.emplace_back(static_cast<int64_t>(t));
    cbor::Map entry{
        {1, Bytes(k.kid.begin(), k.kid.end())},
        {2, Bytes(k.pk.begin(), k.pk.end())},
        {3, k.label},
        {4, k.serial_prefix},
        {5, std::move(types)},
        {6, k.not_before},
        {7, k.not_after},
        {8, k.withdrawn},
    };
    if (!k.title.empty()) entry.emplace_back(kKeyTitle, k.title);
    keys.push_back(cbor::Item(std::move(entry)));
  }
  if (!IssuerText(list.municipality_name))
    return MakeError(ErrorCode::kInvalidArgument,
                     "municipality name is not one line of UTF-8 of at most 200 bytes");
  if (!list.verify_url.empty() && !IsVerifyUrl(list.verify_url))
    return MakeError(ErrorCode::kInvalidArgument,
                     "verify URL must be an http(s) address of at most 200 characters, no spaces");
  cbor::Map payload{{0, kTrustMagic},
                    {1, static_cast<int64_t>(list.version)},
                    {2, list.issued_at},
                    {3, list.municipality_code},
                    {4, std::move(keys)}};
  // Appended in ascending key order: the map stays canonical. Absent when empty, so a list
  // without them is byte for byte what older versions signed.
  if (!list.municipality_name.empty())
    payload.emplace_back(kListMunicipalityName, list.municipality_name);
  if (!list.verify_url.empty()) payload.emplace_back(kListVerifyUrl, list.verify_url);
  Bytes p = cbor::Encode(cbor::Item(std::move(payload)));
  return cose::Sign1(View(p), cose::KidOf(root_pk), root_sk);
}

Result<TrustList> VerifyTrustList(ByteView signed_list, const crypto::PublicKey& root_pk) {
  SHELTER_ASSIGN_OR_RETURN(
      cbor::Item p, OpenSigned(signed_list, root_pk, kTrustMagic, cbor::DecodeLimits{6, 200'000}));
  TrustList t;
  auto *ver = IntAt(p, 1), *at = IntAt(p, 2);
  auto* code = TextAt(p, 3);
  auto* keys = p.Find(4) ? p.Find(4)->as_array() : nullptr;
  if (!ver || *ver < 0 || !at || !code || !keys || keys->size() > kMaxKeys)
    return Malformed("header");
  t.version = static_cast<uint64_t>(*ver);
  t.issued_at = *at;
  t.municipality_code = *code;
  if (!OptionalText(p, kListMunicipalityName, kMaxIssuerText, t.municipality_name) ||
      !OptionalText(p, kListVerifyUrl, kMaxVerifyUrl, t.verify_url))
    return Malformed("municipality name or verify URL");
  for (auto& e : *keys) {
    IssuerKey k;
    auto* kid = e.Find(1) ? e.Find(1)->as_bytes() : nullptr;
    auto* pk = e.Find(2) ? e.Find(2)->as_bytes() : nullptr;
    auto *label = TextAt(e, 3), *prefix = TextAt(e, 4);
    auto* types = e.Find(5) ? e.Find(5)->as_array() : nullptr;
    auto *nb = IntAt(e, 6), *na = IntAt(e, 7);
    auto* wd = e.Find(8) ? e.Find(8)->as_bool() : nullptr;
    if (!kid || kid->size() != cose::kKidBytes || !pk || pk->size() != 32 || !label || !prefix ||
        !types || types->size() > 3 || !nb || !na || !wd)
      return Malformed("issuing key entry");
    if (!OptionalText(e, kKeyTitle, kMaxIssuerText, k.title)) return Malformed("issuer title");
    std::memcpy(k.kid.data(), kid->data(), cose::kKidBytes);
    std::memcpy(k.pk.data(), pk->data(), 32);
    if (cose::KidOf(k.pk) != k.kid) return Malformed("kid does not match its key");
    for (auto& ty : *types) {
      if (!ty.as_int() || !IsCertTypeCode(*ty.as_int())) return Malformed("certificate type");
      k.allowed.push_back(static_cast<CertType>(*ty.as_int()));
    }
    k.label = *label;
    k.serial_prefix = *prefix;
    k.not_before = *nb;
    k.not_after = *na;
    k.withdrawn = *wd;
    if (t.Find(ByteView(k.kid.data(), k.kid.size()))) return Malformed("duplicate kid");
    t.keys.push_back(std::move(k));
  }
  return t;
}

Result<Bytes> SignStatusList(const StatusList& list, const crypto::Secret& root_sk,
                             const crypto::PublicKey& root_pk) {
  std::vector<Revocation> sorted = list.entries;
  std::sort(sorted.begin(), sorted.end(), [](auto& a, auto& b) { return a.serial < b.serial; });
  cbor::Array entries;
  for (size_t i = 0; i < sorted.size(); ++i) {
    const Revocation& r = sorted[i];
    if (i && r.serial == sorted[i - 1].serial)
      return MakeError(ErrorCode::kInvalidArgument, "status list names a certificate twice");
    if (!r.reason.empty() && !IsRevocationReason(r.reason))
      return MakeError(ErrorCode::kInvalidArgument, "unknown revocation reason code");
    cbor::Array entry{r.serial, static_cast<int64_t>(r.below_issue), r.at};
    if (!r.reason.empty()) entry.emplace_back(r.reason);  // absent: a three-element entry as before
    entries.push_back(cbor::Item(std::move(entry)));
  }
  cbor::Map payload{{0, kStatusMagic},
                    {1, static_cast<int64_t>(list.version)},
                    {2, list.issued_at},
                    {3, list.municipality_code},
                    {4, std::move(entries)}};
  Bytes p = cbor::Encode(cbor::Item(std::move(payload)));
  return cose::Sign1(View(p), cose::KidOf(root_pk), root_sk);
}

Result<StatusList> VerifyStatusList(ByteView signed_list, const crypto::PublicKey& root_pk) {
  SHELTER_ASSIGN_OR_RETURN(cbor::Item p,
                           OpenSigned(signed_list, root_pk, kStatusMagic,
                                      cbor::DecodeLimits{6, 5 * kMaxRevocations + 16}));
  StatusList s;
  auto *ver = IntAt(p, 1), *at = IntAt(p, 2);
  auto* code = TextAt(p, 3);
  auto* entries = p.Find(4) ? p.Find(4)->as_array() : nullptr;
  if (!ver || *ver < 0 || !at || !code || !entries || entries->size() > kMaxRevocations)
    return Malformed("header");
  s.version = static_cast<uint64_t>(*ver);
  s.issued_at = *at;
  s.municipality_code = *code;
  for (auto& e : *entries) {
    auto* a = e.as_array();
    if (!a || a->size() < 3 || a->size() > 4 || !(*a)[0].as_text() || !(*a)[1].as_int() ||
        !(*a)[2].as_int() || *(*a)[1].as_int() < 0 || *(*a)[1].as_int() > UINT32_MAX)
      return Malformed("revocation entry");
    Revocation r{*(*a)[0].as_text(), static_cast<uint32_t>(*(*a)[1].as_int()), *(*a)[2].as_int()};
    if (a->size() == 4) {
      auto* reason = (*a)[3].as_text();
      if (!reason || reason->size() > kMaxReason) return Malformed("revocation reason");
      r.reason = *reason;
    }
    if (!s.entries.empty() && !(s.entries.back().serial < r.serial))
      return Malformed("revocations not sorted");
    s.entries.push_back(std::move(r));
  }
  return s;
}

bool IsSignedListEnvelope(ByteView bytes) {
  return !bytes.empty() && bytes[0] == 0xd2;  // CBOR tag 18 (COSE_Sign1), one byte
}

Result<SignedListInfo> VerifySignedList(ByteView signed_list, const crypto::PublicKey& root_pk) {
  SHELTER_ASSIGN_OR_RETURN(cose::Sign1Message m, cose::ParseSign1(signed_list));
  if (!cose::VerifySign1(m, root_pk))
    return MakeError(ErrorCode::kCrypto,
                     "signed list is not signed by this municipality's root key");
  cbor::DecodeLimits limits{6, 5 * kMaxRevocations + 16};
  SHELTER_ASSIGN_OR_RETURN(cbor::Item p, cbor::Decode(View(m.payload), limits));
  auto* magic = TextAt(p, 0);
  SignedListInfo info;
  if (magic && *magic == kTrustMagic) {
    SHELTER_ASSIGN_OR_RETURN(TrustList t, VerifyTrustList(signed_list, root_pk));
    info = {false, t.version, t.issued_at, t.municipality_code};
  } else if (magic && *magic == kStatusMagic) {
    SHELTER_ASSIGN_OR_RETURN(StatusList s, VerifyStatusList(signed_list, root_pk));
    info = {true, s.version, s.issued_at, s.municipality_code};
  } else {
    return Malformed("neither a trust list nor a status list");
  }
  return info;
}

bool ListSupersedes(const SignedListInfo& c, ByteView c_bytes, const SignedListInfo& h,
                    ByteView h_bytes) {
  if (c.version != h.version) return c.version > h.version;
  if (c.issued_at != h.issued_at) return c.issued_at > h.issued_at;
  return std::lexicographical_compare(h_bytes.begin(), h_bytes.end(), c_bytes.begin(),
                                      c_bytes.end());
}

}  // namespace shelter::core
