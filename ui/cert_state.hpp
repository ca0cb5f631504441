// The certificate screen's state (App::OpenCertificates and the actions after it): the open
// household's certificates, the issue form, and the certificate shown with its QR. UI thread only.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/codec/qr_code.hpp"
#include "core/formats/certificate.hpp"
#include "core/ops/assessment.hpp"
#include "core/ops/certificate_issuance.hpp"

namespace shelter::ui {

struct ShownCertificate {
  std::string serial;
  core::CertType type = core::CertType::kHinan;
  uint32_t issue_no = 1;
  std::string status;  // issued, revoked
  std::string reason;  // a kRevocationReasons code when revoked
  core::CertificateClaims claims;
  std::string jdv1;
  std::optional<core::QrSymbol> qr;
  std::string file;     // where its PDF was kept last (empty: not yet this session)
  std::string printer;  // where it was printed last (empty: not printed)
};

struct CertState {
  std::vector<core::CertificateRecord> list;  // the open household's, newest first
  std::vector<core::CertType> types;          // what this device and account may issue
  core::CertType type = core::CertType::kHinan;
  bool include_members = false;
  // 被災証明書 and 避難証明: the disaster (zero: the household's assessment's) and what was
  // damaged.
  std::vector<core::Disaster> disasters;
  core::Id16 disaster;
  std::string damage_note;
  std::optional<ShownCertificate> shown;
  bool revoking = false;  // the reason picker is open
  std::string error;      // core's refusal of the last action, in the UI language
};

// The settings screen's issuing key (cert key-new in the app): the device's public key as hex and
// as a QR for the admin device's `trust add --key HEX`.
struct IssuingKeyState {
  std::string hex;  // empty: the device has no issuing key (or none could be read)
  std::string kid;  // 8 bytes, hex
  std::optional<core::QrSymbol> qr;
  bool confirm = false;  // a key exists: the next press replaces it (rotation)
  std::string error;     // core's refusal, in the UI language
};

}  // namespace shelter::ui
