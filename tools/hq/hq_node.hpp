// An HQ device opened for ingest: the enrolled Node (log.db: verify, decrypt, store durably) with
// an HqStore as its materializer. IngestSegment() is the one call a sync server makes per received
// segment; it returns after the segment is durable in the log (acknowledge then) and applied to
// the HQ tables. One thread at a time.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "core/node.hpp"
#include "tools/hq/hq_store.hpp"

namespace shelter::hq {

class HqNode {
 public:
  // Opens the HQ device in `dir` with its store at `db_url` (default DIR/hq.db), logs in, and
  // applies any segment the log holds beyond the store's tips (after a crash or a new store).
  static Result<std::unique_ptr<HqNode>> Open(const std::string& dir, const std::string& db_url,
                                              const std::string& handle, std::string_view pin,
                                              core::NodeOptions opts = {});
  // True when new; false when already held. Errors as core::Node::Ingest. The HQ tables catch up
  // in groups (HqStore::Flush); call Flush() when a sync session ends or the link goes idle.
  Result<bool> IngestSegment(core::ByteView wire) { return node_->Ingest(wire); }
  Status Flush() { return store_->Flush(); }
  // Splits a file of concatenated segments and ingests each. Returns how many were new; stops at
  // the first malformed framing (kParse), counting what came before.
  struct FileResult {
    size_t segments = 0, fresh = 0, refused = 0;
  };
  Result<FileResult> IngestBytes(core::ByteView bytes);

  // Called after each segment of IngestBytes is durable in the log (with its 1-based index).
  void set_on_ack(std::function<void(size_t)> f) { on_ack_ = std::move(f); }
  core::Node& node() { return *node_; }
  HqStore& store() { return *store_; }

 private:
  std::unique_ptr<HqStore> store_;  // declared first: the node refers to it
  std::unique_ptr<core::Node> node_;
  std::function<void(size_t)> on_ack_;
};

std::string DefaultDbUrl(const std::string& dir);

}  // namespace shelter::hq
