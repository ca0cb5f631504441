// Specifies sync/frame and sync/beacon.
// Frames and messages: round trips across arbitrary chunking, limits (zero-length frames,
// oversized and non-minimal lengths), truncation, and unknown message types passing through.
#include <doctest/doctest.h>

#include "sync/beacon.hpp"
#include "sync/frame.hpp"

using namespace shelter;
using namespace shelter::sync;

TEST_CASE("frame: frames and messages survive any chunking") {
  Bytes stream;
  AppendFrame(stream, core::View("abc"));
  Bytes big(65535, 7);
  AppendFrame(stream, core::View(big));
  for (size_t step : {1, 2, 3, 1000, 70000}) {
    FrameReader r;
    std::vector<Bytes> got;
    for (size_t off = 0; off < stream.size(); off += step) {
      r.Feed(core::View(stream).substr(off, step));
      while (true) {
        auto f = r.Next();
        REQUIRE(f.ok());
        if (!*f) break;
        got.push_back(**f);
      }
    }
    REQUIRE(got.size() == 2);
    CHECK(got[1] == big);
    CHECK(r.buffered() == 0);
  }

  Bytes plain;
  AppendMessage(plain, MsgType::kHello, core::View(EncodeHello({{1, 2, 3}, 42})));
  Bytes body(200000, 5);
  AppendMessage(plain, MsgType::kSegment, core::View(body));
  AppendMessage(plain, static_cast<MsgType>(200), core::View("future"));
  MessageReader mr;
  for (size_t off = 0; off < plain.size(); off += 777) mr.Feed(core::View(plain).substr(off, 777));
  auto m1 = mr.Next();
  REQUIRE(m1.ok());
  REQUIRE(m1->has_value());
  auto h = DecodeHello(core::View((*m1)->body));
  REQUIRE(h.ok());
  CHECK(h->segments == 42);
  CHECK(h->digest[2] == 3);
  auto m2 = mr.Next();
  REQUIRE(m2.ok());
  CHECK((*m2)->body == body);
  auto m3 = mr.Next();
  REQUIRE(m3.ok());
  CHECK((*m3)->type == 200);
  auto none = mr.Next();
  REQUIRE(none.ok());
  CHECK(!none->has_value());
}

TEST_CASE("frame: hostile lengths are refused, truncation waits") {
  FrameReader r;
  r.Feed(core::View(Bytes{0, 0}));
  CHECK(!r.Next().ok());

  MessageReader small(1000);
  Bytes over;
  AppendMessage(over, MsgType::kSegment, core::View(Bytes(1001, 1)));
  small.Feed(core::View(over).substr(0, 4));  // the header alone is enough to refuse
  auto m = small.Next();
  REQUIRE(!m.ok());
  CHECK(m.error().code == core::ErrorCode::kInvalidArgument);

  MessageReader huge;
  huge.Feed(core::View(Bytes{4, 0xff, 0xff, 0xff, 0xff, 0x01}));  // 5-byte length
  CHECK(!huge.Next().ok());
  MessageReader nonmin;
  nonmin.Feed(core::View(Bytes{4, 0x80, 0x00}));  // zero with a continuation byte
  CHECK(!nonmin.Next().ok());

  MessageReader trunc;
  Bytes msg;
  AppendMessage(msg, MsgType::kDone, core::View(EncodeDone(3)));
  trunc.Feed(core::View(msg).substr(0, msg.size() - 1));
  auto t = trunc.Next();
  REQUIRE(t.ok());
  CHECK(!t->has_value());
  CHECK(!DecodeHello(core::View("\x82\x41\x00\x00")).ok());  // digest of one byte
  CHECK(DecodeDone(core::View(EncodeDone(3))).value() == 3);
}

TEST_CASE("beacon: round trip, refusals, battery-friendly timing") {
  sync::Beacon b;
  b.device = core::Id16::Random();
  b.port = 4711;
  b.digest[0] = 0xaa;
  Bytes wire = sync::EncodeBeacon(b);
  CHECK(wire.size() == sync::kBeaconBytes);
  auto d = sync::DecodeBeacon(core::View(wire));
  REQUIRE(d.ok());
  CHECK(d->device == b.device);
  CHECK(d->port == 4711);
  CHECK(d->digest == b.digest);
  CHECK(!sync::DecodeBeacon(core::View(wire).substr(0, 38)).ok());
  wire[4] = 2;  // a future version
  CHECK(!sync::DecodeBeacon(core::View(wire)).ok());
  // 60 s ± 10 %, never the 30 s that keeps Wi-Fi awake; backoff 15 s doubling to 15 min.
  CHECK(sync::NextBeaconDelayMs(60, 0.0) == 54'000);
  CHECK(sync::NextBeaconDelayMs(60, 0.999) < 66'000);
  CHECK(sync::BackoffMs(1) == 15'000);
  CHECK(sync::BackoffMs(3) == 60'000);
  CHECK(sync::BackoffMs(20) == 15 * 60'000);
}
