// Node's keys: enrolling devices (their keys and certificates), the device's own signing and
// key-agreement keys, secrets wrapped under its master key, and the scope keys it holds or hands
// to HQ.
//
// [SECTION] index
//   Devices       EnrollDevice, AddDeviceCert, FindCert
//   Device keys   SignAsDevice, StaticDh, PutWrappedSecret, GetWrappedSecret
//   Scope keys    LoadScopeKeys, CurrentScopeKey, HasScopeKey, EnsureScopeKey,
//                 CreateShelterScope, GrantScopeKeys
#include "core/node/node.hpp"

#include <filesystem>
#include <set>
#include <system_error>

#include <sodium.h>

#include "core/base/private_file.hpp"
#include "core/node/node_internal.hpp"

namespace shelter::core {

using node_internal::kCertValidityS;
using node_internal::kMetaDeviceCert;
using node_internal::kMetaDeviceSecrets;
using node_internal::kMetaRootPk;
using node_internal::ValidateHandle;

namespace fs = std::filesystem;

// [SECTION] Devices -------------------------------------------------------------------------------

Result<Id16> Node::EnrollDevice(const std::string& target_dir, const Id16& shelter_scope,
                                DeviceRole role, const std::string& label,
                                const std::string& lead_handle, std::string_view lead_pin) {
  SHELTER_TRY(Require({StaffRole::kAdmin}));
  if (root_sk_.empty())
    return MakeError(ErrorCode::kPermissionDenied,
                     "only the municipality's admin device can enrol");
  SHELTER_TRY(ValidateHandle(lead_handle));
  SHELTER_TRY(ValidatePin(lead_pin));
  std::error_code ec;
  if (fs::equivalent(target_dir, dir_, ec))
    return MakeError(ErrorCode::kInvalidArgument, "enrol a new device into another directory");
  SHELTER_TRY(MakePrivateDir(target_dir));
  SHELTER_ASSIGN_OR_RETURN(auto target,
                           LogStore::Open(target_dir + "/" + LogStore::kFileName, opts_.vfs));
  SHELTER_ASSIGN_OR_RETURN(auto existing, target->GetMeta(kMetaDeviceCert));
  if (existing)
    return MakeError(ErrorCode::kAlreadyExists, "that directory already holds a device");

  crypto::SignKeyPair sign = crypto::GenerateSignKeyPair();
  crypto::BoxKeyPair box = crypto::GenerateBoxKeyPair();
  crypto::Secret master = crypto::RandomSecret(32);
  int64_t now_s = opts_.now_ms() / 1000;
  DeviceCert cert{Id16::Random(),
                  sign.pk,
                  box.pk,
                  shelter_scope,
                  role,
                  now_s,
                  now_s + kCertValidityS,
                  1,
                  cert_.municipality_code,
                  label};
  Bytes signed_cert = SignDeviceCert(cert, root_sk_);
  Bytes secrets(sign.sk.data(), sign.sk.data() + 64);
  secrets.insert(secrets.end(), box.sk.data(), box.sk.data() + 32);

  // Our side first: the shelter key (created on first use) and the new device's certificate.
  {
    Transaction tx(log_->db());
    SHELTER_TRY(tx.Begin());
    if (!shelter_scope.IsZero()) SHELTER_TRY(EnsureScopeKey(shelter_scope));
    SHELTER_TRY(log_->PutDeviceCert(cert.device, View(signed_cert)));
    SHELTER_TRY(tx.Commit());
  }
  certs_[cert.device] = cert;

  Transaction tx(target->db());
  SHELTER_TRY(tx.Begin());
  SHELTER_TRY(target->PutMeta(kMetaRootPk, ByteView(root_pk_.data(), root_pk_.size())));
  SHELTER_TRY(
      target->PutMeta(kMetaDeviceSecrets,
                      View(crypto::WrapSecret(master, ByteView(secrets.data(), secrets.size())))));
  sodium_memzero(secrets.data(), secrets.size());
  SHELTER_TRY(target->PutMeta(kMetaDeviceCert, View(signed_cert)));
  SHELTER_ASSIGN_OR_RETURN(auto certs, log_->DeviceCerts());
  for (auto& c : certs)
    if (auto dc = VerifyDeviceCert(View(c), root_pk_); dc.ok())
      SHELTER_TRY(target->PutDeviceCert(dc->device, View(c)));
  SHELTER_ASSIGN_OR_RETURN(auto trust, log_->MetaWithPrefix(kTrustMetaPrefix));
  for (auto& [key, item] : trust) SHELTER_TRY(target->PutMeta(key, View(item)));
  std::set<Id16> scopes = {municipality_scope()};
  if (!shelter_scope.IsZero()) scopes.insert(shelter_scope);
  if (role == DeviceRole::kHq)  // HQ reads every scope
    for (auto& [k, v] : scope_keys_) scopes.insert(k.first);
  for (auto& [k, v] : scope_keys_)
    if (scopes.count(k.first))
      SHELTER_TRY(target->PutScopeKey(k.first, k.second, View(crypto::SealTo(box.pk, v.view()))));
  // Hand over what the device can read now: municipality master data and its shelter's log.
  SHELTER_TRY(log_->ForEachSegment([&](const Segment& s) -> Status {
    if (!scopes.count(s.header.scope)) return Ok();
    auto r = target->PutSegment(s);
    if (!r.ok()) return r.error();
    return Ok();
  }));
  SHELTER_TRY(CreateStaff(*target, lead_handle, StaffRole::kLead, lead_pin, master));
  SHELTER_TRY(tx.Commit());
  return cert.device;
}

Status Node::AddDeviceCert(ByteView signed_cert) {
  SHELTER_ASSIGN_OR_RETURN(DeviceCert c, VerifyDeviceCert(signed_cert, root_pk_));
  if (c.municipality_code != cert_.municipality_code)
    return MakeError(ErrorCode::kCrypto, "certificate of another municipality");
  SHELTER_TRY(log_->PutDeviceCert(c.device, signed_cert));
  certs_[c.device] = c;
  return Ok();
}

const DeviceCert* Node::FindCert(const Id16& device) const {
  auto it = certs_.find(device);
  return it == certs_.end() ? nullptr : &it->second;
}

// [SECTION] Device keys ---------------------------------------------------------------------------

Result<crypto::Signature> Node::SignAsDevice(ByteView message) const {
  if (!session_) return MakeError(ErrorCode::kUnauthenticated, "log in first");
  return crypto::Sign(sign_sk_, message);
}

Result<std::array<uint8_t, 32>> Node::StaticDh(const crypto::PublicKey& peer_pub) const {
  if (box_.sk.size() != crypto_scalarmult_SCALARBYTES)
    return MakeError(ErrorCode::kUnauthenticated, "log in first");
  std::array<uint8_t, 32> out;
  if (crypto_scalarmult(out.data(), box_.sk.data(), peer_pub.data()) != 0)
    return MakeError(ErrorCode::kCrypto, "key agreement with a low-order public key");
  return out;
}

Status Node::PutWrappedSecret(const std::string& name, const crypto::Secret& secret) {
  if (!session_) return MakeError(ErrorCode::kUnauthenticated, "log in first");
  return log_->PutMeta(name, View(crypto::WrapSecret(master_key_, secret.view())));
}

Result<std::optional<crypto::Secret>> Node::GetWrappedSecret(const std::string& name) {
  if (!session_) return MakeError(ErrorCode::kUnauthenticated, "log in first");
  SHELTER_ASSIGN_OR_RETURN(auto wrapped, log_->GetMeta(name));
  if (!wrapped) return std::optional<crypto::Secret>();
  SHELTER_ASSIGN_OR_RETURN(crypto::Secret s, crypto::UnwrapSecret(master_key_, View(*wrapped)));
  return std::optional<crypto::Secret>(std::move(s));
}

// [SECTION] Scope keys ----------------------------------------------------------------------------

Status Node::LoadScopeKeys() {
  scope_keys_.clear();
  SHELTER_ASSIGN_OR_RETURN(auto keys, log_->ScopeKeys());
  for (auto& k : keys) {
    SHELTER_ASSIGN_OR_RETURN(crypto::Secret key, crypto::OpenSealed(box_, View(k.sealed)));
    scope_keys_[{k.scope, k.epoch}] = std::move(key);
  }
  return Ok();
}

const crypto::Secret* Node::CurrentScopeKey(const Id16& scope, uint32_t* epoch) const {
  const crypto::Secret* best = nullptr;
  for (auto& [k, v] : scope_keys_)
    if (k.first == scope) {
      best = &v;
      if (epoch) *epoch = k.second;
    }
  return best;
}

bool Node::HasScopeKey(const Id16& scope) const {
  return CurrentScopeKey(scope, nullptr) != nullptr;
}

Result<crypto::Secret> Node::EnsureScopeKey(const Id16& scope) {
  if (auto* k = CurrentScopeKey(scope, nullptr)) return *k;
  crypto::Secret key = crypto::RandomSecret(32);
  SHELTER_TRY(log_->PutScopeKey(scope, 1, View(crypto::SealTo(box_.pk, key.view()))));
  scope_keys_[{scope, 1}] = key;
  return key;
}

Status Node::CreateShelterScope(const Id16& shelter) {
  SHELTER_TRY(Require({StaffRole::kAdmin}));
  if (shelter.IsZero()) return MakeError(ErrorCode::kInvalidArgument, "choose a shelter");
  auto key = EnsureScopeKey(shelter);
  if (!key.ok()) return key.error();
  return Ok();
}

Result<size_t> Node::GrantScopeKeys(const std::string& hq_dir) {
  SHELTER_TRY(Require({StaffRole::kAdmin}));
  SHELTER_ASSIGN_OR_RETURN(auto target,
                           LogStore::Open(hq_dir + "/" + LogStore::kFileName, opts_.vfs));
  SHELTER_ASSIGN_OR_RETURN(auto signed_cert, target->GetMeta(kMetaDeviceCert));
  if (!signed_cert) return MakeError(ErrorCode::kNotFound, "no device in that directory");
  SHELTER_ASSIGN_OR_RETURN(DeviceCert hq, VerifyDeviceCert(View(*signed_cert), root_pk_));
  if (hq.role != DeviceRole::kHq || hq.municipality_code != cert_.municipality_code)
    return MakeError(ErrorCode::kPermissionDenied, "that directory is not this municipality's HQ");
  SHELTER_ASSIGN_OR_RETURN(auto held, target->ScopeKeys());
  std::set<std::pair<Id16, uint32_t>> has;
  for (auto& k : held) has.insert({k.scope, k.epoch});
  size_t added = 0;
  Transaction tx(target->db());
  SHELTER_TRY(tx.Begin());
  for (auto& [k, v] : scope_keys_)
    if (!has.count(k)) {
      SHELTER_TRY(
          target->PutScopeKey(k.first, k.second, View(crypto::SealTo(hq.box_pk, v.view()))));
      ++added;
    }
  SHELTER_ASSIGN_OR_RETURN(auto certs, log_->DeviceCerts());
  for (auto& c : certs)  // and the tablets enrolled since, so their segments verify
    if (auto dc = VerifyDeviceCert(View(c), root_pk_); dc.ok())
      SHELTER_TRY(target->PutDeviceCert(dc->device, View(c)));
  SHELTER_TRY(tx.Commit());
  return added;
}

}  // namespace shelter::core
