// Fuzzes the unsealed-op reader (core/log/unsealed_op): arbitrary bytes as a stored box
// (OpenUnsealedOp with a fixed key), and as the plaintext inside a validly encrypted box.
#include <cstddef>
#include <cstdint>

#include "core/base/crypto.hpp"
#include "core/log/unsealed_op.hpp"

using namespace shelter::core;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bool init = crypto::InitCrypto().ok();
  (void)init;
  static const crypto::Secret key(Bytes(32, 7));
  static const UnsealedPlace at{Id16{}, Id16{}, 1};
  ByteView in(data, size);
  (void)OpenUnsealedOp(at, 1, in, key);
  // The same bytes as the decrypted CBOR op of a box that authenticates.
  Bytes nonce(crypto::kAeadNonceBytes, 3);
  Bytes ad = {'S', 'K', 'P', '1'};
  ad.resize(4 + 16 + 16 + 4, 0);
  ad[4 + 32 + 3] = 1;
  for (int i = 0; i < 7; ++i) ad.push_back(0);
  ad.push_back(1);
  Bytes box = nonce;
  Append(box, View(crypto::AeadEncrypt(key, View(nonce), in, View(ad))));
  (void)OpenUnsealedOp(at, 1, View(box), key);
  return 0;
}
