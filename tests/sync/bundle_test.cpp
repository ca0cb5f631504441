// Bundles as files: streamed in pieces, closed by a whole-file checksum (a flipped byte, a cut or
// bytes after the end are errors that say how many segments came before them), the older SKB1
// form still read, and written readable by their owner only.
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <string>

#include "core/model/entities.hpp"
#include "sync/bundle.hpp"
#include "sync/node_peer.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_shelter.hpp"

using namespace shelter;
using namespace shelter::core;
using shelter::test::TestShelter;

namespace {

// Three commits on tablet 0: three segments of its own.
void WriteThree(Node& n, const Id16& scope) {
  for (int i = 0; i < 3; ++i) {
    auto r = n.Commit(scope, {{Id16::Random(),
                               RecordType::kPerson,
                               {{field::kName, cbor::Item("p" + std::to_string(i))}}}});
    REQUIRE_MESSAGE(r.ok(), r.error().ToString());
  }
}

// Where each of `n`'s segments starts in `bundle`, in bundle order.
std::vector<size_t> SegmentOffsets(Node& n, const Bytes& bundle) {
  std::vector<size_t> at;
  for (const Bytes& wire : shelter::test::LogSegments(n)) {
    auto it = std::search(bundle.begin(), bundle.end(), wire.begin(), wire.end());
    REQUIRE(it != bundle.end());
    at.push_back(static_cast<size_t>(it - bundle.begin()));
  }
  std::sort(at.begin(), at.end());
  return at;
}

uint64_t Held(Node& n) { return shelter::test::LogSegments(n).size(); }

}  // namespace

TEST_CASE("bundle: a tampered bundle is refused, saying how many segments came before") {
  TestShelter sh(2);
  sync::NodePeer p0(sh.tablet(0)), p1(sh.tablet(1));
  WriteThree(sh.tablet(0), sh.shelter_id());
  auto bundle = sync::ExportBundle(p0);
  REQUIRE(bundle.ok());
  CHECK(View(*bundle).substr(0, 4) == View(sync::kBundleMagic));
  uint64_t before = Held(sh.tablet(1));

  Bytes bad = *bundle;
  bad[bad.size() - 80] ^= 0x55;  // inside the last segment's signature or ciphertext
  auto in = sync::ImportBundle(p1, View(bad));
  REQUIRE_FALSE(in.ok());
  CHECK(in.error().code == ErrorCode::kCorrupt);
  CHECK_MESSAGE(in.error().detail.find("checksum does not match") != std::string::npos,
                in.error().detail);
  CHECK_MESSAGE(in.error().detail.find("segments read") != std::string::npos, in.error().detail);
  CHECK_MESSAGE(in.error().detail.find("verified by its own signature") != std::string::npos,
                in.error().detail);
  // The segments before the damage verified one by one and are kept; the flipped one is not.
  CHECK(Held(sh.tablet(1)) > before);
  CHECK(Held(sh.tablet(1)) < before + Held(sh.tablet(0)));

  // A flipped checksum byte alone is damage too.
  Bytes sum = *bundle;
  sum.back() ^= 1;
  auto s = sync::ReadBundle(View(sum), [](sync::MsgType, ByteView) { return core::Ok(); });
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().code == ErrorCode::kCorrupt);
}

TEST_CASE("bundle: a truncated bundle says after how many segments it was cut") {
  TestShelter sh(2);
  sync::NodePeer p0(sh.tablet(0)), p1(sh.tablet(1));
  WriteThree(sh.tablet(0), sh.shelter_id());
  auto bundle = sync::ExportBundle(p0);
  REQUIRE(bundle.ok());
  auto at = SegmentOffsets(sh.tablet(0), *bundle);
  REQUIRE(at.size() >= 3);
  for (size_t k = 0; k < at.size(); ++k) {
    CAPTURE(k);
    Bytes cut(bundle->begin(), bundle->begin() + static_cast<std::ptrdiff_t>(at[k] + 100));
    uint64_t visited = 0;
    auto r = sync::ReadBundle(View(cut), [&](sync::MsgType t, ByteView) {
      visited += t == sync::MsgType::kSegment;
      return core::Ok();
    });
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::kCorrupt);
    CHECK_MESSAGE(r.error().detail == "the bundle is cut short after " + std::to_string(k) +
                                          (k == 1 ? " segment" : " segments"),
                  r.error().detail);
    CHECK(visited == k);
  }
  // Cut inside the checksum: the whole log came, but the file is not proven intact.
  Bytes short_sum(bundle->begin(), bundle->end() - 5);
  auto in = sync::ImportBundle(p1, View(short_sum));
  REQUIRE_FALSE(in.ok());
  CHECK_MESSAGE(in.error().detail.find("cut short in its checksum") != std::string::npos,
                in.error().detail);
}

