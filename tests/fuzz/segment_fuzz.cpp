// Fuzzes the segment decoder: arbitrary bytes as a whole segment (ParseSegment, OpenSegment with a
// fixed key), and as the plaintext inside a validly sealed segment (CBOR and op decoding).
#include <cstddef>
#include <cstdint>

#include "core/base/crypto.hpp"
#include "core/log/segment.hpp"

using namespace shelter::core;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bool init = crypto::InitCrypto().ok();
  (void)init;
  static const crypto::Secret key(Bytes(32, 7));
  ByteView in(data, size);
  if (auto seg = ParseSegment(in); seg.ok()) {
    (void)OpenSegment(*seg, key);
  }
  // The same bytes as decrypted plaintext: an array of ops.
  if (auto doc = cbor::Decode(in); doc.ok()) {
    if (auto* items = doc->as_array()) {
      Id16 dev;
      for (auto& it : *items) (void)OpFromCbor(it, dev);
    }
  }
  return 0;
}
