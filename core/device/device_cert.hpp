// Device enrollment certificates and roles (DESIGN §4): the municipality root key certifies each
// device's signing and key-agreement keys for one shelter scope. Value types; thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "core/base/bytes.hpp"
#include "core/base/crypto.hpp"
#include "core/base/result.hpp"

namespace shelter::core {

enum class DeviceRole : uint8_t { kTablet = 1, kKiosk = 2, kHq = 3, kAdmin = 4 };
// kCertifier: a municipal office account that assesses damage and issues 罹災証明書 and 被災証明書
// (core/ops/cert_policy.hpp); it does no shelter work.
enum class StaffRole : uint8_t {
  kStaff = 1,
  kLead = 2,
  kKiosk = 3,
  kAdmin = 4,
  kHq = 5,
  kCertifier = 6
};

const char* DeviceRoleName(DeviceRole r);
const char* StaffRoleName(StaffRole r);
Result<DeviceRole> ParseDeviceRole(std::string_view s);
Result<StaffRole> ParseStaffRole(std::string_view s);

struct DeviceCert {
  Id16 device;
  crypto::PublicKey sign_pk{};
  crypto::PublicKey box_pk{};
  Id16 shelter_scope;  // zero for municipality-wide devices (admin, HQ)
  DeviceRole role = DeviceRole::kTablet;
  int64_t not_before = 0;  // unix seconds
  int64_t not_after = 0;
  uint32_t incarnation = 1;
  std::string municipality_code;
  std::string label;  // e.g. "tablet-2"; never a person's name
};

// Signed encoding: CBOR [payload bstr, Ed25519 signature by the root key] (core/FORMATS.md).
Bytes SignDeviceCert(const DeviceCert& cert, const crypto::Secret& root_sk);
// Parses and checks the root signature. Returns kParse on malformed bytes, kCrypto on a bad
// signature. Validity dates are checked by the caller against its own clock.
Result<DeviceCert> VerifyDeviceCert(ByteView signed_cert, const crypto::PublicKey& root_pk);

// Scope identifiers are derived, so every device computes the same one.
Id16 MunicipalityScope(std::string_view municipality_code);
Id16 DerivedId(std::string_view domain, std::string_view key);

}  // namespace shelter::core
