// Disaster-victim certificates as JDV1 QR payloads: CWT claims (RFC 8392) signed as COSE_Sign1
// with EdDSA, zlib when smaller, Base45, "JDV1:" prefix (core/FORMATS.md). Encoding, decoding and
// offline verification against a trust list and a status list. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/bytes.hpp"
#include "core/base/result.hpp"
#include "core/codec/cbor.hpp"
#include "core/codec/cose.hpp"
#include "core/formats/issuer_list.hpp"
#include "core/model/damage.hpp"

namespace shelter::core {

constexpr std::string_view kJdv1Prefix = "JDV1:";
constexpr int64_t kClaimCertificate = -70001;  // private CWT claim holding the certificate body
constexpr int64_t kCertSchemaVersion = 1;
constexpr size_t kCoseTargetBytes = 280;  // fits QR version 15 at ECC Q
constexpr size_t kCoseMaxBytes = 378;     // hard cap: version 18 at ECC Q

// The claims of one certificate. Dates are YYYYMMDD integers (0 = absent); iat is unix seconds.
struct CertificateClaims {
  std::string issuer_code;  // iss: 全国地方公共団体コード
  int64_t issued_at = 0;    // iat
  CertType type = CertType::kRisai;
  std::string serial;         // 整理番号
  uint32_t issue_no = 1;      // 1 = first issue, 2.. = reissues (再交付)
  std::string disaster;       // 罹災原因: the disaster's name (e.g. 令和7年8月の大雨)
  int32_t disaster_date = 0;  // 罹災原因: its date
  std::string head_name;      // 世帯主氏名
  std::string head_address;   // 世帯主住所 (sent only when it differs from site)
  std::string site;           // 被災住家の所在地 (避難証明: the person's address)
  std::optional<DamageLevel> level;  // 住家の被害の程度 (罹災証明書 only)
  Flood flood = Flood::kNone;        // 浸水区分
  int32_t certified_on = 0;          // 証明日
  std::string damage_note;           // 被災証明書: what was damaged
  std::string shelter_name;          // 避難証明: where
  int32_t stay_from = 0;             // 避難証明: arrival date
  int32_t stay_to = 0;               // 避難証明: departure date (0 = still staying)
  std::vector<std::string> members;  // 世帯構成員 (optional; dropped first when over budget)
  // The issuer, signed: 発行者名 = the issuing key's title on the trust list (e.g. 千代田区長) and
  // the municipality's name as the trust list gives it. Empty in certificates made before either
  // was carried, or when the trust list names none.
  std::string issuer_name;          // 発行者名 (key 13)
  std::string municipality_name{};  // e.g. 千代田区 (key 19)
};

// Claims -> CWT map (canonical CBOR) and back. FromCwt returns kParse for missing required claims,
// unknown codes, over-long text (> 200 bytes) or more than 20 members.
cbor::Item ClaimsToCwt(const CertificateClaims& c);
Result<CertificateClaims> ClaimsFromCwt(const cbor::Item& cwt);
// Checks what issuing needs: serial, names and dates present and valid, a level for 罹災証明書,
// a shelter and dates for 避難証明. kInvalidArgument naming the claim, never its value.
Status ValidateClaims(const CertificateClaims& c);

// Signs the claims: the COSE_Sign1 bytes.
Bytes SignCertificate(const CertificateClaims& c, const crypto::Secret& issuer_sk,
                      const crypto::PublicKey& issuer_pk);
// COSE bytes -> "JDV1:" + Base45(zlib(COSE) when smaller, else COSE).
std::string EncodeJdv1(ByteView cose);
// The same QR text form for the signed lists: prefix kJtl1Prefix (trust list) or kJsl1Prefix
// (status list) + Base45(zlib(COSE) when smaller, else COSE) (core/FORMATS.md).
constexpr std::string_view kJtl1Prefix = "JTL1:";
constexpr std::string_view kJsl1Prefix = "JSL1:";
std::string EncodeQrText(std::string_view prefix, ByteView cose);
// The wire bytes inside a JDV1 text: COSE or zlib(COSE), before inflation (budget checks).
Result<Bytes> Jdv1WireBytes(std::string_view text);
// "JDV1:..." -> COSE bytes. kParse for a missing prefix, bad Base45, bad zlib, or more than
// kCoseMaxBytes * 4 once inflated. Surrounding whitespace is ignored.
Result<Bytes> DecodeJdv1(std::string_view text);

enum class CertStatus {
  kValid,
  kMalformed,      // not a JDV1 certificate at all (or a damaged QR)
  kTampered,       // the signature does not match the content
  kUnknownKey,     // signed by a key that is not on the trust list
  kKeyNotAllowed,  // the key may not issue this type, or names an issuer it is not listed for
  kKeyExpired,     // issued outside the key's validity period
  kKeyWithdrawn,   // the key was withdrawn from the trust list
  kRevoked,        // this certificate (or this issue of it) was revoked
};
const char* CertStatusName(CertStatus s);  // valid, malformed, tampered, unknown_key, ...

struct CertVerification {
  CertStatus status = CertStatus::kMalformed;
  std::string reason;                       // English, for staff; no personal data
  std::optional<CertificateClaims> claims;  // only once the signature has verified
  std::optional<IssuerKey> key;
  // Who issued it, once the claims are read: the signed claims' municipality name and issuer
  // title, or the trust list's for a certificate made before it carried them. `code` = iss.
  struct Issuer {
    std::string code, municipality_name, title;
  };
  std::optional<Issuer> issuer{};
  bool revocation_checked = false;  // a status list of the same municipality was given
  int64_t revocation_as_of = 0;     // its issued_at
  bool ok() const { return status == CertStatus::kValid; }
};

// Verifies offline: signature first, then claims, key permissions (type, municipality code, and
// the municipality name and issuer title where the trust list names them), validity and
// revocation (core/FORMATS.md "Verification order").
// `status` may be null (no revocation data on this device).
CertVerification VerifyCertificateCose(ByteView cose, const TrustList& trust,
                                       const StatusList* status);
CertVerification VerifyJdv1(std::string_view text, const TrustList& trust,
                            const StatusList* status);

// YYYYMMDD helpers: ToDateInt("2025-08-10") == 20250810; 0 for anything invalid.
int32_t ToDateInt(std::string_view iso);
std::string DateIntToIso(int32_t d);
std::string DateIntToJapanese(int32_t d);  // 令和7年8月10日
int32_t DateIntFromUnix(int64_t unix_s);   // in JST (UTC+9)

}  // namespace shelter::core
