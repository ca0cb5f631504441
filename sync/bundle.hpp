// Bundles: the certificates and segments of a device's log in one file, for a USB stick or any
// file channel (sync/PROTOCOL.md "Bundles"). Segments stay encrypted and signed; importing checks
// each one exactly as a sync session does. Written and read in pieces, so memory stays bounded
// by one segment whatever the file's size. One thread at a time; borrows the device's store.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/base/crypto.hpp"
#include "sync/frame.hpp"
#include "sync/sync_peer.hpp"
#include "sync/version_vector.hpp"

namespace shelter::sync {

constexpr std::string_view kBundleMagicV1 = "SKB1";  // no checksum; still read
constexpr std::string_view kBundleMagic = "SKB2";    // written: ends with a SHA-256 of the rest
constexpr size_t kBundleChecksumBytes = 32;

// [SECTION] Writing

// Everything `store` holds that a peer with vector `peer` lacks (everything by default), with the
// certificates of the devices involved, in memory.
core::Result<core::Bytes> ExportBundle(SyncPeer& store, const VersionVector& peer = {});
// The same as a file of mode 0600 at `path`, written segment by segment and renamed into place
// when complete (an existing file is replaced whole). Returns its size; kIo when it cannot be
// written (nothing is left at `path` then).
core::Result<uint64_t> WriteBundleFile(SyncPeer& store, const std::string& path,
                                       const VersionVector& peer = {});

// [SECTION] Reading (no store needed: also for shelter-hq's ingest)

// Called for each TRUST, CERT and SEGMENT message, in file order (other types are skipped).
// An error it returns stops the reading and is returned as it is.
using BundleVisitor = std::function<core::Status(MsgType type, core::ByteView body)>;

struct BundleInfo {
  int version = 0;        // 1 (SKB1, no checksum) or 2
  uint64_t segments = 0;  // SEGMENT messages passed to the visitor
  uint64_t messages = 0;  // every message, DONE included
  uint64_t bytes = 0;     // the file's size
};

// A push parser: Feed() the file in pieces of any size, then Finish(). The checksum covers the
// whole file but is known only at its end, so the visitor sees each message before the file is
// proven intact: it must check every item on its own (SyncPeer::Ingest verifies each segment's
// signature), or read the file twice. Damage (a bad length, a cut, bytes after DONE, a DONE count
// or checksum that does not match) is kCorrupt and its detail says how many segments were
// passed to the visitor before it was found; a file that is not a bundle is kParse.
class BundleReader {
 public:
  explicit BundleReader(BundleVisitor visit) : visit_(std::move(visit)) {}
  core::Status Feed(core::ByteView bytes);
  core::Result<BundleInfo> Finish();

 private:
  core::Status Consume(core::ByteView body);  // bytes covered by the checksum
  core::Error Damaged(const std::string& what) const;

  BundleVisitor visit_;
  core::Bytes magic_;   // the first bytes until the magic is complete
  size_t trailer_ = 0;  // checksum bytes at the end: 0 (version 1) or 32
  core::Bytes tail_;    // the last `trailer_` bytes seen: the checksum if the file ends here
  core::crypto::Sha256Stream hash_;
  MessageReader messages_;
  BundleInfo info_;
  bool done_ = false;
};

// Reads the bundle at `path` through a BundleReader in 1 MiB pieces. kNotFound when it cannot be
// opened, kIo when reading fails, otherwise as BundleReader.
core::Result<BundleInfo> ReadBundle(const std::string& path, const BundleVisitor& visit);
core::Result<BundleInfo> ReadBundle(core::ByteView bytes, const BundleVisitor& visit);

// [SECTION] Importing into a device's store

struct BundleImport {
  uint64_t certs = 0, trust = 0, segments_new = 0, segments_duplicate = 0, rejected = 0;
  std::vector<std::string> reports;  // what was refused and why; no personal data
};
// Refused items are counted and reported, not fatal. A damaged file is an error (kCorrupt; kParse
// when it is not a bundle) whose detail says how many segments came before the damage and how
// many of those were kept: each was verified on its own signature and committed on arrival.
// kIo when the log cannot be written.
core::Result<BundleImport> ImportBundle(SyncPeer& store, core::ByteView bytes);
core::Result<BundleImport> ImportBundleFile(SyncPeer& store, const std::string& path);

}  // namespace shelter::sync
