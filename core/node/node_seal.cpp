// Node: sealing on demand (NodeOptions::seal_on_demand). Commit() stores each op encrypted with
// its scope key in log.db's `unsealed` table and applies it; SealUnsealed() turns every unsealed
// op into segments when a peer or a bundle asks, so many edits share one segment wrapper and one
// signature (core/FORMATS.md "Unsealed ops").
#include <algorithm>

#include "core/log/unsealed_op.hpp"
#include "core/node/node.hpp"

namespace shelter::core {

bool Node::SealsOnDemand() const {
  // The unsealed ops live in the tablet's in-memory state only; an HQ store or a state file keeps
  // tips of its own that would not know them.
  return opts_.seal_on_demand && !opts_.materializer && opts_.state_path == ":memory:";
}

Status Node::CommitUnsealed(const Id16& scope, uint32_t epoch, const crypto::Secret& key,
                            const std::vector<Op>& ops) {
  UnsealedPlace at{cert_.device, scope, epoch};
  {
    Transaction tx(log_->db());
    SHELTER_TRY(tx.Begin());
    // Another process on this directory (the command line beside the app) may have written
    // segments of this device since: its seqs must not be used twice.
    SHELTER_ASSIGN_OR_RETURN(auto stored_tip, log_->Tip(cert_.device));
    if (stored_tip && stored_tip->last_seq >= ops.front().dot.seq) {
      own_tip_ = stored_tip;
      SHELTER_ASSIGN_OR_RETURN(unsealed_, log_->UnsealedSummary());
      return MakeError(ErrorCode::kConflict,
                       "this device's log changed in another process: apply it and retry");
    }
    for (const Op& op : ops)
      SHELTER_TRY(
          log_->PutUnsealed({op.dot.seq, scope, epoch, op.hlc, SealUnsealedOp(at, op, key)}));
    SHELTER_TRY(tx.Commit());  // durable from here: acknowledged
  }
  unsealed_.count += ops.size();
  unsealed_.last_seq = ops.back().dot.seq;
  for (const Op& op : ops) unsealed_.max_hlc = std::max(unsealed_.max_hlc, op.hlc);
  auto applied = state_->ApplyUnsealed(cert_.device, scope, ops);
  if (!applied.ok() || !*applied) return Rebuild();  // the log is the truth and it is saved
  return Ok();
}

namespace {

struct OpenedRow {
  Id16 scope;
  Op op;
};

}  // namespace

Status Node::SealUnsealed() {
  if (unsealed_.count == 0) return Ok();
  if (master_key_.empty()) return MakeError(ErrorCode::kUnauthenticated, "log in first");
  std::vector<Segment> segs;
  std::vector<std::vector<Op>> seg_ops;
  SegmentTip tip;
  {
    Transaction tx(log_->db());
    SHELTER_TRY(tx.Begin());
    // Read inside the transaction: another process on this directory may have sealed them.
    SHELTER_ASSIGN_OR_RETURN(auto stored_tip, log_->Tip(cert_.device));
    tip = stored_tip.value_or(SegmentTip{});
    SHELTER_ASSIGN_OR_RETURN(auto rows, log_->Unsealed());
    std::vector<OpenedRow> opened;
    opened.reserve(rows.size());
    for (auto& row : rows) {
      auto key = scope_keys_.find({row.scope, row.epoch});
      if (key == scope_keys_.end())
        return MakeError(ErrorCode::kCorrupt, "an unsealed op's scope key is missing");
      SHELTER_ASSIGN_OR_RETURN(Op op, OpenUnsealedOp({cert_.device, row.scope, row.epoch}, row.seq,
                                                     View(row.box), key->second));
      opened.push_back({row.scope, std::move(op)});
    }
    size_t start = 0;
    while (start < opened.size()) {
      // One segment per run of one scope, at most max_ops_per_segment ops.
      size_t end = start + 1;
      while (end < opened.size() && end - start < opts_.max_ops_per_segment &&
             opened[end].scope == opened[start].scope)
        ++end;
      if (opened[start].op.dot.seq != tip.last_seq + 1)
        return MakeError(ErrorCode::kCorrupt, "unsealed ops do not follow the last segment");
      // Sealed with the newest epoch held now: a device revoked since the commit cannot read it.
      uint32_t epoch = 0;
      const crypto::Secret* key = CurrentScopeKey(opened[start].scope, &epoch);
      if (!key) return MakeError(ErrorCode::kCorrupt, "an unsealed op's scope key is missing");
      std::vector<Op> part;
      part.reserve(end - start);
      for (size_t i = start; i < end; ++i) part.push_back(std::move(opened[i].op));
      SegmentHeader h;
      h.device = cert_.device;
      h.scope = opened[start].scope;
      h.epoch = epoch;
      h.number = tip.number + 1;
      h.first_seq = part.front().dot.seq;
      h.prev_hash = tip.hash;
      Segment s = SealSegment(h, part, *key, sign_sk_);
      SHELTER_ASSIGN_OR_RETURN(bool fresh, log_->PutSegment(s));
      if (!fresh) return MakeError(ErrorCode::kInternal, "sealed segment already stored");
      tip = {s.header.number, s.hash, s.last_seq(), s.header.max_hlc};
      segs.push_back(std::move(s));
      seg_ops.push_back(std::move(part));
      start = end;
    }
    SHELTER_TRY(log_->DeleteUnsealedThrough(tip.last_seq));
    SHELTER_TRY(tx.Commit());  // sealed: from here the segments may be sent
  }
  own_tip_ = tip;
  unsealed_ = {};
  for (size_t i = 0; i < segs.size(); ++i) {
    auto applied = applier().ApplySegment(segs[i].header, segs[i].hash, seg_ops[i]);
    if (!applied.ok() || !*applied) return Rebuild();
  }
  return Ok();
}

Status Node::ApplyUnsealedRows() {
  if (opts_.materializer || !state_ || unsealed_.count == 0) return Ok();
  SHELTER_ASSIGN_OR_RETURN(auto rows, log_->Unsealed());
  auto tip = state_->Tip(cert_.device);
  uint64_t applied_seq = tip ? tip->seq : 0;
  std::vector<Op> run;
  Id16 run_scope;
  auto flush = [&]() -> Status {
    if (run.empty()) return Ok();
    SHELTER_ASSIGN_OR_RETURN(bool ok, state_->ApplyUnsealed(cert_.device, run_scope, run));
    if (!ok) return MakeError(ErrorCode::kCorrupt, "unsealed ops do not follow the applied log");
    run.clear();
    return Ok();
  };
  for (auto& row : rows) {
    clock_.Observe(row.hlc);
    if (row.seq <= applied_seq) continue;
    auto key = scope_keys_.find({row.scope, row.epoch});
    if (key == scope_keys_.end())
      return MakeError(ErrorCode::kCorrupt, "an unsealed op's scope key is missing");
    SHELTER_ASSIGN_OR_RETURN(Op op, OpenUnsealedOp({cert_.device, row.scope, row.epoch}, row.seq,
                                                   View(row.box), key->second));
    if (!run.empty() && row.scope != run_scope) SHELTER_TRY(flush());
    run_scope = row.scope;
    run.push_back(std::move(op));
  }
  return flush();
}

}  // namespace shelter::core
