#include "sync/hq/hq_node.hpp"

#include <vector>

namespace shelter::hq {

std::string DefaultDbUrl(const std::string& dir) { return dir + "/hq.db"; }

Result<std::unique_ptr<HqNode>> HqNode::Open(const std::string& dir, const std::string& db_url,
                                             const std::string& handle, std::string_view pin,
                                             core::NodeOptions opts) {
  SHELTER_ASSIGN_OR_RETURN(auto db, OpenSql(db_url.empty() ? DefaultDbUrl(dir) : db_url));
  return Open(dir, std::move(db), handle, pin, std::move(opts));
}

Result<std::unique_ptr<HqNode>> HqNode::Open(const std::string& dir, std::unique_ptr<SqlConn> db,
                                             const std::string& handle, std::string_view pin,
                                             core::NodeOptions opts) {
  SHELTER_ASSIGN_OR_RETURN(auto store, HqStore::Open(std::move(db), opts.now_ms));
  opts.materializer = store.get();
  SHELTER_ASSIGN_OR_RETURN(auto node, core::Node::Open(dir, opts));
  std::unique_ptr<HqNode> hq(new HqNode(std::move(store), std::move(node)));
  // Group commit: log transactions commit without waiting for the disk; SyncLog() syncs them.
  // Checkpoints copy the WAL into the log file and sync it; every 64 MiB instead of SQLite's
  // 4 MiB keeps that off the ingest path for most groups.
  SHELTER_TRY(
      hq->node_->log().db().Exec("PRAGMA synchronous=NORMAL; PRAGMA wal_autocheckpoint=16384"));
  if (hq->node_->device().role != core::DeviceRole::kHq &&
      hq->node_->device().role != core::DeviceRole::kAdmin)
    return core::MakeError(core::ErrorCode::kPermissionDenied,
                           "this data directory is not an HQ (or admin) device");
  SHELTER_TRY(hq->node_->Login(handle, pin));  // folds what the store has not applied yet
  SHELTER_TRY(hq->Flush());
  if (auto n = hq->node_->log().SegmentCount(); n.ok()) hq->flushed_segments_ = *n;
  hq->flushed_at_ = Clock::now();
  return hq;
}

HqNode::HqNode(std::unique_ptr<HqStore> store, std::unique_ptr<core::Node> node)
    : sync::NodePeer(*node), store_(std::move(store)), node_(std::move(node)) {}

Result<bool> HqNode::IngestSegment(core::ByteView wire) {
  auto r = node_->Ingest(wire);
  if (r.ok() && store_->flush_due()) {
    // A large group: its rows are written on the store's writer thread while ingest goes on.
    SHELTER_TRY(SyncLog());
    SHELTER_TRY(store_->FlushAsync());
  }
  return r;
}

Status HqNode::SyncLog() {
  // A commit under synchronous=FULL fsyncs the WAL file, and with it every frame the deferred
  // commits wrote before it (frames already checkpointed were synced into the database file).
  core::Db& db = node_->log().db();
  SHELTER_TRY(db.Exec("PRAGMA synchronous=FULL"));
  Status s = [&]() -> Status {
    core::Transaction tx(db);
    SHELTER_TRY(tx.Begin());
    const uint8_t mark = 1;
    SHELTER_TRY(node_->log().PutMeta("hq_synced", core::ByteView(&mark, 1)));
    return tx.Commit();
  }();
  Status back = db.Exec("PRAGMA synchronous=NORMAL");
  return s.ok() ? back : s;
}

Status HqNode::Flush() {
  SHELTER_TRY(SyncLog());
  // Segments another process stored in this log (a bundle imported with shelterctl while HQ was
  // open or closed) are applied here too: the tables never stay behind what the log holds.
  SHELTER_TRY(node_->ApplyHeld());
  return store_->Flush();
}

Status HqNode::TimedFlush() {
  auto t0 = Clock::now();
  Status s = Flush();
  flushed_at_ = Clock::now();
  last_flush_ = {s.ok(), std::chrono::duration<double, std::milli>(flushed_at_ - t0).count()};
  if (!s.ok()) return s;
  if (auto n = node_->log().SegmentCount(); n.ok()) flushed_segments_ = *n;
  return core::Ok();
}

Status HqNode::OnBatchEnd(sync::BatchEnd at) {
  // The session's segments count as received from here on.
  if (at == sync::BatchEnd::kSession) return TimedFlush();
  if (Clock::now() - flushed_at_ < kIdleFlush) return core::Ok();
  flushed_at_ = Clock::now();
  auto n = node_->log().SegmentCount();
  if (n.ok() && *n != flushed_segments_) return TimedFlush();
  return core::Ok();
}

Result<HqNode::FileResult> HqNode::IngestBytes(core::ByteView bytes) {
  FileResult r;
  size_t at = 0;
  std::vector<size_t> unacked;  // ingested, not yet synced
  auto ack = [&]() -> Status {
    SHELTER_TRY(SyncLog());
    if (on_ack_)
      for (size_t i : unacked) on_ack_(i);
    unacked.clear();
    return core::Ok();
  };
  // A segment is its 125-byte header, a 4-byte ciphertext length, the ciphertext and a signature.
  constexpr size_t kFixed = core::kSegmentHeaderBytes + 4 + 64;
  while (at < bytes.size()) {
    if (bytes.size() - at < kFixed)
      return core::MakeError(core::ErrorCode::kParse, "truncated segment file");
    const uint8_t* p = bytes.data() + at + core::kSegmentHeaderBytes;
    uint64_t ct = (uint64_t(p[0]) << 24) | (uint64_t(p[1]) << 16) | (uint64_t(p[2]) << 8) | p[3];
    if (ct > core::kMaxSegmentBytes || ct + kFixed > bytes.size() - at)
      return core::MakeError(core::ErrorCode::kParse, "truncated segment file");
    size_t len = static_cast<size_t>(ct + kFixed);
    ++r.segments;
    auto one = IngestSegment(core::ByteView(bytes.data() + at, len));
    if (one.ok()) unacked.push_back(r.segments);
    if (unacked.size() >= kAckGroup) SHELTER_TRY(ack());
    if (!one.ok()) {
      if (one.error().code == core::ErrorCode::kIo) return one.error();
      ++r.refused;  // forged, unknown device, equivocation: recorded as an incident by the node
    } else if (*one) {
      ++r.fresh;
    }
    at += len;
  }
  SHELTER_TRY(Flush());
  if (on_ack_)
    for (size_t i : unacked) on_ack_(i);
  return r;
}

}  // namespace shelter::hq
