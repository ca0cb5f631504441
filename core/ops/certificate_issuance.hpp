// Issuing certificates on a device: the device's issuing key (wrapped under its master key), the
// trust and status lists it holds, serial numbers (the key's prefix + a durable per-device
// counter), and certificate records in the op log (issue, reissue, revocation) so they sync.
// Admin side: adding issuing keys to the trust list and publishing the status list.
// One thread at a time (like Node).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/formats/certificate.hpp"
#include "core/formats/issuer_list.hpp"
#include "core/node/node.hpp"

namespace shelter::core {

namespace field {  // certificate record wire names; never rename (core/FORMATS.md)
inline constexpr const char* kSerial = "serial";
inline constexpr const char* kCertType = "ctype";
inline constexpr const char* kIssueNo = "issue_no";
inline constexpr const char* kIssuedAt = "issued";
inline constexpr const char* kKid = "kid";
inline constexpr const char* kReason = "reason";
inline constexpr const char* kCose = "cose";
inline constexpr const char* kAssessment = "assessment";
}  // namespace field

// ---- issuing keys and lists on a device

// Lead or admin: makes a new issuing key for this device (replacing any older one: rotation; the
// old key's certificates keep verifying while the trust list keeps it). Returns the public key,
// which the admin adds to the trust list.
Result<crypto::PublicKey> CreateIssuingKey(Node& node);
// The device's issuing public key, if it has one (login needed).
Result<std::optional<crypto::PublicKey>> IssuingPublicKey(Node& node);

// Verifies a signed trust (status) list with the device's root key and stores it, unless the
// device already holds a newer version (kConflict). No login needed.
Status ImportTrustList(Node& node, ByteView signed_list);
Status ImportStatusList(Node& node, ByteView signed_list);
// The stored lists, verified again on load; nullopt when none was imported.
Result<std::optional<TrustList>> LoadTrustList(Node& node);
Result<std::optional<StatusList>> LoadStatusList(Node& node);
Result<std::optional<Bytes>> SignedTrustList(Node& node);
Result<std::optional<Bytes>> SignedStatusList(Node& node);

// ---- verifying on a device (no login, no network)

// A certificate checked against the lists this device holds, and which lists those were.
struct DeviceVerification {
  CertVerification result;
  uint64_t trust_version = 0;
  std::string municipality_code;           // the trust list's
  std::optional<uint64_t> status_version;  // nullopt: no status list on this device
  std::optional<Revocation> revocation;    // the status-list entry, when result is kRevoked
};
// Verifies a JDV1 text with this device's root key, trust list and status list. kNotFound when
// the device holds no trust list; a bad certificate is a result (result.status), not an error.
Result<DeviceVerification> VerifyWithDeviceLists(Node& node, std::string_view jdv1);
// The same with lists the caller verified (e.g. files checked against a root key given by hand).
DeviceVerification VerifyWithLists(std::string_view jdv1, const TrustList& trust,
                                   const StatusList* status);

// ---- admin (the device holding the root key)

struct TrustRequest {
  crypto::PublicKey pk{};
  std::string label;
  std::vector<CertType> allowed;
  int64_t not_before = 0;
  int64_t not_after = 0;
  std::string title{};  // 発行者名 its certificates carry, e.g. 千代田区長; empty: keep the key's
};
// Every trust list the admin device signs carries the municipality's name (from its
// municipality record) and the verify URL it was given; each version is the last one + 1.
// Adds (or, for a known key, updates) an issuing key in the trust list, assigning a new serial
// prefix ("K001", "K002", ...) to a new key; signs and stores the new version. Returns the entry.
Result<IssuerKey> TrustIssuingKey(Node& admin, const TrustRequest& request, int64_t now_s);
// Marks a key withdrawn and signs a new version.
Status WithdrawIssuingKey(Node& admin, ByteView kid, int64_t now_s);
// Gives a listed key another issuer title (not empty) and signs a new version. Certificates it
// signed naming the old title stop verifying (key not allowed); to keep them valid, trust a new
// key with the new title instead. kNotFound for a key not on the list.
Result<IssuerKey> RetitleIssuingKey(Node& admin, ByteView kid, const std::string& title,
                                    int64_t now_s);
// Sets the verifier page's address that certificates print (empty: none) and signs a new version
// (a list with no keys yet when there was none). kInvalidArgument unless IsVerifyUrl.
Status SetVerifyUrl(Node& admin, const std::string& url, int64_t now_s);
// Builds the revocation status list from the certificate records this device holds (revoked
// certificates with their reason, and earlier issues of reissued ones), signs and stores it. An
// entry already on the last list keeps its date. Returns it signed.
Result<Bytes> PublishStatusList(Node& admin, int64_t now_s);

// ---- certificates

struct IssueRequest {
  CertType type = CertType::kRisai;
  Id16 household;
  Id16 disaster;            // 被災/避難: required unless the household has an assessment
  std::string damage_note;  // 被災証明書: what was damaged
  bool include_members = false;
  int64_t now_s = 0;  // 0 = the system clock
};

struct IssuedCertificate {
  Id16 record;
  CertificateClaims claims;
  Bytes cose;
  std::string jdv1;
  std::string verify_url{};  // from the trust list the device signed it under; empty: none given
};

// Builds the claims from the household, its current assessment (罹災証明書), the disaster and
// the household's stays (避難証明), the issuer (title and municipality name) from the trust
// list's entry for this device's key, takes the next serial, signs with this device's issuing key
// and records the certificate. kPermissionDenied when the key is absent, not on the trust list,
// not allowed for the type, withdrawn or outside its validity; kNotFound for an unknown household
// or a 罹災証明書 without an assessment; kInvalidArgument when over the QR byte cap.
Result<IssuedCertificate> IssueCertificate(Node& node, const IssueRequest& request);
// The same certificate again (lost paper): same serial, issue number + 1, signed now with the
// issuer as the trust list now names it for this device's key. Earlier issues are revoked by the
// next status list.
Result<IssuedCertificate> ReissueCertificate(Node& node, std::string_view serial,
                                             int64_t now_s = 0);
// Reason codes: kRevocationReasons (core/formats/issuer_list.hpp).
// Lead or admin: marks a certificate revoked. kInvalidArgument, listing the codes, for a reason
// not in kRevocationReasons; kNotFound for an unknown serial.
Status RevokeCertificate(Node& node, std::string_view serial, const std::string& reason);

struct CertificateRecord {
  Id16 id;
  std::string serial;
  CertType type = CertType::kRisai;
  Id16 household;
  uint32_t issue_no = 1;
  int64_t issued_at = 0;
  std::string status;  // issued, revoked
  std::string reason;
  Bytes cose;
};
Result<std::vector<CertificateRecord>> ListCertificates(Node& node);
Result<CertificateRecord> FindCertificate(Node& node, std::string_view serial);

}  // namespace shelter::core
