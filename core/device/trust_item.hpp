// Signed trust items that travel with the data (DESIGN §4): device revocations, and scope-key
// grants (one epoch's scope key sealed to one device). Signed by the municipality root key; any
// device may store and pass them on. Value types; thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "core/base/bytes.hpp"
#include "core/base/crypto.hpp"
#include "core/base/result.hpp"

namespace shelter::core {

enum class TrustKind : uint8_t { kRevocation = 1, kScopeKeyGrant = 2 };

struct TrustItem {
  TrustKind kind = TrustKind::kRevocation;
  std::string municipality_code;
  Id16 device;     // the revoked device, or the grant's recipient
  int64_t at = 0;  // unix seconds when the admin made it
  Id16 scope;      // grants: the scope, its epoch and the key sealed to the device's X25519 key
  uint32_t epoch = 0;
  Bytes sealed;
};

// CBOR [payload bstr, Ed25519 signature by the root key]; see core/FORMATS.md.
Bytes SignTrustItem(const TrustItem& item, const crypto::Secret& root_sk);
// kParse on malformed bytes, kCrypto when the root key did not sign it.
Result<TrustItem> VerifyTrustItem(ByteView signed_item, const crypto::PublicKey& root_pk);
// Where a device stores it (meta table): one key per revoked device, one per (scope, epoch,
// device).
std::string TrustItemKey(const TrustItem& item);
constexpr std::string_view kTrustMetaPrefix = "trust:";

}  // namespace shelter::core
