// An HQ device opened for ingest: the enrolled Node (log.db: verify, decrypt, store) with an
// HqStore as its materializer, and the store behind HQ's sync sessions (a sync::SyncPeer whose
// group-commit hook is Flush()). A segment is acknowledged once Flush() (or SyncLog()) returned
// after it. One thread at a time.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "core/node/node.hpp"
#include "sync/hq/hq_store.hpp"
#include "sync/node_peer.hpp"

namespace shelter::hq {

class HqNode : public sync::NodePeer {
 public:
  // Opens the HQ device in `dir` with its store at `db_url` (default DIR/hq.db), logs in, and
  // applies any segment the log holds beyond the store's tips (after a crash or a new store).
  static Result<std::unique_ptr<HqNode>> Open(const std::string& dir, const std::string& db_url,
                                              const std::string& handle, std::string_view pin,
                                              core::NodeOptions opts = {});
  // The same over a connection already open.
  static Result<std::unique_ptr<HqNode>> Open(const std::string& dir, std::unique_ptr<SqlConn> db,
                                              const std::string& handle, std::string_view pin,
                                              core::NodeOptions opts = {});
  // Group commit. IngestSegment() verifies the segment, commits it to the log without waiting
  // for the disk (it survives kill -9 of this process, not yet a power cut) and applies it in
  // memory. True when new; false when already held. Errors as core::Node::Ingest.
  //
  // Acknowledged = durable: SyncLog() makes every segment ingested before it durable in the log
  // (one fsync for the whole group); Flush() does that and then writes the HQ tables. The sync
  // server calls Flush() through OnBatchEnd() before a session reports success (at its end, and
  // while a long session goes on). Nothing is lost by acknowledging late: a tablet never deletes
  // its segments, and the next session's version vector (read from the log) shows what HQ holds, so
  // a segment lost to a power cut before its Flush() is simply sent again. The HQ tables are
  // written only after the log is synced (also when a large group flushes itself), so they never
  // get ahead of it; after a crash the node re-applies from the log what the tables lack. Other
  // writes to this node's log (certificates, trust items from a session) are grouped and synced the
  // same way. Flush() also applies what another process stored in the log meanwhile
  // (core::Node::ApplyHeld), so a running server catches up after its next session.
  Result<bool> IngestSegment(core::ByteView wire);
  Status SyncLog();
  Status Flush();
  // Splits a file of concatenated segments and ingests each. Returns how many were new; stops at
  // the first malformed framing (kParse), counting what came before.
  struct FileResult {
    size_t segments = 0, fresh = 0, refused = 0;
  };
  Result<FileResult> IngestBytes(core::ByteView bytes);

  // Called for each segment of IngestBytes once it is durable in the log (its 1-based index);
  // IngestBytes syncs the log every kAckGroup segments and at the end.
  static constexpr size_t kAckGroup = 32;
  void set_on_ack(std::function<void(size_t)> f) { on_ack_ = std::move(f); }
  HqStore& store() { return *store_; }

  // The group-commit hook of the sync server (sync::ServeTcp): Flush() when a session ends; while
  // sessions go on, Flush() when segments arrived and the last flush is kIdleFlush ago (the
  // dashboard follows a long sync). An error means the store failed: its memory is ahead of the
  // database (the server stops; a restart rebuilds both from the log).
  core::Status OnBatchEnd(sync::BatchEnd at) override;
  static constexpr std::chrono::seconds kIdleFlush{2};
  // The last flush OnBatchEnd() did: whether it succeeded and how long it took.
  struct LastFlush {
    bool ok = true;
    double ms = 0;
  };
  const LastFlush& last_flush() const { return last_flush_; }

 private:
  using Clock = std::chrono::steady_clock;
  HqNode(std::unique_ptr<HqStore> store, std::unique_ptr<core::Node> node);
  core::Status TimedFlush();

  std::unique_ptr<HqStore> store_;  // declared first: the node refers to it
  std::unique_ptr<core::Node> node_;
  std::function<void(size_t)> on_ack_;
  int64_t flushed_segments_ = 0;  // the log's segment count at the last flush of OnBatchEnd()
  Clock::time_point flushed_at_;
  LastFlush last_flush_;
};

std::string DefaultDbUrl(const std::string& dir);

}  // namespace shelter::hq
