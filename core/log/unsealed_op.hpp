// Unsealed ops: a device's own ops, committed durably but not yet sealed into a segment (a device
// that seals on demand, core/FORMATS.md "Unsealed ops"). Each is encrypted on its own with the
// scope key, so log.db holds no plaintext before the segment exists. Pure functions; thread-safe.
#pragma once

#include "core/base/bytes.hpp"
#include "core/base/crypto.hpp"
#include "core/base/result.hpp"
#include "core/log/op.hpp"

namespace shelter::core {

// Where an unsealed op belongs: the associated data of its encryption.
struct UnsealedPlace {
  Id16 device;
  Id16 scope;
  uint32_t epoch = 0;
};

// nonce [24] || XChaCha20-Poly1305(scope key, CBOR op, AD = "SKP1" device scope epoch seq).
Bytes SealUnsealedOp(const UnsealedPlace& at, const Op& op, const crypto::Secret& scope_key);
// kCrypto when the key is wrong or the bytes were changed (also when they were moved to another
// seq, scope or device); kParse when the plaintext is not an op of that seq.
Result<Op> OpenUnsealedOp(const UnsealedPlace& at, uint64_t seq, ByteView box,
                          const crypto::Secret& scope_key);

}  // namespace shelter::core
