// The municipality's signed trust list of certificate issuing keys (which key may sign which
// certificate type, for which period) and its signed revocation status list. Both are COSE_Sign1
// documents signed by the municipality root key, so a verifier needs only the root public key.
// Value types and pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/bytes.hpp"
#include "core/base/crypto.hpp"
#include "core/base/result.hpp"
#include "core/codec/cose.hpp"

namespace shelter::core {

enum class CertType : uint8_t {
  kRisai = 1,  // 罹災証明書 (house damage, statutory)
  kHisai = 2,  // 被災証明書 (other damage, reported)
  kHinan = 3,  // 避難証明 (proof of stay in a shelter)
};
const char* CertTypeName(CertType t);      // risai, hisai, hinan
const char* CertTypeJapanese(CertType t);  // 罹災証明書, 被災証明書, 避難証明書
// Accepts the wire name or the Japanese title; kInvalidArgument otherwise.
Result<CertType> ParseCertType(std::string_view s);
bool IsCertTypeCode(int64_t v);

struct IssuerKey {
  cose::Kid kid{};
  crypto::PublicKey pk{};
  std::string label;  // e.g. "千代田区 税務課 1" or "麹町小 tablet-2"; never a person
  std::string
      serial_prefix;  // unique per key in the municipality: certificate numbers start with it
  std::vector<CertType> allowed;
  int64_t not_before =
      0;  // unix s: certificates must be issued (iat) inside [not_before, not_after]
  int64_t not_after = 0;
  bool withdrawn = false;  // key compromised or retired early: nothing it signed verifies
  // The issuer title its certificates name (発行者名, e.g. 千代田区長); empty: none listed. A
  // certificate of this key that names another title does not verify.
  std::string title{};

  bool Allows(CertType t) const;
};

struct TrustList {
  uint64_t version = 0;  // increases with every change; devices keep the newest
  int64_t issued_at = 0;
  std::string municipality_code;
  std::vector<IssuerKey> keys;
  std::string municipality_name{};  // e.g. 千代田区; empty in lists made before it was carried
  std::string verify_url{};         // the verifier page printed on certificates; empty: none

  const IssuerKey* Find(ByteView kid) const;
};

// Names and titles go into certificates, so they are held to the certificates' text limit.
inline constexpr size_t kMaxIssuerText = 200;
inline constexpr size_t kMaxVerifyUrl = 200;
// An http(s) address without spaces or control characters, at most kMaxVerifyUrl bytes.
bool IsVerifyUrl(std::string_view url);

// COSE_Sign1 by the root key over the CBOR payload described in core/FORMATS.md.
// REQUIRES: kids and serial prefixes unique, titles and the municipality name at most
// kMaxIssuerText bytes of UTF-8, the verify URL empty or IsVerifyUrl (checked: kInvalidArgument).
Result<Bytes> SignTrustList(const TrustList& list, const crypto::Secret& root_sk,
                            const crypto::PublicKey& root_pk);
// kCrypto when the root key did not sign it, kParse when malformed.
Result<TrustList> VerifyTrustList(ByteView signed_list, const crypto::PublicKey& root_pk);

// A revoked certificate number: every issue of it when below_issue is 0, else the issues numbered
// below `below_issue` (a reissue invalidates the earlier papers).
struct Revocation {
  std::string serial;
  uint32_t below_issue = 0;
  int64_t at = 0;        // unix s
  std::string reason{};  // a kRevocationReasons code; empty: not given (a reissue, an older list)
};

// Revocation reason codes (README "Certificates"): error = issued with wrong content,
// duplicate = issued twice for one case, superseded = replaced by a new certificate (e.g. after a
// re-survey), withdrawn = the applicant withdrew the application, fraud = obtained by a false
// statement. A reader keeps any other short code as it is (a newer list's).
inline constexpr const char* kRevocationReasons[] = {"error", "duplicate", "superseded",
                                                     "withdrawn", "fraud"};
bool IsRevocationReason(std::string_view reason);

struct StatusList {
  uint64_t version = 0;
  int64_t issued_at = 0;  // "revocation data as of"
  std::string municipality_code;
  std::vector<Revocation> entries;  // sorted by serial, unique

  // The entry that revokes this issue of `serial`, or nullptr.
  const Revocation* Revokes(std::string_view serial, uint32_t issue_no) const;
};

// kInvalidArgument for a serial named twice or a reason not in kRevocationReasons.
Result<Bytes> SignStatusList(const StatusList& list, const crypto::Secret& root_sk,
                             const crypto::PublicKey& root_pk);
Result<StatusList> VerifyStatusList(ByteView signed_list, const crypto::PublicKey& root_pk);

// ---- the lists as trust items (they travel by sync and bundles like revocations)

// Where a device keeps the newest list of each kind it holds (log.db meta).
inline constexpr std::string_view kMetaTrustList = "trust_list";
inline constexpr std::string_view kMetaStatusList = "status_list";

// A signed trust or status list, verified: which one, and what orders two versions.
struct SignedListInfo {
  bool status = false;  // a status list (JSL1); else a trust list (JTL1)
  uint64_t version = 0;
  int64_t issued_at = 0;
  std::string municipality_code;
};
// True when `bytes` is a COSE_Sign1 envelope (tag 18), as the lists are; device certificates and
// the other trust items are plain two-element arrays.
bool IsSignedListEnvelope(ByteView bytes);
// Verifies either list completely. kCrypto when the root key did not sign it, kParse when it is
// malformed or neither list.
Result<SignedListInfo> VerifySignedList(ByteView signed_list, const crypto::PublicKey& root_pk);
// Whether `candidate` replaces `held` (same kind): the higher version wins; at an equal version
// the later issued_at, then the greater bytes, so that any two devices settle on the same list.
bool ListSupersedes(const SignedListInfo& candidate, ByteView candidate_bytes,
                    const SignedListInfo& held, ByteView held_bytes);

}  // namespace shelter::core
