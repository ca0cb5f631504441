// Node: creating a municipality, opening a data directory and loading the device's identity
// (its certificate, the devices it knows, the revocations it holds). The other parts of Node:
// node_staff.cpp (accounts, PINs, login), node_commit.cpp (writing ops), node_seal.cpp
// (sealing on demand), node_ingest.cpp
// (receiving segments, applying the log), node_keys.cpp (enrolment, scope and device keys),
// node_trust.cpp (trust items, revocation).
#include "core/node/node.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <filesystem>

#include "core/base/private_file.hpp"
#include "core/model/entities.hpp"
#include "core/node/node_internal.hpp"

namespace shelter::core {

using node_internal::kCertValidityS;
using node_internal::kMetaDeviceCert;
using node_internal::kMetaDeviceSecrets;
using node_internal::kMetaRootPk;
using node_internal::kMetaRootSk;
using node_internal::ValidateHandle;

namespace fs = std::filesystem;

Node::Node(std::string dir, NodeOptions opts, std::unique_ptr<LogStore> log)
    : dir_(std::move(dir)), opts_(std::move(opts)), log_(std::move(log)), clock_(opts_.now_ms) {}

Node::~Node() = default;

Result<std::unique_ptr<Node>> Node::InitMunicipality(
    const std::string& dir, const std::string& code, const std::string& name,
    const std::string& admin_handle, std::string_view admin_pin, const NodeOptions& opts) {
  SHELTER_TRY(crypto::InitCrypto());
  SHELTER_TRY(ValidateHandle(admin_handle));
  SHELTER_TRY(ValidatePin(admin_pin));
  if (code.size() != 6 || !std::all_of(code.begin(), code.end(), ::isdigit))
    return MakeError(ErrorCode::kInvalidArgument, "municipality code must be 6 digits");
  if (name.empty()) return MakeError(ErrorCode::kInvalidArgument, "municipality name is required");
  SHELTER_TRY(MakePrivateDir(dir));
  SHELTER_ASSIGN_OR_RETURN(auto log, LogStore::Open(dir + "/" + LogStore::kFileName, opts.vfs));
  SHELTER_ASSIGN_OR_RETURN(auto existing, log->GetMeta(kMetaDeviceCert));
  if (existing)
    return MakeError(ErrorCode::kAlreadyExists, "the data directory already holds a device");

  crypto::SignKeyPair root = crypto::GenerateSignKeyPair();
  crypto::SignKeyPair sign = crypto::GenerateSignKeyPair();
  crypto::BoxKeyPair box = crypto::GenerateBoxKeyPair();
  crypto::Secret master = crypto::RandomSecret(32);
  int64_t now_s = opts.now_ms() / 1000;
  DeviceCert cert{Id16::Random(),         sign.pk, box.pk, Id16{}, DeviceRole::kAdmin, now_s,
                  now_s + kCertValidityS, 1,       code,   "admin"};
  Bytes signed_cert = SignDeviceCert(cert, root.sk);
  Bytes secrets(sign.sk.data(), sign.sk.data() + sign.sk.size());
  secrets.insert(secrets.end(), box.sk.data(), box.sk.data() + box.sk.size());
  crypto::Secret secrets_s(std::move(secrets));

  std::unique_ptr<Node> node(new Node(dir, opts, std::move(log)));
  {
    Transaction tx(node->log_->db());
    SHELTER_TRY(tx.Begin());
    SHELTER_TRY(node->log_->PutMeta(kMetaRootPk, ByteView(root.pk.data(), root.pk.size())));
    SHELTER_TRY(node->log_->PutMeta(kMetaRootSk, View(crypto::WrapSecret(master, root.sk.view()))));
    SHELTER_TRY(node->log_->PutMeta(kMetaDeviceSecrets,
                                    View(crypto::WrapSecret(master, secrets_s.view()))));
    SHELTER_TRY(node->log_->PutMeta(kMetaDeviceCert, View(signed_cert)));
    SHELTER_TRY(node->log_->PutDeviceCert(cert.device, View(signed_cert)));
    crypto::Secret muni_key = crypto::RandomSecret(32);
    SHELTER_TRY(node->log_->PutScopeKey(MunicipalityScope(code), 1,
                                        View(crypto::SealTo(box.pk, muni_key.view()))));
    SHELTER_TRY(node->CreateStaff(*node->log_, admin_handle, StaffRole::kAdmin, admin_pin, master));
    SHELTER_TRY(tx.Commit());
  }
  SHELTER_TRY(node->LoadIdentity());
  SHELTER_TRY(node->Login(admin_handle, admin_pin));
  Id16 muni_record = DerivedId("municipality", code);
  SHELTER_TRY(node->Commit(node->municipality_scope(), {{muni_record,
                                                         RecordType::kMunicipality,
                                                         {{field::kCode, cbor::Item(code)},
                                                          {field::kName, cbor::Item(name)}}}}));
  return node;
}

Result<std::unique_ptr<Node>> Node::Open(const std::string& dir, const NodeOptions& opts) {
  SHELTER_TRY(crypto::InitCrypto());
  std::string path = dir + "/" + LogStore::kFileName;
  if (!fs::exists(path))
    return MakeError(ErrorCode::kNotFound,
                     "no shelterkit data in this directory (run init or "
                     "device enroll first)");
  // A folder made by an older version may be readable by others; narrowing it is best effort
  // (a read-only medium still opens).
  (void)MakePrivateDir(dir);
  SHELTER_ASSIGN_OR_RETURN(auto log, LogStore::Open(path, opts.vfs));
  std::unique_ptr<Node> node(new Node(dir, opts, std::move(log)));
  SHELTER_TRY(node->LoadIdentity());
  return node;
}

Status Node::LoadIdentity() {
  SHELTER_ASSIGN_OR_RETURN(auto root, log_->GetMeta(kMetaRootPk));
  SHELTER_ASSIGN_OR_RETURN(auto cert, log_->GetMeta(kMetaDeviceCert));
  if (!root || root->size() != 32 || !cert)
    return MakeError(ErrorCode::kNotFound, "this data directory has no enrolled device");
  std::memcpy(root_pk_.data(), root->data(), 32);
  SHELTER_ASSIGN_OR_RETURN(cert_, VerifyDeviceCert(View(*cert), root_pk_));
  certs_.clear();
  SHELTER_ASSIGN_OR_RETURN(auto all, log_->DeviceCerts());
  for (auto& c : all) {
    auto dc = VerifyDeviceCert(View(c), root_pk_);
    if (dc.ok()) certs_[dc->device] = *dc;
  }
  certs_[cert_.device] = cert_;
  revoked_.clear();
  SHELTER_ASSIGN_OR_RETURN(auto trust, log_->MetaWithPrefix(kTrustMetaPrefix));
  for (auto& [key, item] : trust)
    if (auto t = VerifyTrustItem(View(item), root_pk_); t.ok() && t->kind == TrustKind::kRevocation)
      NoteRevoked(t->device, t->at);
  SHELTER_ASSIGN_OR_RETURN(own_tip_, log_->Tip(cert_.device));
  if (own_tip_) clock_.Observe(own_tip_->max_hlc);
  SHELTER_ASSIGN_OR_RETURN(unsealed_, log_->UnsealedSummary());
  clock_.Observe(unsealed_.max_hlc);
  return Ok();
}

Id16 Node::home_scope() const {
  return cert_.shelter_scope.IsZero() ? municipality_scope() : cert_.shelter_scope;
}

}  // namespace shelter::core
