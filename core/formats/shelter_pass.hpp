// JSP1: the shelter pass QR a tablet prints for each registered person (core/FORMATS.md "JSP1"):
// person, household, shelter and issue time, signed by the issuing device. Pure functions;
// thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "core/base/bytes.hpp"
#include "core/base/crypto.hpp"
#include "core/base/result.hpp"
#include "core/device/device_cert.hpp"
#include "core/formats/signed_payload.hpp"

namespace shelter::core {

inline constexpr std::string_view kShelterPassPrefix = "JSP1:";
// DESIGN §6: at most 143 bytes before Base45, so the text fits a version-10 symbol at level Q.
inline constexpr size_t kShelterPassMaxBytes = 143;

struct ShelterPass {
  Id16 person, household, shelter;
  int64_t issued_s = 0;  // unix seconds
  crypto::KeyId kid{};   // KeyIdOf(signer's Ed25519 public key)
};

struct ParsedShelterPass {
  ShelterPass pass;
  Bytes signed_bytes;  // what the signature covers
  crypto::Signature signature{};
};

// The signed text. REQUIRES: pass.kid == KeyIdOf(the signer's public key). Returns the signer's
// error (e.g. kUnauthenticated when nobody is logged in).
Result<std::string> EncodeShelterPass(const ShelterPass& pass, const PassSigner& sign);

// Structure only; no signature check. kUnsupported for another prefix or version, kParse for
// anything malformed or oversized.
Result<ParsedShelterPass> ParseShelterPass(std::string_view text);

// Checks the pass against the certificate of the device whose kid it names. kCrypto when the
// signature is wrong; kPermissionDenied when that device may not issue passes for this shelter
// (a tablet of another shelter, a kiosk) or the pass was issued outside the certificate's validity.
Status VerifyShelterPass(const ParsedShelterPass& parsed, const DeviceCert& signer);

}  // namespace shelter::core
