#include "core/device/trust_item.hpp"

#include <cstring>

#include "core/codec/cbor.hpp"

namespace shelter::core {

Bytes SignTrustItem(const TrustItem& t, const crypto::Secret& root_sk) {
  // Key 0 (the kind) never occurs in a device certificate payload: the two cannot be confused.
  cbor::Map m{{0, static_cast<int64_t>(t.kind)},
              {1, Bytes(t.device.b.begin(), t.device.b.end())},
              {2, t.at},
              {3, t.municipality_code}};
  if (t.kind == TrustKind::kScopeKeyGrant) {
    m.emplace_back(4, Bytes(t.scope.b.begin(), t.scope.b.end()));
    m.emplace_back(5, static_cast<int64_t>(t.epoch));
    m.emplace_back(6, t.sealed);
  }
  Bytes payload = cbor::Encode(cbor::Item(std::move(m)));
  crypto::Signature sig = crypto::Sign(root_sk, View(payload));
  return cbor::Encode(cbor::Array{cbor::Item(payload), cbor::Item(Bytes(sig.begin(), sig.end()))});
}

Result<TrustItem> VerifyTrustItem(ByteView signed_item, const crypto::PublicKey& root_pk) {
  auto bad = [] { return MakeError(ErrorCode::kParse, "malformed trust item"); };
  cbor::DecodeLimits lim{4, 64};
  SHELTER_ASSIGN_OR_RETURN(cbor::Item outer, cbor::Decode(signed_item, lim));
  auto* a = outer.as_array();
  if (!a || a->size() != 2 || !(*a)[0].as_bytes() || !(*a)[1].as_bytes()) return bad();
  const Bytes& payload = *(*a)[0].as_bytes();
  if (!crypto::Verify(root_pk, View(payload), View(*(*a)[1].as_bytes())))
    return MakeError(ErrorCode::kCrypto, "trust item is not signed by this municipality");
  SHELTER_ASSIGN_OR_RETURN(cbor::Item m, cbor::Decode(View(payload), lim));
  auto integer = [&](int k) -> const int64_t* { return m.Find(k) ? m.Find(k)->as_int() : nullptr; };
  auto bytes = [&](int k) -> const Bytes* { return m.Find(k) ? m.Find(k)->as_bytes() : nullptr; };
  const int64_t *kind = integer(0), *at = integer(2);
  const Bytes* dev = bytes(1);
  const std::string* code = m.Find(3) ? m.Find(3)->as_text() : nullptr;
  if (!kind || !at || !dev || dev->size() != 16 || !code) return bad();
  TrustItem t;
  if (*kind == 1)
    t.kind = TrustKind::kRevocation;
  else if (*kind == 2)
    t.kind = TrustKind::kScopeKeyGrant;
  else
    return bad();
  std::memcpy(t.device.b.data(), dev->data(), 16);
  t.at = *at;
  t.municipality_code = *code;
  if (t.kind == TrustKind::kScopeKeyGrant) {
    const Bytes *scope = bytes(4), *sealed = bytes(6);
    const int64_t* epoch = integer(5);
    if (!scope || scope->size() != 16 || !epoch || *epoch < 1 || *epoch > UINT32_MAX || !sealed ||
        sealed->size() > 256)
      return bad();
    std::memcpy(t.scope.b.data(), scope->data(), 16);
    t.epoch = static_cast<uint32_t>(*epoch);
    t.sealed = *sealed;
  }
  return t;
}

std::string TrustItemKey(const TrustItem& t) {
  if (t.kind == TrustKind::kRevocation)
    return std::string(kTrustMetaPrefix) + "rev:" + t.device.Hex();
  return std::string(kTrustMetaPrefix) + "key:" + t.scope.Hex() + ":" + std::to_string(t.epoch) +
         ":" + t.device.Hex();
}

}  // namespace shelter::core
