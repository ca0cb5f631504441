#include "sync/frame.hpp"

#include <cstring>

#include "core/codec/cbor.hpp"

namespace shelter::sync {
namespace {

using core::ErrorCode;
using core::MakeError;

// Drops consumed bytes once they dominate the buffer, so feeding stays linear.
void Compact(Bytes& buf, size_t& pos) {
  if (pos > 4096 && pos * 2 > buf.size()) {
    buf.erase(buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(pos));
    pos = 0;
  }
}

}  // namespace

void AppendFrame(Bytes& out, ByteView payload) {
  out.push_back(static_cast<uint8_t>(payload.size() >> 8));
  out.push_back(static_cast<uint8_t>(payload.size()));
  core::Append(out, payload);
}

void FrameReader::Feed(ByteView bytes) {
  Compact(buf_, pos_);
  core::Append(buf_, bytes);
}

Result<std::optional<Bytes>> FrameReader::Next() {
  if (buffered() < kFrameHeaderBytes) return std::optional<Bytes>();
  size_t len = (size_t{buf_[pos_]} << 8) | buf_[pos_ + 1];
  if (len == 0) return MakeError(ErrorCode::kParse, "zero-length frame");
  if (buffered() < kFrameHeaderBytes + len) return std::optional<Bytes>();
  auto first = buf_.begin() + static_cast<std::ptrdiff_t>(pos_ + kFrameHeaderBytes);
  Bytes frame(first, first + static_cast<std::ptrdiff_t>(len));
  pos_ += kFrameHeaderBytes + len;
  return std::optional<Bytes>(std::move(frame));
}

void AppendMessage(Bytes& out, MsgType type, ByteView body) {
  out.push_back(static_cast<uint8_t>(type));
  size_t n = body.size();
  do {
    uint8_t b = n & 0x7f;
    n >>= 7;
    out.push_back(n ? (b | 0x80) : b);
  } while (n);
  core::Append(out, body);
}

void MessageReader::Feed(ByteView bytes) {
  Compact(buf_, pos_);
  core::Append(buf_, bytes);
}

Result<std::optional<Message>> MessageReader::Next() {
  size_t avail = buffered();
  if (avail < 2) return std::optional<Message>();
  const uint8_t* p = buf_.data() + pos_;
  uint64_t len = 0;
  size_t i = 1;
  for (int shift = 0;; shift += 7) {
    if (i >= avail) return std::optional<Message>();
    if (shift > 21) return MakeError(ErrorCode::kParse, "message length over 4 bytes");
    uint8_t b = p[i++];
    len |= uint64_t{static_cast<uint8_t>(b & 0x7f)} << shift;
    if (!(b & 0x80)) {
      if (b == 0 && shift > 0) return MakeError(ErrorCode::kParse, "message length not minimal");
      break;
    }
  }
  if (len > max_body_)
    return MakeError(ErrorCode::kInvalidArgument,
                     "message of " + std::to_string(len) + " bytes exceeds the limit");
  if (avail - i < len) return std::optional<Message>();
  Message m;
  m.type = p[0];
  m.body.assign(p + i, p + i + len);
  pos_ += i + len;
  return std::optional<Message>(std::move(m));
}

Bytes EncodeHello(const Hello& h) {
  core::cbor::Array a;
  a.emplace_back(Bytes(h.digest.begin(), h.digest.end()));
  a.emplace_back(static_cast<int64_t>(h.segments));
  return core::cbor::Encode(core::cbor::Item(std::move(a)));
}

Result<Hello> DecodeHello(ByteView body) {
  core::cbor::DecodeLimits lim{4, 8};
  SHELTER_ASSIGN_OR_RETURN(core::cbor::Item doc, core::cbor::Decode(body, lim));
  auto* a = doc.as_array();
  if (!a || a->size() < 2) return MakeError(ErrorCode::kParse, "hello is not [digest, count]");
  auto* d = (*a)[0].as_bytes();
  auto* n = (*a)[1].as_int();
  if (!d || d->size() != 16 || !n || *n < 0) return MakeError(ErrorCode::kParse, "bad hello");
  Hello h;
  std::memcpy(h.digest.data(), d->data(), 16);
  h.segments = static_cast<uint64_t>(*n);
  return h;  // later versions may append items: ignored
}

Bytes EncodeDone(uint64_t sent) {
  core::cbor::Array a;
  a.emplace_back(static_cast<int64_t>(sent));
  return core::cbor::Encode(core::cbor::Item(std::move(a)));
}

Result<uint64_t> DecodeDone(ByteView body) {
  core::cbor::DecodeLimits lim{4, 8};
  SHELTER_ASSIGN_OR_RETURN(core::cbor::Item doc, core::cbor::Decode(body, lim));
  auto* a = doc.as_array();
  const int64_t* n = a && !a->empty() ? (*a)[0].as_int() : nullptr;
  if (!n || *n < 0) return MakeError(ErrorCode::kParse, "bad done message");
  return static_cast<uint64_t>(*n);
}

}  // namespace shelter::sync
