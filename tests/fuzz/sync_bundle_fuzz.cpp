// Fuzzes the bundle reader (sync/bundle.hpp): magic, message stream, DONE count, bytes after the
// end and the SHA-256 trailer, fed in pieces whose size byte 0 picks. With bit 7 of byte 0 set,
// the rest is wrapped as "SKB2" + rest + its checksum, so the fuzzer also gets past the checksum
// into the message stream. SEGMENT bodies go on to ParseSegment.
#include <cstddef>
#include <cstdint>

#include "core/base/crypto.hpp"
#include "core/log/segment.hpp"
#include "sync/bundle.hpp"

using namespace shelter;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  size_t step = 1 + (data[0] & 0x7f) % 97;
  core::ByteView in(data + 1, size - 1);
  core::Bytes wrapped;
  if (data[0] & 0x80) {
    wrapped.assign(sync::kBundleMagic.begin(), sync::kBundleMagic.end());
    core::Append(wrapped, in);
    core::Hash32 sum = core::crypto::Sha256(core::View(wrapped));
    wrapped.insert(wrapped.end(), sum.begin(), sum.end());
    in = core::View(wrapped);
  }
  uint64_t segments = 0;
  sync::BundleReader reader([&](sync::MsgType type, core::ByteView body) {
    if (type == sync::MsgType::kSegment) {
      ++segments;
      (void)core::ParseSegment(body);
    }
    return core::Ok();
  });
  bool failed = false;
  for (size_t off = 0; off < in.size() && !failed; off += step)
    failed = !reader.Feed(in.substr(off, step)).ok();
  bool accepted = false;
  if (!failed) {
    auto info = reader.Finish();
    accepted = info.ok();
    if (accepted && info->segments != segments) __builtin_trap();  // the count is the visits
  }
  // The same bytes in other pieces must get the same verdict.
  auto whole = sync::ReadBundle(in, [](sync::MsgType, core::ByteView) { return core::Ok(); });
  if (whole.ok() != accepted) __builtin_trap();
  return 0;
}
