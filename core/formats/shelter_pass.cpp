// JSP1 = "JSP1:" Base45(CBOR [person, household, shelter, issued, kid, signature]); the signature
// covers a context string followed by the CBOR encoding of the first five elements, so a
// signature made for anything else by the same device key cannot be replayed as a pass.
#include "core/formats/shelter_pass.hpp"

#include <algorithm>

namespace shelter::core {
namespace {

const SignedPayloadFormat kFormat{
    .prefix = kShelterPassPrefix,
    .noun = "shelter pass",
    .context = "shelterkit JSP1 pass",
    .fields = 5,
    .max_text = kShelterPassPrefix.size() + (kShelterPassMaxBytes + 1) / 2 * 3,
    .limits = {.max_depth = 2, .max_items = 16},
    .kiosk_denied = "a kiosk may not issue passes",
    .signed_as = "issued",
};

cbor::Array Fields(const ShelterPass& p) {
  return cbor::Array{Bytes(p.person.b.begin(), p.person.b.end()),
                     Bytes(p.household.b.begin(), p.household.b.end()),
                     Bytes(p.shelter.b.begin(), p.shelter.b.end()), p.issued_s,
                     Bytes(p.kid.begin(), p.kid.end())};
}

bool TakeId(const cbor::Item& item, Id16& out) {
  auto* b = item.as_bytes();
  if (!b || b->size() != 16) return false;
  std::copy(b->begin(), b->end(), out.b.begin());
  return true;
}

}  // namespace

Result<std::string> EncodeShelterPass(const ShelterPass& pass, const PassSigner& sign) {
  return EncodeSignedPayload(kFormat, Fields(pass), sign);
}

Result<ParsedShelterPass> ParseShelterPass(std::string_view text) {
  SHELTER_ASSIGN_OR_RETURN(SignedPayloadFrame frame, OpenSignedPayload(kFormat, text));
  const cbor::Array& a = frame.items;
  ParsedShelterPass out;
  ShelterPass& p = out.pass;
  if (!TakeId(a[0], p.person) || !TakeId(a[1], p.household) || !TakeId(a[2], p.shelter))
    return BadPayload(kFormat, "id");
  auto* issued = a[3].as_int();
  if (!issued || *issued < 0) return BadPayload(kFormat, "issue time");
  p.issued_s = *issued;
  SHELTER_ASSIGN_OR_RETURN(PayloadSignature sig, TakeSignature(kFormat, a));
  p.kid = sig.kid;
  out.signature = sig.signature;
  // Re-encoded: a pass signs the canonical encoding of its fields.
  out.signed_bytes = SignedBytesOf(kFormat, Fields(p));
  return out;
}

Status VerifyShelterPass(const ParsedShelterPass& parsed, const DeviceCert& signer) {
  const ShelterPass& p = parsed.pass;
  SHELTER_TRY(VerifySignedPayload(kFormat, {p.kid, parsed.signature}, View(parsed.signed_bytes),
                                  p.shelter, signer));
  if (p.issued_s < signer.not_before || (signer.not_after && p.issued_s > signer.not_after))
    return MakeError(ErrorCode::kPermissionDenied, "JSP1: issued outside the device's validity");
  return {};
}

}  // namespace shelter::core
