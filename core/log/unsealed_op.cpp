#include "core/log/unsealed_op.hpp"

namespace shelter::core {
namespace {

Bytes AssociatedData(const UnsealedPlace& at, uint64_t seq) {
  Bytes ad = {'S', 'K', 'P', '1'};
  Append(ad, at.device.view());
  Append(ad, at.scope.view());
  for (int i = 3; i >= 0; --i) ad.push_back(static_cast<uint8_t>(at.epoch >> (8 * i)));
  for (int i = 7; i >= 0; --i) ad.push_back(static_cast<uint8_t>(seq >> (8 * i)));
  return ad;
}

}  // namespace

Bytes SealUnsealedOp(const UnsealedPlace& at, const Op& op, const crypto::Secret& scope_key) {
  Bytes nonce = crypto::RandomBytes(crypto::kAeadNonceBytes);
  Bytes plain = cbor::Encode(OpToCbor(op));
  Bytes ct = crypto::AeadEncrypt(scope_key, View(nonce), View(plain),
                                 View(AssociatedData(at, op.dot.seq)));
  Append(nonce, View(ct));
  return nonce;
}

Result<Op> OpenUnsealedOp(const UnsealedPlace& at, uint64_t seq, ByteView box,
                          const crypto::Secret& scope_key) {
  if (box.size() < crypto::kAeadNonceBytes + crypto::kAeadTagBytes)
    return MakeError(ErrorCode::kParse, "unsealed op: truncated");
  SHELTER_ASSIGN_OR_RETURN(
      Bytes plain,
      crypto::AeadDecrypt(scope_key, box.substr(0, crypto::kAeadNonceBytes),
                          box.substr(crypto::kAeadNonceBytes), View(AssociatedData(at, seq))));
  SHELTER_ASSIGN_OR_RETURN(cbor::Item item, cbor::Decode(View(plain)));
  SHELTER_ASSIGN_OR_RETURN(Op op, OpFromCbor(std::move(item), at.device));
  if (op.dot.seq != seq) return MakeError(ErrorCode::kParse, "unsealed op: seq does not match");
  return op;
}

}  // namespace shelter::core
