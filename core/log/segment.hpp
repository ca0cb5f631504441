// Segments: a device's ops batched, hash-chained, encrypted with a scope key and signed by the
// device (encrypt-then-sign; DESIGN §4, layout in core/FORMATS.md). Value types; thread-safe.
#pragma once

#include <array>
#include <vector>

#include "core/base/bytes.hpp"
#include "core/base/crypto.hpp"
#include "core/base/result.hpp"
#include "core/log/op.hpp"

namespace shelter::core {

constexpr size_t kSegmentHeaderBytes = 125;
constexpr size_t kMaxSegmentBytes = 16u << 20;
constexpr size_t kMaxSegmentPlaintext = 32u << 20;
constexpr uint8_t kSegmentFlagZlib = 1;

struct SegmentHeader {
  uint8_t flags = 0;
  Id16 device;
  Id16 scope;
  uint32_t epoch = 0;
  uint64_t number = 0;     // 1, 2, 3, ... per device
  uint64_t first_seq = 0;  // seq of the first op; ops are consecutive
  uint32_t op_count = 0;
  Hlc max_hlc = 0;
  Hash32 prev_hash{};  // hash of segment number-1 of this device; zero for number 1
  std::array<uint8_t, crypto::kAeadNonceBytes> nonce{};
};

struct Segment {
  SegmentHeader header;
  Bytes header_bytes;  // the exact encoded header (associated data and signed)
  Bytes ciphertext;
  crypto::Signature signature{};
  Hash32 hash{};  // SHA-256(header_bytes || ciphertext): the chain link and the segment's identity
  Bytes wire;     // the whole encoded segment as stored and sent

  uint64_t last_seq() const { return header.first_seq + header.op_count - 1; }
};

Bytes EncodeSegmentHeader(const SegmentHeader& h);

// REQUIRES: ops non-empty, consecutive seqs from h.first_seq, all authored by h.device.
Segment SealSegment(SegmentHeader h, const std::vector<Op>& ops, const crypto::Secret& scope_key,
                    const crypto::Secret& device_sign_sk);

// Structure only (lengths, magic, limits); no key needed. Returns kParse on malformed bytes.
Result<Segment> ParseSegment(ByteView wire);
// Returns kCrypto if the signature is not the device's.
Status VerifySegment(const Segment& s, const crypto::PublicKey& device_sign_pk);
// Decrypts and decodes the ops; returns kCrypto on a wrong key or tampering, kParse/kCorrupt when
// the plaintext is malformed or does not match the header (count, seqs, hlc bound).
Result<std::vector<Op>> OpenSegment(const Segment& s, const crypto::Secret& scope_key);

}  // namespace shelter::core
