// COSE_Sign1 (RFC 9052 §4.2) with EdDSA (alg −8, Ed25519 via libsodium): the signature envelope
// of JDV1 certificates and of signed trust and status lists. Pure functions; thread-safe.
#pragma once

#include <array>
#include <cstdint>

#include "core/base/bytes.hpp"
#include "core/base/crypto.hpp"
#include "core/base/result.hpp"

namespace shelter::core::cose {

constexpr uint64_t kTagSign1 = 18;
constexpr int64_t kHeaderAlg = 1;
constexpr int64_t kHeaderKid = 4;
constexpr int64_t kAlgEdDsa = -8;
constexpr size_t kKidBytes = 8;

// The key id of an Ed25519 public key: the first 8 bytes of SHA-256 of its 32 raw bytes, the
// same kid as JSP1 passes and JSR1 reports use.
using Kid = crypto::KeyId;
static_assert(sizeof(Kid) == kKidBytes);
inline Kid KidOf(const crypto::PublicKey& pk) { return crypto::KeyIdOf(pk); }

// Sig_structure = ["Signature1", body_protected, external_aad, payload], CBOR-encoded: the bytes
// that are signed.
Bytes SigStructure(ByteView protected_bstr, ByteView external_aad, ByteView payload);

// COSE_Sign1, tag 18: [h'A10127' (= {1: -8}), {4: kid}, payload, signature].
Bytes Sign1(ByteView payload, const Kid& kid, const crypto::Secret& sk);

struct Sign1Message {
  Bytes protected_bstr;  // the serialized protected header, as signed
  int64_t alg = 0;
  Bytes kid;  // from the protected header if present there, else the unprotected one
  Bytes payload;
  Bytes signature;
};

// Parses the envelope (tag 18 or untagged) without checking the signature. Returns kParse for
// anything but a 4-element array of [bstr, map, bstr, bstr] with a decodable protected header,
// kUnsupported when the algorithm is not EdDSA.
Result<Sign1Message> ParseSign1(ByteView cose);

// True when `m.signature` is a valid Ed25519 signature by `pk` over m's Sig_structure.
bool VerifySign1(const Sign1Message& m, const crypto::PublicKey& pk);

}  // namespace shelter::core::cose
