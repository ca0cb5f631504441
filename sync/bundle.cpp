#include "sync/bundle.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "core/base/private_file.hpp"

namespace shelter::sync {
namespace {

using core::ByteView;
using core::ErrorCode;
using core::MakeError;
using core::Result;
using core::Status;

constexpr size_t kReadChunk = 1u << 20;

std::string Plural(uint64_t n, const char* one) {
  return std::to_string(n) + " " + one + (n == 1 ? "" : "s");
}

// Writes the bundle through `sink` one message at a time, hashing as it goes.
Status WriteBundle(SyncPeer& store, const VersionVector& peer,
                   const std::function<Status(ByteView)>& sink) {
  SHELTER_TRY(store.SealUnsealed());
  SHELTER_ASSIGN_OR_RETURN(VersionVector mine, store.Vector());
  core::crypto::Sha256Stream hash;
  core::Bytes buf;
  auto put = [&](ByteView bytes) {
    hash.Update(bytes);
    return sink(bytes);
  };
  auto message = [&](MsgType type, ByteView body) {
    buf.clear();
    AppendMessage(buf, type, body);
    return put(core::View(buf));
  };
  SHELTER_TRY(put(core::View(kBundleMagic)));
  SHELTER_ASSIGN_OR_RETURN(auto trust, store.TrustItems());
  for (auto& t : trust) SHELTER_TRY(message(MsgType::kTrust, core::View(t)));
  auto wants = MissingFrom(mine, peer);
  for (const Want& w : wants) {
    SHELTER_ASSIGN_OR_RETURN(auto cert, store.SignedCert(w.device));
    if (cert) SHELTER_TRY(message(MsgType::kCert, core::View(*cert)));
  }
  uint64_t sent = 0;
  for (const Want& w : wants)
    for (uint64_t n = w.from_number; n <= w.to_number; ++n) {
      SHELTER_ASSIGN_OR_RETURN(auto seg, store.GetSegment(w.device, n));
      if (!seg) continue;
      SHELTER_TRY(message(MsgType::kSegment, core::View(seg->wire)));
      ++sent;
    }
  SHELTER_TRY(message(MsgType::kDone, core::View(EncodeDone(sent))));
  core::Hash32 sum = hash.Final();
  return sink(ByteView(sum.data(), sum.size()));
}

}  // namespace

// [SECTION] Writing

Result<core::Bytes> ExportBundle(SyncPeer& store, const VersionVector& peer) {
  core::Bytes out;
  SHELTER_TRY(WriteBundle(store, peer, [&](ByteView b) {
    core::Append(out, b);
    return core::Ok();
  }));
  return out;
}

Result<uint64_t> WriteBundleFile(SyncPeer& store, const std::string& path,
                                 const VersionVector& peer) {
  SHELTER_ASSIGN_OR_RETURN(core::PrivateFileWriter file, core::PrivateFileWriter::Create(path));
  SHELTER_TRY(WriteBundle(store, peer, [&](ByteView b) { return file.Write(b); }));
  SHELTER_TRY(file.Commit());
  return file.written();
}

// [SECTION] Reading

core::Error BundleReader::Damaged(const std::string& what) const {
  return MakeError(ErrorCode::kCorrupt, "the bundle is damaged after " +
                                            Plural(info_.segments, "segment") + ": " + what);
}

Status BundleReader::Feed(ByteView bytes) {
  info_.bytes += bytes.size();
  if (info_.version == 0) {
    size_t take = std::min(bytes.size(), kBundleMagic.size() - magic_.size());
    core::Append(magic_, bytes.substr(0, take));
    bytes = bytes.substr(take);
    if (magic_.size() < kBundleMagic.size()) return core::Ok();
    if (core::View(magic_) == core::View(kBundleMagic)) {
      info_.version = 2;
      trailer_ = kBundleChecksumBytes;
    } else if (core::View(magic_) == core::View(kBundleMagicV1)) {
      info_.version = 1;
    } else {
      return MakeError(ErrorCode::kParse, "not a shelterkit bundle");
    }
    hash_.Update(core::View(magic_));
  }
  // Hold the last `trailer_` bytes back: they are the checksum if the file ends here.
  if (bytes.size() >= trailer_) {
    core::Bytes older;
    older.swap(tail_);
    SHELTER_TRY(Consume(core::View(older)));
    SHELTER_TRY(Consume(bytes.substr(0, bytes.size() - trailer_)));
    tail_.assign(bytes.end() - static_cast<std::ptrdiff_t>(trailer_), bytes.end());
    return core::Ok();
  }
  core::Append(tail_, bytes);
  size_t excess = tail_.size() > trailer_ ? tail_.size() - trailer_ : 0;
  core::Bytes released(tail_.begin(), tail_.begin() + static_cast<std::ptrdiff_t>(excess));
  tail_.erase(tail_.begin(), tail_.begin() + static_cast<std::ptrdiff_t>(excess));
  return Consume(core::View(released));
}

Status BundleReader::Consume(ByteView body) {
  if (body.empty()) return core::Ok();
  if (done_) return Damaged("there are bytes after its end");
  hash_.Update(body);
  messages_.Feed(body);
  while (true) {
    auto next = messages_.Next();
    if (!next.ok()) return Damaged(next.error().detail);
    if (!*next) break;
    const Message& m = **next;
    ++info_.messages;
    ByteView b = core::View(m.body);
    switch (static_cast<MsgType>(m.type)) {
      case MsgType::kDone: {
        auto sent = DecodeDone(b);
        if (!sent.ok()) return Damaged(sent.error().detail);
        if (*sent != info_.segments) return Damaged("it says it holds " + Plural(*sent, "segment"));
        done_ = true;
        if (messages_.buffered() > 0) return Damaged("there are bytes after its end");
        return core::Ok();
      }
      case MsgType::kSegment:
        SHELTER_TRY(visit_(MsgType::kSegment, b));
        ++info_.segments;
        break;
      case MsgType::kCert:
      case MsgType::kTrust: SHELTER_TRY(visit_(static_cast<MsgType>(m.type), b)); break;
      default: break;  // unknown types are skipped
    }
  }
  return core::Ok();
}

Result<BundleInfo> BundleReader::Finish() {
  if (info_.version == 0) return MakeError(ErrorCode::kParse, "not a shelterkit bundle");
  if (!done_ && trailer_ > 0) {
    // No DONE before the held-back bytes: they are the end of a cut file, not a checksum. What
    // they complete is passed on like the rest (each item is verified on its own).
    core::Bytes rest;
    rest.swap(tail_);
    Status s = Consume(core::View(rest));
    if (done_)
      return MakeError(ErrorCode::kCorrupt, "the bundle is cut short in its checksum, after " +
                                                Plural(info_.segments, "segment"));
    if (!s.ok()) return s.error();
  }
  if (!done_)
    return MakeError(ErrorCode::kCorrupt,
                     "the bundle is cut short after " + Plural(info_.segments, "segment"));
  if (trailer_ > 0) {
    core::Hash32 sum = hash_.Final();
    if (tail_.size() != trailer_ || !std::equal(sum.begin(), sum.end(), tail_.begin()))
      return MakeError(ErrorCode::kCorrupt, "the bundle is damaged: its checksum does not match (" +
                                                Plural(info_.segments, "segment") + " read)");
  }
  return info_;
}

Result<BundleInfo> ReadBundle(ByteView bytes, const BundleVisitor& visit) {
  BundleReader reader(visit);
  for (size_t off = 0; off < bytes.size(); off += kReadChunk)
    SHELTER_TRY(reader.Feed(bytes.substr(off, kReadChunk)));
  return reader.Finish();
}

Result<BundleInfo> ReadBundle(const std::string& path, const BundleVisitor& visit) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return MakeError(ErrorCode::kNotFound, "cannot open " + path);
  BundleReader reader(visit);
  core::Bytes buf(kReadChunk);
  Status s = core::Ok();
  while (s.ok()) {
    ssize_t n = ::read(fd, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) s = MakeError(ErrorCode::kIo, "cannot read " + path + ": " + std::strerror(errno));
    if (n <= 0) break;
    s = reader.Feed(ByteView(buf.data(), static_cast<size_t>(n)));
  }
  ::close(fd);
  if (!s.ok()) return s.error();
  return reader.Finish();
}

