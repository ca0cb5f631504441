// Node: taking in segments from other devices (Ingest) and applying the stored log to the
// materializer: a full refold (Rebuild) or what is held past its tips (ApplyHeld).
#include "core/node/node.hpp"

#include <string>

namespace shelter::core {

Result<bool> Node::Ingest(ByteView wire) {
  if (!state_) return MakeError(ErrorCode::kUnauthenticated, "log in first");
  SHELTER_ASSIGN_OR_RETURN(Segment s, ParseSegment(wire));
  auto cert = certs_.find(s.header.device);
  if (cert == certs_.end()) {
    SHELTER_TRY(log_->RecordIncident("unknown-device", s.header.device, "segment refused"));
    return MakeError(ErrorCode::kNotFound,
                     "segment from a device this municipality never enrolled");
  }
  if (auto v = VerifySegment(s, cert->second.sign_pk); !v.ok()) {
    SHELTER_TRY(log_->RecordIncident("forged", s.header.device, "bad segment signature"));
    return v.error();
  }
  if (!Admissible(s.header)) {
    SHELTER_TRY(log_->RecordIncident("revoked-device", s.header.device,
                                     "segment written after the device was revoked"));
    return MakeError(ErrorCode::kPermissionDenied,
                     "segment written by a revoked device after its revocation");
  }
  Result<bool> stored = false;
  {
    Transaction tx(log_->db());
    SHELTER_TRY(tx.Begin());
    stored = log_->PutSegment(s);
    if (stored.ok()) SHELTER_TRY(tx.Commit());
  }
  if (!stored.ok()) {
    if (stored.error().code == ErrorCode::kConflict)
      SHELTER_TRY(log_->RecordIncident("equivocation", s.header.device,
                                       "two segments numbered " + std::to_string(s.header.number)));
    return stored.error();
  }
  if (!*stored) return false;
  clock_.Observe(s.header.max_hlc);
  // The usual case, the device's next segment: apply it from memory (verified above) instead of
  // reading it back; then any stored successors that were waiting for it.
  auto tip = applier().Tip(s.header.device);
  if (s.header.number == (tip ? tip->number + 1 : 1)) {
    auto key = scope_keys_.find({s.header.scope, s.header.epoch});
    if (key == scope_keys_.end()) return true;  // relayed, not readable here
    SHELTER_ASSIGN_OR_RETURN(auto ops, OpenSegment(s, key->second));
    SHELTER_ASSIGN_OR_RETURN(bool applied, applier().ApplySegment(s.header, s.hash, ops));
    if (!applied) return true;
  }
  SHELTER_TRY(ApplySuccessors(s.header.device));
  return true;
}

Result<bool> Node::ApplyStored(const Segment& s) {
  auto tip = applier().Tip(s.header.device);
  if (tip && tip->number >= s.header.number) return false;  // already applied
  if (!Admissible(s.header)) return false;  // kept (received before the revocation), not applied
  auto cert = certs_.find(s.header.device);
  if (cert == certs_.end()) return false;  // unknown device: kept, not applied
  SHELTER_TRY(VerifySegment(s, cert->second.sign_pk));
  auto key = scope_keys_.find({s.header.scope, s.header.epoch});
  if (key == scope_keys_.end()) return false;  // a scope this device relays but cannot read
  SHELTER_ASSIGN_OR_RETURN(auto ops, OpenSegment(s, key->second));
  return applier().ApplySegment(s.header, s.hash, ops);
}

Status Node::ApplyHeld() {
  if (!state_) return MakeError(ErrorCode::kUnauthenticated, "log in first");
  SHELTER_ASSIGN_OR_RETURN(auto last, log_->LastNumbers());
  for (const auto& [device, number] : last) {
    auto tip = applier().Tip(device);
    if (tip && tip->number >= number) continue;
    SHELTER_TRY(ApplySuccessors(device));
  }
  // Another process on this data directory may have committed unsealed ops, or sealed ours.
  SHELTER_ASSIGN_OR_RETURN(unsealed_, log_->UnsealedSummary());
  SHELTER_ASSIGN_OR_RETURN(own_tip_, log_->Tip(cert_.device));
  return ApplyUnsealedRows();
}

Status Node::ApplySuccessors(const Id16& device) {
  while (true) {
    auto tip = applier().Tip(device);
    uint64_t next = tip ? tip->number + 1 : 1;
    SHELTER_ASSIGN_OR_RETURN(auto seg, log_->GetSegment(device, next));
    if (!seg) return Ok();
    SHELTER_ASSIGN_OR_RETURN(bool applied, ApplyStored(*seg));
    if (!applied) return Ok();
  }
}

Status Node::Rebuild() {
  if (!session_ && master_key_.empty())
    return MakeError(ErrorCode::kUnauthenticated, "log in first");
  if (!state_) {
    SHELTER_ASSIGN_OR_RETURN(state_, State::Open(opts_.state_path));
  }
  if (opts_.state_path == ":memory:") SHELTER_TRY(state_->Clear());
  // Only segments past the applier's tips are opened again (an HQ store keeps its own tips).
  SHELTER_TRY(log_->ForEachSegment([&](const Segment& s) -> Status {
    clock_.Observe(s.header.max_hlc);
    auto r = ApplyStored(s);
    if (!r.ok()) return r.error();
    return Ok();
  }));
  return ApplyUnsealedRows();
}

}  // namespace shelter::core
