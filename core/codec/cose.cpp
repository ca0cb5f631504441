#include "core/codec/cose.hpp"

#include <algorithm>

#include "core/codec/cbor.hpp"

namespace shelter::core::cose {
namespace {

// {1: -8} in canonical CBOR.
const Bytes& ProtectedEdDsa() {
  static const Bytes kProtected =
      cbor::Encode(cbor::Item(cbor::Map{{cbor::Item(kHeaderAlg), cbor::Item(kAlgEdDsa)}}));
  return kProtected;
}

// The envelope only: the payload is a byte string, decoded by the caller with its own limits.
constexpr cbor::DecodeLimits kLimits{8, 1u << 16};

}  // namespace

Bytes SigStructure(ByteView protected_bstr, ByteView external_aad, ByteView payload) {
  cbor::Array a{cbor::Item("Signature1"),
                cbor::Item(Bytes(protected_bstr.begin(), protected_bstr.end())),
                cbor::Item(Bytes(external_aad.begin(), external_aad.end())),
                cbor::Item(Bytes(payload.begin(), payload.end()))};
  return cbor::Encode(cbor::Item(std::move(a)));
}

Bytes Sign1(ByteView payload, const Kid& kid, const crypto::Secret& sk) {
  const Bytes& prot = ProtectedEdDsa();
  Bytes tbs = SigStructure(View(prot), ByteView(), payload);
  crypto::Signature sig = crypto::Sign(sk, View(tbs));
  cbor::Array msg{
      cbor::Item(prot),
      cbor::Item(cbor::Map{{cbor::Item(kHeaderKid), cbor::Item(Bytes(kid.begin(), kid.end()))}}),
      cbor::Item(Bytes(payload.begin(), payload.end())), cbor::Item(Bytes(sig.begin(), sig.end()))};
  return cbor::Encode(cbor::Item::Tag(kTagSign1, cbor::Item(std::move(msg))));
}

Result<Sign1Message> ParseSign1(ByteView cose) {
  auto bad = [](const char* what) {
    return MakeError(ErrorCode::kParse, std::string("COSE_Sign1: ") + what);
  };
  SHELTER_ASSIGN_OR_RETURN(cbor::Item top, cbor::Decode(cose, kLimits));
  const cbor::Item* body = &top;
  if (auto* t = top.as_tagged()) {
    if (t->tag != kTagSign1) return bad("not tagged 18");
    body = t->item.get();
  }
  auto* a = body->as_array();
  if (!a || a->size() != 4) return bad("not a 4-element array");
  auto* prot = (*a)[0].as_bytes();
  auto* unprot = (*a)[1].as_map();
  auto* payload = (*a)[2].as_bytes();
  auto* sig = (*a)[3].as_bytes();
  if (!prot || !unprot || !payload || !sig) return bad("wrong element types");
  Sign1Message m;
  m.protected_bstr = *prot;
  cbor::Item prot_map{cbor::Map{}};
  if (!prot->empty()) {
    auto decoded = cbor::Decode(View(*prot), kLimits);
    if (!decoded.ok() || !decoded->as_map()) return bad("protected header is not a map");
    prot_map = std::move(decoded).value();
  }
  const cbor::Item* alg = prot_map.Find(kHeaderAlg);
  if (!alg || !alg->as_int()) return bad("no algorithm in the protected header");
  m.alg = *alg->as_int();
  if (m.alg != kAlgEdDsa)
    return MakeError(ErrorCode::kUnsupported, "COSE_Sign1: algorithm is not EdDSA (-8)");
  const cbor::Item* kid = prot_map.Find(kHeaderKid);
  if (!kid) kid = (*a)[1].Find(kHeaderKid);
  if (kid) {
    if (!kid->as_bytes()) return bad("kid is not a byte string");
    m.kid = *kid->as_bytes();
  }
  m.payload = *payload;
  m.signature = *sig;
  return m;
}

bool VerifySign1(const Sign1Message& m, const crypto::PublicKey& pk) {
  if (m.alg != kAlgEdDsa || m.signature.size() != 64) return false;
  Bytes tbs = SigStructure(View(m.protected_bstr), ByteView(), View(m.payload));
  return crypto::Verify(pk, View(tbs), View(m.signature));
}

}  // namespace shelter::core::cose