// [SECTION] Importing

namespace {

// Applies each item as a sync session does; refusals are counted, only a failing log is fatal.
class Importer {
 public:
  explicit Importer(SyncPeer& store) : store_(store) {}
  Status operator()(MsgType type, ByteView body);
  Result<BundleImport> Finish(Result<BundleInfo> read);

 private:
  SyncPeer& store_;
  BundleImport r_;
  bool fatal_ = false;  // the error came from the log, not from the file
};

Status Importer::operator()(MsgType type, ByteView body) {
  switch (type) {
    case MsgType::kCert: {
      Status s = store_.AddDeviceCert(body);
      if (s.ok()) {
        ++r_.certs;
      } else {
        ++r_.rejected;
        r_.reports.push_back("certificate refused: " + s.error().detail);
      }
      break;
    }
    case MsgType::kSegment: {
      auto in = store_.Ingest(body);
      if (in.ok()) {
        ++(*in ? r_.segments_new : r_.segments_duplicate);
      } else if (in.error().code == ErrorCode::kIo || in.error().code == ErrorCode::kInternal) {
        fatal_ = true;
        return in.error();
      } else {
        ++r_.rejected;
        r_.reports.push_back(std::string("segment refused (") +
                             core::ErrorCodeName(in.error().code) + "): " + in.error().detail);
      }
      break;
    }
    case MsgType::kTrust: {
      auto t = store_.AddTrustItem(body);
      if (t.ok()) {
        r_.trust += *t ? 1 : 0;
      } else {
        ++r_.rejected;
        r_.reports.push_back("trust item refused: " + t.error().detail);
      }
      break;
    }
    default: break;
  }
  return core::Ok();
}

Result<BundleImport> Importer::Finish(Result<BundleInfo> read) {
  if (read.ok()) return r_;
  if (fatal_ || read.error().code != ErrorCode::kCorrupt) return read.error();
  // What came before the damage is signed item by item and already committed: say what stays.
  return MakeError(
      ErrorCode::kCorrupt,
      read.error().detail + "; kept from before it, each verified by its own signature: " +
          std::to_string(r_.segments_new) + " new and " + std::to_string(r_.segments_duplicate) +
          " already held (" + std::to_string(r_.rejected) + " refused)");
}

}  // namespace

Result<BundleImport> ImportBundle(SyncPeer& store, ByteView bytes) {
  Importer im(store);
  return im.Finish(ReadBundle(bytes, std::ref(im)));
}

Result<BundleImport> ImportBundleFile(SyncPeer& store, const std::string& path) {
  Importer im(store);
  return im.Finish(ReadBundle(path, std::ref(im)));
}

}  // namespace shelter::sync
