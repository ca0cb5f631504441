// Fuzzes the sync wire parsers: the frame splitter, the message reassembler (with a small body
// limit so oversize paths are reached), the hello/done/vector bodies, and a Noise XX responder
// reading handshake message 1. Input byte 0 picks how the rest is chunked.
#include <cstddef>
#include <cstdint>

#include "sync/beacon.hpp"
#include "sync/frame.hpp"
#include "sync/noise.hpp"
#include "sync/version_vector.hpp"

using namespace shelter;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bool init = core::crypto::InitCrypto().ok();
  (void)init;
  if (size == 0) return 0;
  size_t step = 1 + data[0] % 64;
  core::ByteView in(data + 1, size - 1);

  sync::FrameReader frames;
  sync::MessageReader messages(4096);
  for (size_t off = 0; off < in.size(); off += step) {
    core::ByteView chunk = in.substr(off, step);
    frames.Feed(chunk);
    while (true) {
      auto f = frames.Next();
      if (!f.ok() || !*f) break;
    }
    messages.Feed(chunk);
    bool stop = false;
    while (!stop) {
      auto m = messages.Next();
      if (!m.ok() || !*m) break;
      core::ByteView body = core::View((*m)->body);
      switch (static_cast<sync::MsgType>((*m)->type)) {
        case sync::MsgType::kHello: (void)sync::DecodeHello(body); break;
        case sync::MsgType::kVector: (void)sync::DecodeVector(body); break;
        case sync::MsgType::kDone: (void)sync::DecodeDone(body); break;
        default: break;
      }
    }
  }
  (void)sync::DecodeHello(in);
  (void)sync::DecodeBeacon(in);
  (void)sync::DecodeVector(in);

  static const core::crypto::Secret responder_sk(core::Bytes(32, 9));
  sync::HandshakeConfig c;
  c.initiator = false;
  c.s = sync::NoiseStatic::FromSecret(responder_sk);
  auto hs = sync::HandshakeState::Create(c);
  if (hs.ok() && hs->ReadMessage(in).ok()) (void)hs->WriteMessage({});
  return 0;
}
