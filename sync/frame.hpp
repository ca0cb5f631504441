// The sync wire format below the session (sync/PROTOCOL.md): length-prefixed frames that carry
// Noise messages, and the typed, length-prefixed messages inside the decrypted stream. Incremental
// readers with hard size limits, for untrusted bytes. Value types; one owner (not thread-safe).
#pragma once

#include <cstdint>
#include <optional>

#include "core/base/bytes.hpp"
#include "core/base/result.hpp"
#include "core/log/segment.hpp"
#include "sync/noise.hpp"

namespace shelter::sync {

constexpr uint32_t kProtocolVersion = 1;  // the session protocol in sync/PROTOCOL.md
constexpr size_t kFrameHeaderBytes = 2;
constexpr size_t kMaxFramePayload = kNoiseMaxMessage;  // one Noise message
// A message body holds at most one segment plus a little framing.
constexpr size_t kMaxMessageBody = core::kMaxSegmentBytes + 1024;

enum class MsgType : uint8_t {
  kHello = 1,    // CBOR [summary digest bstr(16), held segment count]
  kVector = 2,   // CBOR map {device bstr(16): highest contiguous segment number}
  kCert = 3,     // a signed device certificate (core/FORMATS.md)
  kSegment = 4,  // one segment's wire bytes
  kDone = 5,     // CBOR [segments sent]: nothing more follows from this side
  kTrust = 6,    // a signed revocation or scope-key grant (core/device/trust_item.hpp)
};

struct Message {
  uint8_t type = 0;  // a MsgType, or an unknown type the reader skips
  Bytes body;
};

// u16 big-endian length (1..65535) then that many bytes. REQUIRES: 1 <= payload.size() <= 65535.
void AppendFrame(Bytes& out, ByteView payload);

// Splits a byte stream into frames. Next() returns nullopt until a whole frame is buffered;
// kParse for a zero-length frame (the stream is then unusable).
class FrameReader {
 public:
  void Feed(ByteView bytes);
  Result<std::optional<Bytes>> Next();
  size_t buffered() const { return buf_.size() - pos_; }

 private:
  Bytes buf_;
  size_t pos_ = 0;
};

// type u8, body length as unsigned LEB128 (shortest form, at most 4 bytes), body.
void AppendMessage(Bytes& out, MsgType type, ByteView body);

// Reassembles messages from decrypted stream bytes. kParse for a non-minimal or overlong length,
// kInvalidArgument (oversized) for a body above `max_body`.
class MessageReader {
 public:
  explicit MessageReader(size_t max_body = kMaxMessageBody) : max_body_(max_body) {}
  void Feed(ByteView bytes);
  Result<std::optional<Message>> Next();
  size_t buffered() const { return buf_.size() - pos_; }

 private:
  size_t max_body_;
  Bytes buf_;
  size_t pos_ = 0;
};

struct Hello {
  std::array<uint8_t, 16> digest{};  // of the sender's version vector and trust items
  uint64_t segments = 0;             // how many segments the sender holds (diagnostics)
};
Bytes EncodeHello(const Hello& h);
Result<Hello> DecodeHello(ByteView body);  // kParse on anything else
Bytes EncodeDone(uint64_t sent);
Result<uint64_t> DecodeDone(ByteView body);

}  // namespace shelter::sync
