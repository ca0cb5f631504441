// Fuzzes the JDV1 / COSE certificate decoder: the bytes as QR text (prefix, Base45, zlib, COSE),
// as a raw COSE_Sign1 verified against a fixed trust list, as a CWT claims document, and as
// signed trust / status lists and trust items (what a sync TRUST message carries).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/base/crypto.hpp"
#include "core/device/trust_item.hpp"
#include "core/formats/certificate.hpp"
#include "core/formats/issuer_list.hpp"

using namespace shelter::core;

namespace {

const TrustList& Trust() {
  static const TrustList t = [] {
    TrustList list;
    list.municipality_code = "131016";
    IssuerKey k;
    k.pk.fill(0x42);
    k.kid = cose::KidOf(k.pk);
    k.serial_prefix = "K001";
    k.allowed = {CertType::kRisai, CertType::kHinan};
    k.not_after = INT64_MAX;
    list.keys.push_back(k);
    return list;
  }();
  return t;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bool init = crypto::InitCrypto().ok();
  (void)init;
  ByteView in(data, size);
  StatusList status;
  status.municipality_code = "131016";
  status.entries = {{"K001-000001", 0, 0}};
  (void)VerifyJdv1(AsChars(in), Trust(), &status);
  (void)VerifyCertificateCose(in, Trust(), nullptr);
  if (auto cwt = cbor::Decode(in, cbor::DecodeLimits{6, 1024}); cwt.ok()) {
    if (auto c = ClaimsFromCwt(*cwt); c.ok()) (void)ValidateClaims(*c);
  }
  crypto::PublicKey root;
  root.fill(0x42);
  (void)VerifyTrustList(in, root);
  (void)VerifyStatusList(in, root);
  if (IsSignedListEnvelope(in))
    (void)VerifySignedList(in, root);
  else
    (void)VerifyTrustItem(in, root);
  return 0;
}
