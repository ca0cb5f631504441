// The signed-payload frame: the checks both JSP1 and JSR1 make, in the order they make them, so
// a malformed text gets the same error from either parser.
#include "core/formats/signed_payload.hpp"

#include <algorithm>

#include "core/codec/base45.hpp"

namespace shelter::core {
namespace {

// "JSP1" of "JSP1:".
std::string NameOf(const SignedPayloadFormat& f) {
  return std::string(f.prefix.substr(0, f.prefix.size() - 1));
}

Error Denied(const SignedPayloadFormat& f, std::string_view why) {
  return MakeError(ErrorCode::kPermissionDenied, NameOf(f) + ": " + std::string(why));
}

}  // namespace

Error BadPayload(const SignedPayloadFormat& f, std::string_view what) {
  return MakeError(ErrorCode::kParse, NameOf(f) + ": bad " + std::string(what));
}

Bytes SignedBytesOf(const SignedPayloadFormat& f, const cbor::Array& fields) {
  Bytes out(f.context.begin(), f.context.end());
  cbor::EncodeTo(cbor::Item(fields), out);
  return out;
}

Result<std::string> EncodeSignedPayload(const SignedPayloadFormat& f, cbor::Array fields,
                                        const PassSigner& sign) {
  Bytes signed_bytes = SignedBytesOf(f, fields);
  SHELTER_ASSIGN_OR_RETURN(crypto::Signature sig, sign(View(signed_bytes)));
  // The encoded array is the signed array with the signature appended; re-encode it whole.
  fields.emplace_back(Bytes(sig.begin(), sig.end()));
  return std::string(f.prefix) + Base45Encode(View(cbor::Encode(cbor::Item(std::move(fields)))));
}

Result<SignedPayloadFrame> OpenSignedPayload(const SignedPayloadFormat& f, std::string_view text) {
  std::string_view family = f.prefix.substr(0, 3);  // "JSP"
  if (text.substr(0, family.size()) == family && text.substr(0, f.prefix.size()) != f.prefix)
    return MakeError(ErrorCode::kUnsupported, std::string(family) + ": unsupported version");
  if (text.substr(0, f.prefix.size()) != f.prefix)
    return MakeError(ErrorCode::kUnsupported, "not a " + std::string(f.noun));
  if (text.size() > f.max_text) return BadPayload(f, "length");
  auto raw = Base45Decode(text.substr(f.prefix.size()));
  if (!raw.ok()) return BadPayload(f, "Base45");
  auto item = cbor::Decode(View(*raw), f.limits);
  if (!item.ok()) return BadPayload(f, "CBOR");
  auto* a = item->as_array();
  if (!a || a->size() != f.fields + 1) return BadPayload(f, "structure");
  return SignedPayloadFrame{std::move(raw).value(), std::move(*a)};
}

Result<PayloadSignature> TakeSignature(const SignedPayloadFormat& f, const cbor::Array& items) {
  PayloadSignature out;
  auto* kid = items[f.fields - 1].as_bytes();
  if (!kid || kid->size() != out.kid.size()) return BadPayload(f, "key id");
  std::copy(kid->begin(), kid->end(), out.kid.begin());
  auto* sig = items[f.fields].as_bytes();
  if (!sig || sig->size() != out.signature.size()) return BadPayload(f, "signature");
  std::copy(sig->begin(), sig->end(), out.signature.begin());
  return out;
}

Result<Bytes> ReceivedSignedBytes(const SignedPayloadFormat& f, ByteView raw) {
  // One-byte array heads only: every format has fewer than 24 elements.
  ByteView rest = raw;
  if (rest.empty() || rest[0] != static_cast<uint8_t>(0x80 + f.fields + 1))
    return BadPayload(f, "structure");
  rest.remove_prefix(1);
  for (size_t i = 0; i < f.fields; ++i)
    if (!cbor::DecodePrefix(rest, f.limits).ok()) return BadPayload(f, "CBOR");
  ByteView elements = raw.substr(1, raw.size() - 1 - rest.size());
  Bytes out(f.context.begin(), f.context.end());
  out.push_back(static_cast<uint8_t>(0x80 + f.fields));
  out.insert(out.end(), elements.begin(), elements.end());
  return out;
}

Status VerifySignedPayload(const SignedPayloadFormat& f, const PayloadSignature& sig,
                           ByteView signed_bytes, const Id16& shelter, const DeviceCert& signer) {
  if (crypto::KeyIdOf(signer.sign_pk) != sig.kid)
    return MakeError(ErrorCode::kInvalidArgument,
                     NameOf(f) + ": certificate does not match the key id");
  if (!crypto::Verify(signer.sign_pk, signed_bytes,
                      ByteView(sig.signature.data(), sig.signature.size())))
    return MakeError(ErrorCode::kCrypto, NameOf(f) + ": the signature does not match");
  if (signer.role == DeviceRole::kKiosk) return Denied(f, f.kiosk_denied);
  if (!signer.shelter_scope.IsZero() && signer.shelter_scope != shelter)
    return Denied(f, std::string(f.signed_as) + " by a device of another shelter");
  return Ok();
}

const DeviceCert* FindSigner(const std::map<Id16, DeviceCert>& devices, const crypto::KeyId& kid) {
  for (auto& [id, cert] : devices)
    if (crypto::KeyIdOf(cert.sign_pk) == kid) return &cert;
  return nullptr;
}

}  // namespace shelter::core
