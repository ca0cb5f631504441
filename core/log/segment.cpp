#include "core/log/segment.hpp"

#include "core/codec/compress.hpp"

#include <cstring>

namespace shelter::core {
namespace {

constexpr char kMagic[4] = {'S', 'K', 'S', '1'};

void PutBe(Bytes& out, uint64_t v, int n) {
  for (int i = n - 1; i >= 0; --i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}
uint64_t GetBe(const uint8_t* p, int n) {
  uint64_t v = 0;
  for (int i = 0; i < n; ++i) v = (v << 8) | p[i];
  return v;
}

}  // namespace

Bytes EncodeSegmentHeader(const SegmentHeader& h) {
  Bytes out;
  out.reserve(kSegmentHeaderBytes);
  out.insert(out.end(), kMagic, kMagic + 4);
  out.push_back(h.flags);
  Append(out, h.device.view());
  Append(out, h.scope.view());
  PutBe(out, h.epoch, 4);
  PutBe(out, h.number, 8);
  PutBe(out, h.first_seq, 8);
  PutBe(out, h.op_count, 4);
  PutBe(out, h.max_hlc, 8);
  out.insert(out.end(), h.prev_hash.begin(), h.prev_hash.end());
  out.insert(out.end(), h.nonce.begin(), h.nonce.end());
  return out;
}

Segment SealSegment(SegmentHeader h, const std::vector<Op>& ops, const crypto::Secret& scope_key,
                    const crypto::Secret& device_sign_sk) {
  cbor::Array items;
  items.reserve(ops.size());
  Hlc max_hlc = 0;
  for (auto& op : ops) {
    items.push_back(OpToCbor(op));
    max_hlc = std::max(max_hlc, op.hlc);
  }
  Bytes plain = cbor::Encode(cbor::Item(std::move(items)));
  h.flags &= ~kSegmentFlagZlib;
  if (plain.size() > 256) {
    Bytes z = ZlibCompress(View(plain), 6);
    if (!z.empty() && z.size() < plain.size()) {
      plain = std::move(z);
      h.flags |= kSegmentFlagZlib;
    }
  }
  h.op_count = static_cast<uint32_t>(ops.size());
  h.max_hlc = max_hlc;
  Bytes rnd = crypto::RandomBytes(h.nonce.size());
  std::memcpy(h.nonce.data(), rnd.data(), h.nonce.size());

  Segment s;
  s.header = h;
  s.header_bytes = EncodeSegmentHeader(h);
  s.ciphertext = crypto::AeadEncrypt(scope_key, ByteView(h.nonce.data(), h.nonce.size()),
                                     View(plain), View(s.header_bytes));
  Bytes signed_part = s.header_bytes;
  Append(signed_part, View(s.ciphertext));
  s.hash = crypto::Sha256(View(signed_part));
  s.signature = crypto::Sign(device_sign_sk, View(signed_part));
  s.wire = std::move(signed_part);
  s.wire.insert(s.wire.begin() + kSegmentHeaderBytes, 4, 0);
  for (int i = 0; i < 4; ++i)
    s.wire[kSegmentHeaderBytes + i] = static_cast<uint8_t>(s.ciphertext.size() >> (8 * (3 - i)));
  s.wire.insert(s.wire.end(), s.signature.begin(), s.signature.end());
  return s;
}

Result<Segment> ParseSegment(ByteView wire) {
  auto bad = [](const char* what) {
    return MakeError(ErrorCode::kParse, std::string("segment: ") + what);
  };
  if (wire.size() > kMaxSegmentBytes) return bad("larger than the size limit");
  if (wire.size() < kSegmentHeaderBytes + 4 + crypto::kAeadTagBytes + 64) return bad("truncated");
  const uint8_t* p = wire.data();
  if (std::memcmp(p, kMagic, 4) != 0) return bad("bad magic or unsupported version");
  Segment s;
  SegmentHeader& h = s.header;
  h.flags = p[4];
  if (h.flags & ~kSegmentFlagZlib) return bad("unknown flags");
  std::memcpy(h.device.b.data(), p + 5, 16);
  std::memcpy(h.scope.b.data(), p + 21, 16);
  h.epoch = static_cast<uint32_t>(GetBe(p + 37, 4));
  h.number = GetBe(p + 41, 8);
  h.first_seq = GetBe(p + 49, 8);
  h.op_count = static_cast<uint32_t>(GetBe(p + 57, 4));
  h.max_hlc = GetBe(p + 61, 8);
  std::memcpy(h.prev_hash.data(), p + 69, 32);
  std::memcpy(h.nonce.data(), p + 101, 24);
  if (h.number == 0 || h.first_seq == 0 || h.op_count == 0) return bad("zero number, seq or count");
  if (h.first_seq > (1ull << 62) || h.number > (1ull << 62)) return bad("sequence out of range");
  uint64_t ct_len = GetBe(p + kSegmentHeaderBytes, 4);
  if (ct_len < crypto::kAeadTagBytes || ct_len != wire.size() - kSegmentHeaderBytes - 4 - 64)
    return bad("ciphertext length does not match");
  s.header_bytes.assign(p, p + kSegmentHeaderBytes);
  s.ciphertext.assign(p + kSegmentHeaderBytes + 4, p + kSegmentHeaderBytes + 4 + ct_len);
  std::memcpy(s.signature.data(), wire.data() + wire.size() - 64, 64);
  Bytes signed_part = s.header_bytes;
  Append(signed_part, View(s.ciphertext));
  s.hash = crypto::Sha256(View(signed_part));
  s.wire.assign(wire.begin(), wire.end());
  return s;
}

Status VerifySegment(const Segment& s, const crypto::PublicKey& device_sign_pk) {
  Bytes signed_part = s.header_bytes;
  Append(signed_part, View(s.ciphertext));
  if (!crypto::Verify(device_sign_pk, View(signed_part),
                      ByteView(s.signature.data(), s.signature.size())))
    return MakeError(ErrorCode::kCrypto, "segment signature does not match its device");
  return Ok();
}

Result<std::vector<Op>> OpenSegment(const Segment& s, const crypto::Secret& scope_key) {
  const SegmentHeader& h = s.header;
  SHELTER_ASSIGN_OR_RETURN(Bytes plain,
                           crypto::AeadDecrypt(scope_key, ByteView(h.nonce.data(), h.nonce.size()),
                                               View(s.ciphertext), View(s.header_bytes)));
  if (h.flags & kSegmentFlagZlib) {
    SHELTER_ASSIGN_OR_RETURN(plain, ZlibDecompress(View(plain), kMaxSegmentPlaintext));
  }
  SHELTER_ASSIGN_OR_RETURN(cbor::Item doc, cbor::Decode(View(plain)));
  plain = Bytes();
  auto* items = std::get_if<cbor::Array>(&doc.v);
  if (!items || items->size() != h.op_count)
    return MakeError(ErrorCode::kCorrupt, "segment op count does not match its header");
  std::vector<Op> ops;
  ops.reserve(items->size());
  for (size_t i = 0; i < items->size(); ++i) {
    SHELTER_ASSIGN_OR_RETURN(Op op, OpFromCbor(std::move((*items)[i]), h.device));
    if (op.dot.seq != h.first_seq + i || op.hlc > h.max_hlc)
      return MakeError(ErrorCode::kCorrupt, "segment ops do not match its header");
    ops.push_back(std::move(op));
  }
  return ops;
}

}  // namespace shelter::core
