// Node's trust items: revocations and scope-key grants signed by the municipality root, the
// certificate trust list and status list, and revoking a device (with the scope-key rotation).
#include "core/node/node.hpp"

#include <algorithm>
#include <set>

#include "core/formats/issuer_list.hpp"

namespace shelter::core {
namespace {

// A signed trust or status list received as a trust item: kept when it supersedes the one held
// (ListSupersedes), ignored (false) when it does not.
Result<bool> AddSignedList(LogStore& log, ByteView signed_list, const crypto::PublicKey& root_pk,
                           const std::string& municipality_code) {
  SHELTER_ASSIGN_OR_RETURN(SignedListInfo info, VerifySignedList(signed_list, root_pk));
  if (info.municipality_code != municipality_code)
    return MakeError(ErrorCode::kCrypto, "signed list of another municipality");
  std::string_view key = info.status ? kMetaStatusList : kMetaTrustList;
  SHELTER_ASSIGN_OR_RETURN(auto held, log.GetMeta(key));
  if (held) {
    auto held_info = VerifySignedList(View(*held), root_pk);
    if (held_info.ok() && held_info->status == info.status &&
        !ListSupersedes(info, signed_list, *held_info, View(*held)))
      return false;
  }
  SHELTER_TRY(log.PutMeta(key, signed_list));
  return true;
}

}  // namespace

Result<std::vector<Bytes>> Node::TrustItems() {
  SHELTER_ASSIGN_OR_RETURN(auto all, log_->MetaWithPrefix(kTrustMetaPrefix));
  std::vector<Bytes> out;
  for (auto& [key, item] : all) out.push_back(std::move(item));
  // Then the certificate trust list and status list, when this device holds them.
  for (std::string_view key : {kMetaTrustList, kMetaStatusList}) {
    SHELTER_ASSIGN_OR_RETURN(auto list, log_->GetMeta(key));
    if (list) out.push_back(std::move(*list));
  }
  return out;
}

Result<bool> Node::AddTrustItem(ByteView signed_item) {
  if (IsSignedListEnvelope(signed_item))
    return AddSignedList(*log_, signed_item, root_pk_, cert_.municipality_code);
  SHELTER_ASSIGN_OR_RETURN(TrustItem t, VerifyTrustItem(signed_item, root_pk_));
  if (t.municipality_code != cert_.municipality_code)
    return MakeError(ErrorCode::kCrypto, "trust item of another municipality");
  std::string key = TrustItemKey(t);
  SHELTER_ASSIGN_OR_RETURN(auto have, log_->GetMeta(key));
  if (have) return false;
  bool mine = t.kind == TrustKind::kScopeKeyGrant && t.device == cert_.device;
  std::optional<crypto::Secret> opened;
  if (mine && !box_.sk.empty()) {
    auto k = crypto::OpenSealed(box_, View(t.sealed));
    if (!k.ok())
      return MakeError(ErrorCode::kCrypto, "scope-key grant does not open with this device's key");
    opened = std::move(k).value();
  }
  {
    Transaction tx(log_->db());
    SHELTER_TRY(tx.Begin());
    SHELTER_TRY(log_->PutMeta(key, signed_item));
    if (mine) SHELTER_TRY(log_->PutScopeKey(t.scope, t.epoch, View(t.sealed)));
    SHELTER_TRY(tx.Commit());
  }
  if (t.kind == TrustKind::kRevocation) NoteRevoked(t.device, t.at);
  if (opened) {
    scope_keys_[{t.scope, t.epoch}] = std::move(*opened);
    if (state_) SHELTER_TRY(Rebuild());  // segments stored unread may be readable now
  }
  return true;
}

Result<uint32_t> Node::RevokeDevice(const Id16& device) {
  SHELTER_TRY(Require({StaffRole::kAdmin}));
  if (root_sk_.empty())
    return MakeError(ErrorCode::kPermissionDenied,
                     "only the municipality's admin device can revoke");
  auto it = certs_.find(device);
  if (it == certs_.end()) return MakeError(ErrorCode::kNotFound, "no enrolled device with that id");
  if (device == cert_.device)
    return MakeError(ErrorCode::kInvalidArgument, "cannot revoke this device");
  const DeviceCert victim = it->second;
  std::set<Id16> scopes;
  if (!victim.shelter_scope.IsZero()) {
    scopes.insert(victim.shelter_scope);
  } else {
    for (auto& [k, v] : scope_keys_) scopes.insert(k.first);
  }
  int64_t now_s = opts_.now_ms() / 1000;
  TrustItem rev{TrustKind::kRevocation, cert_.municipality_code, device, now_s, {}, 0, {}};
  std::vector<std::pair<TrustItem, crypto::Secret>> new_keys;
  uint32_t newest = 0;
  Transaction tx(log_->db());
  SHELTER_TRY(tx.Begin());
  SHELTER_TRY(log_->PutMeta(TrustItemKey(rev), View(SignTrustItem(rev, root_sk_))));
  for (const Id16& scope : scopes) {
    uint32_t epoch = 0;
    CurrentScopeKey(scope, &epoch);
    ++epoch;
    newest = std::max(newest, epoch);
    crypto::Secret key = crypto::RandomSecret(32);
    SHELTER_TRY(log_->PutScopeKey(scope, epoch, View(crypto::SealTo(box_.pk, key.view()))));
    for (auto& [id, c] : certs_) {
      if (id == device || id == cert_.device || revoked_.count(id)) continue;
      bool member =
          c.shelter_scope == scope || c.role == DeviceRole::kHq || c.role == DeviceRole::kAdmin;
      if (!member) continue;
      TrustItem g{
          TrustKind::kScopeKeyGrant,           cert_.municipality_code, id, now_s, scope, epoch,
          crypto::SealTo(c.box_pk, key.view())};
      SHELTER_TRY(log_->PutMeta(TrustItemKey(g), View(SignTrustItem(g, root_sk_))));
    }
    new_keys.push_back({TrustItem{TrustKind::kScopeKeyGrant, "", {}, 0, scope, epoch, {}}, key});
  }
  SHELTER_TRY(tx.Commit());
  NoteRevoked(device, now_s);
  for (auto& [t, key] : new_keys) scope_keys_[{t.scope, t.epoch}] = key;
  return newest;
}

void Node::NoteRevoked(const Id16& device, int64_t at_s) {
  auto [it, fresh] = revoked_.try_emplace(device, at_s * 1000);
  if (!fresh) it->second = std::min(it->second, at_s * 1000);
}

bool Node::Admissible(const SegmentHeader& h) const {
  auto it = revoked_.find(h.device);
  return it == revoked_.end() || HlcMillis(h.max_hlc) <= it->second + kRevocationSkewMs;
}

}  // namespace shelter::core
