// Tests for core/log/segment: a sealed segment parses, verifies and opens back to its ops; large
// plaintexts are compressed; a wrong key, a flipped byte, a cut or a forged header is refused.
#include "core/log/segment.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/base/crypto.hpp"

namespace shelter::core {
namespace {

struct Keys {
  crypto::SignKeyPair device = crypto::GenerateSignKeyPair();
  crypto::Secret scope = crypto::RandomSecret(32);
};

Keys MakeKeys() {
  REQUIRE(crypto::InitCrypto().ok());
  return Keys{};
}

std::vector<Op> Ops(const Id16& device, uint64_t first_seq, int n, size_t value_bytes = 8) {
  std::vector<Op> ops;
  for (int i = 0; i < n; ++i) {
    Op op;
    op.dot = {device, first_seq + i};
    op.hlc = (Hlc{1'000 + static_cast<uint64_t>(i)} << 16);
    op.record = Id16::Random();
    op.type = RecordType::kHousehold;
    op.fields = {{"address", cbor::Item(std::string(value_bytes, 'a' + i % 26))}};
    ops.push_back(std::move(op));
  }
  return ops;
}

SegmentHeader Header(const Id16& device, uint64_t number, uint64_t first_seq) {
  SegmentHeader h;
  h.device = device;
  h.scope.b[0] = 7;
  h.epoch = 3;
  h.number = number;
  h.first_seq = first_seq;
  return h;
}

TEST_CASE("segment: sealed, parsed, verified and opened back to the same ops") {
  Keys k = MakeKeys();
  Id16 device = Id16::Random();
  auto ops = Ops(device, 11, 3);
  Segment s = SealSegment(Header(device, 4, 11), ops, k.scope, k.device.sk);
  CHECK(s.header.op_count == 3);
  CHECK(s.header.max_hlc == ops.back().hlc);
  CHECK(s.last_seq() == 13);
  CHECK(s.header_bytes.size() == kSegmentHeaderBytes);
  CHECK((s.header.flags & kSegmentFlagZlib) == 0);  // small: stored as is

  auto parsed = ParseSegment(View(s.wire));
  REQUIRE_MESSAGE(parsed.ok(), parsed.error().ToString());
  CHECK(parsed->header.device == device);
  CHECK(parsed->header.scope == s.header.scope);
  CHECK(parsed->header.epoch == 3);
  CHECK(parsed->header.number == 4);
  CHECK(parsed->header.first_seq == 11);
  CHECK(parsed->hash == s.hash);
  CHECK(parsed->header_bytes == EncodeSegmentHeader(s.header));
  CHECK(VerifySegment(*parsed, k.device.pk).ok());

  auto opened = OpenSegment(*parsed, k.scope);
  REQUIRE_MESSAGE(opened.ok(), opened.error().ToString());
  REQUIRE(opened->size() == 3);
  for (size_t i = 0; i < 3; ++i) {
    CHECK((*opened)[i].dot == ops[i].dot);
    CHECK((*opened)[i].record == ops[i].record);
    CHECK((*opened)[i].fields[0].value == ops[i].fields[0].value);
  }
}

TEST_CASE("segment: a large plaintext is compressed, and opens the same") {
  Keys k = MakeKeys();
  Id16 device = Id16::Random();
  auto ops = Ops(device, 1, 20, 200);
  Segment s = SealSegment(Header(device, 1, 1), ops, k.scope, k.device.sk);
  CHECK((s.header.flags & kSegmentFlagZlib) != 0);
  CHECK(s.wire.size() < 20 * 200);
  auto parsed = ParseSegment(View(s.wire));
  REQUIRE(parsed.ok());
  auto opened = OpenSegment(*parsed, k.scope);
  REQUIRE(opened.ok());
  CHECK(opened->size() == 20);
  CHECK((*opened)[19].fields[0].value == ops[19].fields[0].value);
}

TEST_CASE("segment: the same ops sealed twice differ (a fresh nonce) but both open") {
  Keys k = MakeKeys();
  Id16 device = Id16::Random();
  auto ops = Ops(device, 1, 1);
  Segment a = SealSegment(Header(device, 1, 1), ops, k.scope, k.device.sk);
  Segment b = SealSegment(Header(device, 1, 1), ops, k.scope, k.device.sk);
  CHECK(a.header.nonce != b.header.nonce);
  CHECK(a.hash != b.hash);
  CHECK(OpenSegment(a, k.scope).ok());
  CHECK(OpenSegment(b, k.scope).ok());
}

TEST_CASE("segment: another device's key or another scope key is refused with kCrypto") {
  Keys k = MakeKeys();
  Keys other;
  Id16 device = Id16::Random();
  Segment s = SealSegment(Header(device, 1, 1), Ops(device, 1, 2), k.scope, k.device.sk);
  auto forged = VerifySegment(s, other.device.pk);
  REQUIRE_FALSE(forged.ok());
  CHECK(forged.error().code == ErrorCode::kCrypto);
  auto unreadable = OpenSegment(s, other.scope);
  REQUIRE_FALSE(unreadable.ok());
  CHECK(unreadable.error().code == ErrorCode::kCrypto);
}

TEST_CASE("segment: every flipped byte fails the parse, the signature or the decryption") {
  Keys k = MakeKeys();
  Id16 device = Id16::Random();
  Segment s = SealSegment(Header(device, 2, 5), Ops(device, 5, 2), k.scope, k.device.sk);
  for (size_t i = 0; i < s.wire.size(); ++i) {
    Bytes bad = s.wire;
    bad[i] ^= 0x01;
    auto parsed = ParseSegment(View(bad));
    if (!parsed.ok()) continue;
    CAPTURE(i);
    CHECK_FALSE(VerifySegment(*parsed, k.device.pk).ok());
    if (i < kSegmentHeaderBytes + 4 + s.ciphertext.size())  // not the signature itself
      CHECK_FALSE(OpenSegment(*parsed, k.scope).ok());
  }
}

TEST_CASE("segment: malformed wire bytes are refused with kParse") {
  Keys k = MakeKeys();
  Id16 device = Id16::Random();
  Segment s = SealSegment(Header(device, 1, 1), Ops(device, 1, 1), k.scope, k.device.sk);
  auto refused = [](const Bytes& wire) {
    auto r = ParseSegment(View(wire));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::kParse);
  };
  refused(Bytes());
  refused(Bytes(s.wire.begin(), s.wire.end() - 1));  // cut
  Bytes longer = s.wire;
  longer.push_back(0);
  refused(longer);  // a byte after the signature
  Bytes magic = s.wire;
  magic[3] = '2';
  refused(magic);  // SKS2 is not a version this reads
  Bytes flags = s.wire;
  flags[4] |= 0x80;
  refused(flags);
  Bytes huge(kMaxSegmentBytes + 1, 0);
  refused(huge);
}

TEST_CASE("segment: a header with a zero number, seq or op count does not parse") {
  Keys k = MakeKeys();
  Id16 device = Id16::Random();
  Segment s = SealSegment(Header(device, 1, 1), Ops(device, 1, 1), k.scope, k.device.sk);
  // Offsets in the header (core/FORMATS.md): number at 41, first_seq at 49, op_count at 57.
  for (size_t offset : {41u, 49u, 57u}) {
    CAPTURE(offset);
    Bytes bad = s.wire;
    size_t width = offset == 57 ? 4 : 8;
    for (size_t i = 0; i < width; ++i) bad[offset + i] = 0;
    CHECK_FALSE(ParseSegment(View(bad)).ok());
  }
}

TEST_CASE("segment: ops that do not match their header are corrupt") {
  Keys k = MakeKeys();
  Id16 device = Id16::Random();
  // Seqs 1, 2 sealed under a header that says the segment starts at seq 5.
  Segment s = SealSegment(Header(device, 1, 5), Ops(device, 1, 2), k.scope, k.device.sk);
  auto r = OpenSegment(s, k.scope);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::kCorrupt);
}

}  // namespace
}  // namespace shelter::core
