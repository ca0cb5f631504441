#include "tools/hq/hq_node.hpp"

namespace shelter::hq {

std::string DefaultDbUrl(const std::string& dir) { return dir + "/hq.db"; }

Result<std::unique_ptr<HqNode>> HqNode::Open(const std::string& dir, const std::string& db_url,
                                             const std::string& handle, std::string_view pin,
                                             core::NodeOptions opts) {
  std::unique_ptr<HqNode> hq(new HqNode());
  SHELTER_ASSIGN_OR_RETURN(auto db, OpenSql(db_url.empty() ? DefaultDbUrl(dir) : db_url));
  SHELTER_ASSIGN_OR_RETURN(hq->store_, HqStore::Open(std::move(db), opts.now_ms));
  opts.materializer = hq->store_.get();
  SHELTER_ASSIGN_OR_RETURN(hq->node_, core::Node::Open(dir, opts));
  if (hq->node_->device().role != core::DeviceRole::kHq &&
      hq->node_->device().role != core::DeviceRole::kAdmin)
    return core::MakeError(core::ErrorCode::kPermissionDenied,
                           "this data directory is not an HQ (or admin) device");
  SHELTER_TRY(hq->node_->Login(handle, pin));  // folds what the store has not applied yet
  SHELTER_TRY(hq->store_->Flush());
  return hq;
}

Result<HqNode::FileResult> HqNode::IngestBytes(core::ByteView bytes) {
  FileResult r;
  size_t at = 0;
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
    auto one = node_->Ingest(core::ByteView(bytes.data() + at, len));
    if (on_ack_ && one.ok()) on_ack_(r.segments);
    if (!one.ok()) {
      if (one.error().code == core::ErrorCode::kIo) return one.error();
      ++r.refused;  // forged, unknown device, equivocation: recorded as an incident by the node
    } else if (*one) {
      ++r.fresh;
    }
    at += len;
  }
  SHELTER_TRY(store_->Flush());
  return r;
}

}  // namespace shelter::hq
