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

  bool Allows(CertType t) const;
};

struct TrustList {
  uint64_t version = 0;  // increases with every change; devices keep the newest
  int64_t issued_at = 0;
  std::string municipality_code;
  std::vector<IssuerKey> keys;

  const IssuerKey* Find(ByteView kid) const;
};

// COSE_Sign1 by the root key over the CBOR payload described in core/FORMATS.md.
// REQUIRES: kids and serial prefixes unique (checked: kInvalidArgument).
Result<Bytes> SignTrustList(const TrustList& list, const crypto::Secret& root_sk,
                            const crypto::PublicKey& root_pk);
// kCrypto when the root key did not sign it, kParse when malformed.
Result<TrustList> VerifyTrustList(ByteView signed_list, const crypto::PublicKey& root_pk);

// A revoked certificate number: every issue of it when below_issue is 0, else the issues numbered
// below `below_issue` (a reissue invalidates the earlier papers).
struct Revocation {
  std::string serial;
  uint32_t below_issue = 0;
  int64_t at = 0;  // unix s
};

struct StatusList {
  uint64_t version = 0;
  int64_t issued_at = 0;  // "revocation data as of"
  std::string municipality_code;
  std::vector<Revocation> entries;  // sorted by serial, unique

  // The entry that revokes this issue of `serial`, or nullptr.
  const Revocation* Revokes(std::string_view serial, uint32_t issue_no) const;
};

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
