// Node::Commit: turns drafts into ops (dots, HLCs, superseded values), seals them into segments
// of a scope (or keeps them unsealed: node_seal.cpp), stores them durably in one transaction,
// then applies them.
#include "core/node/node.hpp"

#include <algorithm>
#include <set>

namespace shelter::core {

Result<std::vector<Dot>> Node::Commit(const Id16& scope, const std::vector<OpDraft>& drafts) {
  auto dots = CommitOnce(scope, drafts);
  if (dots.ok() || dots.error().code != ErrorCode::kConflict || !SealsOnDemand()) return dots;
  // Another process wrote this device's log (CommitUnsealed): take in what it wrote, then the
  // drafts get fresh seqs and see what it changed.
  SHELTER_TRY(ApplyHeld());
  return CommitOnce(scope, drafts);
}

Result<std::vector<Dot>> Node::CommitOnce(const Id16& scope, const std::vector<OpDraft>& drafts) {
  if (!session_) return MakeError(ErrorCode::kUnauthenticated, "log in first");
  if (drafts.empty()) return std::vector<Dot>{};
  uint32_t epoch = 0;
  const crypto::Secret* key = CurrentScopeKey(scope, &epoch);
  if (!key)
    return MakeError(ErrorCode::kPermissionDenied, "this device holds no key for that scope");

  // Ops another run left unsealed come first in the chain (a device switched to sealing at
  // commit, e.g. the command line on the app's data directory).
  if (!SealsOnDemand() && unsealed_.count > 0) SHELTER_TRY(SealUnsealed());

  SegmentTip tip = own_tip_.value_or(SegmentTip{});
  std::vector<Op> ops;
  ops.reserve(drafts.size());
  std::vector<Dot> dots;
  uint64_t seq = std::max(tip.last_seq, unsealed_.last_seq);
  for (const OpDraft& d : drafts) {
    Op op;
    op.dot = {cert_.device, ++seq};
    op.hlc = clock_.Now();
    op.staff = session_->staff_id;
    op.record = d.record;
    op.type = d.type;
    // Sorted by name through an index: sorting the FieldWrites themselves moved their strings
    // and values around, a visible cost when thousands of people are registered at once.
    std::vector<uint32_t> order(d.fields.size());
    for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(),
              [&](uint32_t a, uint32_t b) { return d.fields[a].field < d.fields[b].field; });
    op.fields.reserve(order.size());
    for (uint32_t i : order) op.fields.push_back(d.fields[i]);
    if (op.fields.empty()) return MakeError(ErrorCode::kInvalidArgument, "an op must set a field");
    for (size_t i = 1; i < op.fields.size(); ++i)
      if (op.fields[i].field == op.fields[i - 1].field)
        return MakeError(ErrorCode::kInvalidArgument, "a field is set twice in one op");
    SHELTER_ASSIGN_OR_RETURN(auto current, state_->Get(d.record));
    if (current) {
      std::set<Dot> seen;
      for (auto& w : op.fields) {
        if (d.seen) {
          auto it = d.seen->find(w.field);
          if (it != d.seen->end()) seen.insert(it->second.begin(), it->second.end());
          continue;
        }
        for (auto& dot : current->Seen(w.field)) seen.insert(dot);
      }
      op.supersedes.assign(seen.begin(), seen.end());
    }
    dots.push_back(op.dot);
    ops.push_back(std::move(op));
  }

  if (SealsOnDemand()) {
    SHELTER_TRY(CommitUnsealed(scope, epoch, *key, ops));
    return dots;
  }

  // The ops split into segments once, moved rather than copied: sealing and applying read the
  // same parts.
  std::vector<std::vector<Op>> parts;
  for (size_t start = 0; start < ops.size(); start += opts_.max_ops_per_segment) {
    size_t end = std::min(ops.size(), start + opts_.max_ops_per_segment);
    parts.emplace_back(std::make_move_iterator(ops.begin() + start),
                       std::make_move_iterator(ops.begin() + end));
  }
  std::vector<Segment> segs;
  for (const std::vector<Op>& part : parts) {
    SegmentHeader h;
    h.device = cert_.device;
    h.scope = scope;
    h.epoch = epoch;
    h.number = tip.number + 1;
    h.first_seq = part.front().dot.seq;
    h.prev_hash = tip.hash;
    Segment s = SealSegment(h, part, *key, sign_sk_);
    tip = {s.header.number, s.hash, s.last_seq(), s.header.max_hlc};
    segs.push_back(std::move(s));
  }
  {
    Transaction tx(log_->db());
    SHELTER_TRY(tx.Begin());
    for (auto& s : segs) SHELTER_TRY(log_->PutSegment(s));
    SHELTER_TRY(tx.Commit());  // durable from here: acknowledged
  }
  own_tip_ = tip;
  for (size_t i = 0; i < segs.size(); ++i) {
    const Segment& s = segs[i];
    auto applied = applier().ApplySegment(s.header, s.hash, parts[i]);
    if (!applied.ok() || !*applied) {
      // The log is the truth and it is saved; refold the view from it.
      SHELTER_TRY(Rebuild());
      break;
    }
  }
  return dots;
}

}  // namespace shelter::core
