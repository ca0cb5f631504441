// The frame the device-signed QR texts share (JSP1 shelter pass, JSR1 status report;
// core/FORMATS.md): PREFIX + Base45(CBOR array [fields..., kid, signature]), the signature over a
// context string and the CBOR array of the fields (kid last). Encoding, parsing the frame, checking
// the signer, and finding the signer among known devices. Pure functions; thread-safe.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "core/base/bytes.hpp"
#include "core/base/crypto.hpp"
#include "core/base/result.hpp"
#include "core/codec/cbor.hpp"
#include "core/device/device_cert.hpp"

namespace shelter::core {

// Signs with the issuing device's key (Node::SignAsDevice); the key never leaves the Node.
using PassSigner = std::function<Result<crypto::Signature>(ByteView message)>;

// What tells one signed payload from another; the strings go into errors ("JSP1: bad CBOR").
struct SignedPayloadFormat {
  std::string_view prefix;  // "JSP1:"; another version of the same family ("JSP2:") is kUnsupported
  std::string_view noun;    // "shelter pass": "not a shelter pass"
  std::string_view context;  // signed before the fields, so no other signature replays as this one
  size_t fields = 0;         // array elements before the signature, the kid last among them
  size_t max_text = 0;       // longest text accepted, prefix included
  cbor::DecodeLimits limits;
  std::string_view kiosk_denied;  // "a kiosk may not issue passes"
  std::string_view signed_as;     // "issued": "issued by a device of another shelter"
};

// A payload whose frame has been checked: its CBOR bytes and its array of fields + 1 elements.
struct SignedPayloadFrame {
  Bytes raw;          // the Base45-decoded bytes
  cbor::Array items;  // fields, then the signature
};

struct PayloadSignature {
  crypto::KeyId kid{};
  crypto::Signature signature{};
};

// "JSP1: bad <what>", kParse.
Error BadPayload(const SignedPayloadFormat& f, std::string_view what);

// The bytes the signature covers when the fields are encoded by this build: context + CBOR(fields).
Bytes SignedBytesOf(const SignedPayloadFormat& f, const cbor::Array& fields);

// The text: prefix + Base45(CBOR(fields + signature)). REQUIRES: fields.size() == f.fields and
// the kid in them is KeyIdOf(the signer's public key). Returns the signer's error.
Result<std::string> EncodeSignedPayload(const SignedPayloadFormat& f, cbor::Array fields,
                                        const PassSigner& sign);

// The prefix, length, Base45, CBOR and array size of `text`. kUnsupported for another prefix or
// version; kParse for anything malformed or longer than f.max_text.
Result<SignedPayloadFrame> OpenSignedPayload(const SignedPayloadFormat& f, std::string_view text);

// The kid (the last field) and the signature of an opened frame; kParse when malformed.
Result<PayloadSignature> TakeSignature(const SignedPayloadFormat& f, const cbor::Array& items);

// The bytes the signature covers, taken from the received bytes (never re-encoded, so fields this
// build skips are still covered): context + the array head for f.fields + those elements as sent.
// kParse when `raw` is not an array of f.fields + 1 elements.
Result<Bytes> ReceivedSignedBytes(const SignedPayloadFormat& f, ByteView raw);

// Checks a parsed payload against the certificate of the device whose kid it names:
// kInvalidArgument when the certificate has another key, kCrypto when the signature is wrong,
// kPermissionDenied when the signer is a kiosk or a device of a shelter other than `shelter`.
Status VerifySignedPayload(const SignedPayloadFormat& f, const PayloadSignature& sig,
                           ByteView signed_bytes, const Id16& shelter, const DeviceCert& signer);

// The certificate among `devices` whose signing key has `kid` (each device has its own key);
// nullptr when none does.
const DeviceCert* FindSigner(const std::map<Id16, DeviceCert>& devices, const crypto::KeyId& kid);

}  // namespace shelter::core
