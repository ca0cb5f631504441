// JSP1 = "JSP1:" Base45(CBOR [person, household, shelter, issued, kid, signature]); the signature
// covers a context string followed by the CBOR encoding of the first five elements, so a
// signature made for anything else by the same device key cannot be replayed as a pass.
#include "core/formats/shelter_pass.hpp"

#include "core/codec/base45.hpp"
#include "core/codec/cbor.hpp"

namespace shelter::core {
namespace {

constexpr std::string_view kContext = "shelterkit JSP1 pass";

Bytes SignedBytes(const ShelterPass& p) {
  Bytes out(kContext.begin(), kContext.end());
  cbor::EncodeTo(cbor::Array{Bytes(p.person.b.begin(), p.person.b.end()),
                             Bytes(p.household.b.begin(), p.household.b.end()),
                             Bytes(p.shelter.b.begin(), p.shelter.b.end()), p.issued_s,
                             Bytes(p.kid.begin(), p.kid.end())},
                 out);
  return out;
}

Error Bad(const char* what) { return MakeError(ErrorCode::kParse, std::string("JSP1: bad ") + what); }

bool TakeId(const cbor::Item& item, Id16& out) {
  auto* b = item.as_bytes();
  if (!b || b->size() != 16) return false;
  std::copy(b->begin(), b->end(), out.b.begin());
  return true;
}

}  // namespace

Result<std::string> EncodeShelterPass(const ShelterPass& pass, const PassSigner& sign) {
  Bytes signed_bytes = SignedBytes(pass);
  SHELTER_ASSIGN_OR_RETURN(crypto::Signature sig, sign(View(signed_bytes)));
  // The encoded array is the signed array with the signature appended; re-encode it whole.
  cbor::Array a{Bytes(pass.person.b.begin(), pass.person.b.end()),
                Bytes(pass.household.b.begin(), pass.household.b.end()),
                Bytes(pass.shelter.b.begin(), pass.shelter.b.end()), pass.issued_s,
                Bytes(pass.kid.begin(), pass.kid.end()), Bytes(sig.begin(), sig.end())};
  return std::string(kShelterPassPrefix) + Base45Encode(View(cbor::Encode(cbor::Item(std::move(a)))));
}

Result<ParsedShelterPass> ParseShelterPass(std::string_view text) {
  if (text.substr(0, 3) == "JSP" && text.substr(0, 5) != kShelterPassPrefix)
    return MakeError(ErrorCode::kUnsupported, "JSP: unsupported version");
  if (text.substr(0, 5) != kShelterPassPrefix)
    return MakeError(ErrorCode::kUnsupported, "not a shelter pass");
  if (text.size() > kShelterPassPrefix.size() + (kShelterPassMaxBytes + 1) / 2 * 3) return Bad("length");
  auto raw = Base45Decode(text.substr(kShelterPassPrefix.size()));
  if (!raw.ok()) return Bad("Base45");
  auto item = cbor::Decode(View(*raw), {.max_depth = 2, .max_items = 16});
  if (!item.ok()) return Bad("CBOR");
  auto* a = item->as_array();
  if (!a || a->size() != 6) return Bad("structure");
  ParsedShelterPass out;
  ShelterPass& p = out.pass;
  if (!TakeId((*a)[0], p.person) || !TakeId((*a)[1], p.household) || !TakeId((*a)[2], p.shelter))
    return Bad("id");
  auto* issued = (*a)[3].as_int();
  if (!issued || *issued < 0) return Bad("issue time");
  p.issued_s = *issued;
  auto* kid = (*a)[4].as_bytes();
  if (!kid || kid->size() != p.kid.size()) return Bad("key id");
  std::copy(kid->begin(), kid->end(), p.kid.begin());
  auto* sig = (*a)[5].as_bytes();
  if (!sig || sig->size() != out.signature.size()) return Bad("signature");
  std::copy(sig->begin(), sig->end(), out.signature.begin());
  out.signed_bytes = SignedBytes(p);
  return out;
}

Status VerifyShelterPass(const ParsedShelterPass& parsed, const DeviceCert& signer) {
  const ShelterPass& p = parsed.pass;
  if (crypto::KeyIdOf(signer.sign_pk) != p.kid)
    return MakeError(ErrorCode::kInvalidArgument, "JSP1: certificate does not match the key id");
  if (!crypto::Verify(signer.sign_pk, View(parsed.signed_bytes),
                      ByteView(parsed.signature.data(), parsed.signature.size())))
    return MakeError(ErrorCode::kCrypto, "JSP1: the signature does not match");
  if (signer.role == DeviceRole::kKiosk)
    return MakeError(ErrorCode::kPermissionDenied, "JSP1: a kiosk may not issue passes");
  if (!signer.shelter_scope.IsZero() && signer.shelter_scope != p.shelter)
    return MakeError(ErrorCode::kPermissionDenied, "JSP1: issued by a device of another shelter");
  if (p.issued_s < signer.not_before || (signer.not_after && p.issued_s > signer.not_after))
    return MakeError(ErrorCode::kPermissionDenied, "JSP1: issued outside the device's validity");
  return {};
}

}  // namespace shelter::core