TEST_CASE("bundle: bytes after the end are an error, in both versions") {
  TestShelter sh(2);
  sync::NodePeer p0(sh.tablet(0));
  WriteThree(sh.tablet(0), sh.shelter_id());
  auto bundle = sync::ExportBundle(p0);
  REQUIRE(bundle.ok());
  auto none = [](sync::MsgType, ByteView) { return core::Ok(); };
  for (size_t extra : {1u, 5u, 31u, 32u, 100u}) {
    CAPTURE(extra);
    Bytes longer = *bundle;
    longer.insert(longer.end(), extra, 0);
    auto r = sync::ReadBundle(View(longer), none);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::kCorrupt);
  }
  // The version 1 form: the old magic, no checksum.
  Bytes v1(bundle->begin(), bundle->end() - sync::kBundleChecksumBytes);
  std::copy(sync::kBundleMagicV1.begin(), sync::kBundleMagicV1.end(), v1.begin());
  auto ok = sync::ReadBundle(View(v1), none);
  REQUIRE_MESSAGE(ok.ok(), ok.error().ToString());
  CHECK(ok->version == 1);
  v1.push_back(0);
  auto trailing = sync::ReadBundle(View(v1), none);
  REQUIRE_FALSE(trailing.ok());
  CHECK_MESSAGE(trailing.error().detail.find("bytes after its end") != std::string::npos,
                trailing.error().detail);
}

TEST_CASE("bundle: an SKB1 bundle without a checksum still imports") {
  TestShelter sh(2);
  sync::NodePeer p0(sh.tablet(0)), p1(sh.tablet(1));
  WriteThree(sh.tablet(0), sh.shelter_id());
  auto bundle = sync::ExportBundle(p0);
  REQUIRE(bundle.ok());
  Bytes v1(bundle->begin(), bundle->end() - sync::kBundleChecksumBytes);
  std::copy(sync::kBundleMagicV1.begin(), sync::kBundleMagicV1.end(), v1.begin());
  auto in = sync::ImportBundle(p1, View(v1));
  REQUIRE_MESSAGE(in.ok(), in.error().ToString());
  CHECK(in->segments_new >= 3);
  CHECK(in->rejected == 0);
}

TEST_CASE("bundle: read in pieces of any size, the reader sees the same messages") {
  TestShelter sh(1);
  sync::NodePeer p0(sh.tablet(0));
  WriteThree(sh.tablet(0), sh.shelter_id());
  auto bundle = sync::ExportBundle(p0);
  REQUIRE(bundle.ok());
  std::vector<Bytes> whole;
  auto info = sync::ReadBundle(View(*bundle), [&](sync::MsgType, ByteView b) {
    whole.emplace_back(b.begin(), b.end());
    return core::Ok();
  });
  REQUIRE_MESSAGE(info.ok(), info.error().ToString());
  CHECK(info->version == 2);
  CHECK(info->bytes == bundle->size());
  for (size_t step : {1u, 7u, 31u, 33u, 4096u}) {
    CAPTURE(step);
    std::vector<Bytes> pieces;
    sync::BundleReader reader([&](sync::MsgType, ByteView b) {
      pieces.emplace_back(b.begin(), b.end());
      return core::Ok();
    });
    for (size_t off = 0; off < bundle->size(); off += step)
      REQUIRE(reader.Feed(View(*bundle).substr(off, step)).ok());
    auto r = reader.Finish();
    REQUIRE_MESSAGE(r.ok(), r.error().ToString());
    CHECK(r->segments == info->segments);
    CHECK(pieces == whole);
  }
  // A visitor's error stops the reading and comes back unchanged.
  auto stop = sync::ReadBundle(View(*bundle), [](sync::MsgType, ByteView) {
    return core::Status(MakeError(ErrorCode::kIo, "visitor says stop"));
  });
  REQUIRE_FALSE(stop.ok());
  CHECK(stop.error().detail == "visitor says stop");
}

TEST_CASE("bundle: the file is written 0600 and imported from disk, under umask 022") {
  TestShelter sh(2);
  sync::NodePeer p0(sh.tablet(0)), p1(sh.tablet(1));
  WriteThree(sh.tablet(0), sh.shelter_id());
  mode_t old = ::umask(022);
  std::string path = sh.root() + "/usb.skb";
  {
    std::ofstream existing(path);  // an older file readable by everyone is replaced
    existing << "old";
  }
  ::chmod(path.c_str(), 0644);
  auto wrote = sync::WriteBundleFile(p0, path);
  ::umask(old);
  REQUIRE_MESSAGE(wrote.ok(), wrote.error().ToString());
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK(static_cast<uint64_t>(st.st_size) == *wrote);
  auto in = sync::ImportBundleFile(p1, path);
  REQUIRE_MESSAGE(in.ok(), in.error().ToString());
  CHECK(in->segments_new >= 3);
  auto missing = sync::ImportBundleFile(p1, sh.root() + "/nope.skb");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == ErrorCode::kNotFound);
}
