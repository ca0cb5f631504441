#include "core/node/node.hpp"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <set>

#include <sodium.h>

#include "core/model/entities.hpp"
#include "core/base/private_file.hpp"
#include "core/formats/issuer_list.hpp"

namespace shelter::core {
namespace {

namespace fs = std::filesystem;

constexpr const char* kMetaDeviceCert = "device_cert";
constexpr const char* kMetaDeviceSecrets = "device_secrets";  // wrapped: sign_sk(64) || box_sk(32)
constexpr const char* kMetaRootPk = "root_pk";
constexpr const char* kMetaRootSk = "root_sk";  // wrapped; admin devices only

constexpr int64_t kFreePinAttempts = 5;
constexpr int64_t kFirstLockoutMs = 30'000;
constexpr int64_t kMaxLockoutMs = 15 * 60'000;
constexpr int64_t kCertValidityS = 10ll * 365 * 24 * 3600;

Status ValidateHandle(std::string_view h) {
  if (h.empty() || h.size() > 32)
    return MakeError(ErrorCode::kInvalidArgument, "staff handle must be 1 to 32 characters");
  for (char c : h)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-'))
      return MakeError(ErrorCode::kInvalidArgument,
                       "staff handle may use only letters, digits, '.', '_' and '-'");
  return Ok();
}


}  // namespace

Status ValidatePin(std::string_view pin) {
  if (pin.size() < 4 || pin.size() > 12)
    return MakeError(ErrorCode::kInvalidArgument, "PIN must be 4 to 12 digits");
  for (char c : pin)
    if (c < '0' || c > '9') return MakeError(ErrorCode::kInvalidArgument, "PIN must be digits only");
  return Ok();
}

Node::Node(std::string dir, NodeOptions opts, std::unique_ptr<LogStore> log)
    : dir_(std::move(dir)), opts_(std::move(opts)), log_(std::move(log)), clock_(opts_.now_ms) {}

Node::~Node() = default;

Result<std::unique_ptr<Node>> Node::InitMunicipality(const std::string& dir, const std::string& code,
                                                     const std::string& name,
                                                     const std::string& admin_handle,
                                                     std::string_view admin_pin,
                                                     const NodeOptions& opts) {
  SHELTER_TRY(crypto::InitCrypto());
  SHELTER_TRY(ValidateHandle(admin_handle));
  SHELTER_TRY(ValidatePin(admin_pin));
  if (code.size() != 6 || !std::all_of(code.begin(), code.end(), ::isdigit))
    return MakeError(ErrorCode::kInvalidArgument, "municipality code must be 6 digits");
  if (name.empty()) return MakeError(ErrorCode::kInvalidArgument, "municipality name is required");
  SHELTER_TRY(MakePrivateDir(dir));
  SHELTER_ASSIGN_OR_RETURN(auto log, LogStore::Open(dir + "/" + LogStore::kFileName, opts.vfs));
  SHELTER_ASSIGN_OR_RETURN(auto existing, log->GetMeta(kMetaDeviceCert));
  if (existing) return MakeError(ErrorCode::kAlreadyExists, "the data directory already holds a device");

  crypto::SignKeyPair root = crypto::GenerateSignKeyPair();
  crypto::SignKeyPair sign = crypto::GenerateSignKeyPair();
  crypto::BoxKeyPair box = crypto::GenerateBoxKeyPair();
  crypto::Secret master = crypto::RandomSecret(32);
  int64_t now_s = opts.now_ms() / 1000;
  DeviceCert cert{Id16::Random(), sign.pk, box.pk, Id16{}, DeviceRole::kAdmin, now_s,
                  now_s + kCertValidityS, 1, code, "admin"};
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
    SHELTER_TRY(node->log_->PutMeta(kMetaDeviceSecrets, View(crypto::WrapSecret(master, secrets_s.view()))));
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
  SHELTER_TRY(node->Commit(node->municipality_scope(),
                           {{muni_record, RecordType::kMunicipality,
                             {{field::kCode, cbor::Item(code)}, {field::kName, cbor::Item(name)}}}}));
  return node;
}

Result<std::unique_ptr<Node>> Node::Open(const std::string& dir, const NodeOptions& opts) {
  SHELTER_TRY(crypto::InitCrypto());
  std::string path = dir + "/" + LogStore::kFileName;
  if (!fs::exists(path))
    return MakeError(ErrorCode::kNotFound, "no shelterkit data in this directory (run init or "
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
  return Ok();
}

Status Node::CreateStaff(LogStore& log, const std::string& handle, StaffRole role,
                         std::string_view pin, const crypto::Secret& master_key) {
  SHELTER_TRY(ValidateHandle(handle));
  SHELTER_TRY(ValidatePin(pin));
  SHELTER_ASSIGN_OR_RETURN(auto existing, log.StaffByHandle(handle));
  if (existing) return MakeError(ErrorCode::kAlreadyExists, "a staff account with this handle exists");
  StaffRow row;
  row.id = Id16::Random();
  row.handle = handle;
  row.role = static_cast<int>(role);
  row.kdf_salt = crypto::RandomBytes(16);
  row.kdf_ops = static_cast<int64_t>(opts_.pwhash.ops);
  row.kdf_mem = static_cast<int64_t>(opts_.pwhash.mem);
  SHELTER_ASSIGN_OR_RETURN(crypto::Secret kek,
                           crypto::DeriveKeyFromPin(pin, View(row.kdf_salt), opts_.pwhash));
  row.wrapped_key = crypto::WrapSecret(kek, master_key.view());
  return log.PutStaff(row);
}

Result<std::pair<StaffRow, crypto::Secret>> Node::UnlockStaff(const std::string& handle,
                                                               std::string_view pin) {
  SHELTER_ASSIGN_OR_RETURN(auto found, log_->StaffByHandle(handle));
  auto wrong = MakeError(ErrorCode::kUnauthenticated, "staff handle or PIN is wrong");
  if (!found) return wrong;
  StaffRow row = *found;
  if (row.disabled) return MakeError(ErrorCode::kPermissionDenied, "this staff account is disabled");
  int64_t now = opts_.now_ms();
  if (row.locked_until_ms > now) {
    int64_t wait_s = (row.locked_until_ms - now + 999) / 1000;
    return MakeError(ErrorCode::kRateLimited,
                     "too many wrong PINs: try again in " + std::to_string(wait_s) + " s");
  }
  // When the counter cannot be written (a full disk), wrong PINs are counted here instead, on
  // top of what the disk holds. No pause can be recorded, so once the free attempts are used
  // up the account stays refused until this Node (the app's process) ends: a full disk, which an
  // attacker may cause, never buys more guesses than the free ones per process start. Someone
  // who can restart processes at will can also copy log.db and guess offline, where no counter
  // applies, so nothing further is lost; the app runs one Node for its whole life.
  int64_t& unrecorded = unrecorded_pin_failures_[row.handle];
  if (unrecorded > 0 && row.failures + unrecorded >= kFreePinAttempts)
    return MakeError(ErrorCode::kRateLimited,
                     "too many wrong PINs while the device storage is full: free some storage, "
                     "then restart");
  // Charge the attempt durably before checking it, so killing the process cannot reset the count.
  ++row.failures;
  if (row.failures >= kFreePinAttempts) {
    int64_t shift = std::min<int64_t>(row.failures - kFreePinAttempts, 10);
    row.locked_until_ms = now + std::min(kFirstLockoutMs << shift, kMaxLockoutMs);
  }
  Status charged = log_->PutStaff(row);
  if (!charged.ok() && charged.error().code != ErrorCode::kIo) return charged.error();
  crypto::PwHashParams params{static_cast<uint64_t>(row.kdf_ops), static_cast<uint64_t>(row.kdf_mem)};
  SHELTER_ASSIGN_OR_RETURN(crypto::Secret kek,
                           crypto::DeriveKeyFromPin(pin, View(row.kdf_salt), params));
  auto master = crypto::UnwrapSecret(kek, View(row.wrapped_key));
  if (!master.ok()) {
    if (!charged.ok()) {
      ++unrecorded;
      row.failures += unrecorded - 1;  // for the count of tries left below
    }
    int64_t left = std::max<int64_t>(kFreePinAttempts - row.failures, 0);
    return MakeError(ErrorCode::kUnauthenticated,
                     "staff handle or PIN is wrong" +
                         (left > 0 ? " (" + std::to_string(left) + " tries before a pause)"
                                   : std::string(" (account paused after repeated wrong PINs)")));
  }
  row.failures = 0;
  row.locked_until_ms = 0;
  unrecorded_pin_failures_.erase(row.handle);
  // Reading must go on with a full disk: an uncleared counter only shortens the next run of
  // wrong PINs, it never lets one in.
  if (charged.ok()) {
    Status cleared = log_->PutStaff(row);
    if (!cleared.ok() && cleared.error().code != ErrorCode::kIo) return cleared.error();
  }
  return std::make_pair(std::move(row), std::move(master).value());
}

Status Node::CheckStaffPin(const std::string& handle, std::string_view pin,
                           std::initializer_list<StaffRole> roles) {
  SHELTER_ASSIGN_OR_RETURN(auto unlocked, UnlockStaff(handle, pin));
  for (StaffRole r : roles)
    if (static_cast<int>(r) == unlocked.first.role) return Ok();
  return MakeError(ErrorCode::kPermissionDenied, "this account may not do this");
}

Status Node::Login(const std::string& handle, std::string_view pin) {
  Logout();
  SHELTER_ASSIGN_OR_RETURN(auto unlocked, UnlockStaff(handle, pin));
  StaffRow row = std::move(unlocked.first);
  master_key_ = std::move(unlocked.second);
  SHELTER_ASSIGN_OR_RETURN(auto wrapped, log_->GetMeta(kMetaDeviceSecrets));
  if (!wrapped) return MakeError(ErrorCode::kCorrupt, "device secrets are missing");
  SHELTER_ASSIGN_OR_RETURN(crypto::Secret secrets, crypto::UnwrapSecret(master_key_, View(*wrapped)));
  if (secrets.size() != 96) return MakeError(ErrorCode::kCorrupt, "device secrets are malformed");
  sign_sk_ = crypto::Secret(Bytes(secrets.data(), secrets.data() + 64));
  box_.pk = cert_.box_pk;
  box_.sk = crypto::Secret(Bytes(secrets.data() + 64, secrets.data() + 96));
  SHELTER_ASSIGN_OR_RETURN(auto root_wrapped, log_->GetMeta(kMetaRootSk));
  if (root_wrapped) {
    SHELTER_ASSIGN_OR_RETURN(root_sk_, crypto::UnwrapSecret(master_key_, View(*root_wrapped)));
  }
  SHELTER_TRY(LoadScopeKeys());
  session_ = Session{row.id, row.handle, static_cast<StaffRole>(row.role)};
  Status s = Rebuild();
  if (!s.ok()) {
    Logout();
    return s;
  }
  return Ok();
}

void Node::Logout() {
  session_.reset();
  master_key_ = {};
  sign_sk_ = {};
  box_ = {};
  root_sk_ = {};
  scope_keys_.clear();
  state_.reset();
}

Status Node::Require(std::initializer_list<StaffRole> roles) const {
  if (!session_) return MakeError(ErrorCode::kUnauthenticated, "log in first");
  for (StaffRole r : roles)
    if (session_->role == r) return Ok();
  return MakeError(ErrorCode::kPermissionDenied,
                   std::string("the role '") + StaffRoleName(session_->role) + "' may not do this");
}

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

bool Node::HasScopeKey(const Id16& scope) const { return CurrentScopeKey(scope, nullptr) != nullptr; }

Id16 Node::home_scope() const {
  return cert_.shelter_scope.IsZero() ? municipality_scope() : cert_.shelter_scope;
}

Result<crypto::Secret> Node::EnsureScopeKey(const Id16& scope) {
  if (auto* k = CurrentScopeKey(scope, nullptr)) return *k;
  crypto::Secret key = crypto::RandomSecret(32);
  SHELTER_TRY(log_->PutScopeKey(scope, 1, View(crypto::SealTo(box_.pk, key.view()))));
  scope_keys_[{scope, 1}] = key;
  return key;
}

Result<crypto::Signature> Node::SignAsDevice(ByteView message) const {
  if (!session_) return MakeError(ErrorCode::kUnauthenticated, "log in first");
  return crypto::Sign(sign_sk_, message);
}

Status Node::Rebuild() {
  if (!session_ && master_key_.empty())
    return MakeError(ErrorCode::kUnauthenticated, "log in first");
  if (!state_) {
    SHELTER_ASSIGN_OR_RETURN(state_, State::Open(opts_.state_path));
  }
  if (opts_.state_path == ":memory:") SHELTER_TRY(state_->Clear());
  // Only segments past the applier's tips are opened again (an HQ store keeps its own tips).
  return log_->ForEachSegment([&](const Segment& s) -> Status {
    clock_.Observe(s.header.max_hlc);
    auto r = ApplyStored(s);
    if (!r.ok()) return r.error();
    return Ok();
  });
}

void Node::NoteRevoked(const Id16& device, int64_t at_s) {
  auto [it, fresh] = revoked_.try_emplace(device, at_s * 1000);
  if (!fresh) it->second = std::min(it->second, at_s * 1000);
}

bool Node::Admissible(const SegmentHeader& h) const {
  auto it = revoked_.find(h.device);
  return it == revoked_.end() || HlcMillis(h.max_hlc) <= it->second + kRevocationSkewMs;
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
  return Ok();
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

Result<std::vector<Dot>> Node::Commit(const Id16& scope, const std::vector<OpDraft>& drafts) {
  if (!session_) return MakeError(ErrorCode::kUnauthenticated, "log in first");
  if (drafts.empty()) return std::vector<Dot>{};
  uint32_t epoch = 0;
  const crypto::Secret* key = CurrentScopeKey(scope, &epoch);
  if (!key) return MakeError(ErrorCode::kPermissionDenied, "this device holds no key for that scope");

  SegmentTip tip = own_tip_.value_or(SegmentTip{});
  std::vector<Op> ops;
  ops.reserve(drafts.size());
  std::vector<Dot> dots;
  uint64_t seq = tip.last_seq;
  for (const OpDraft& d : drafts) {
    Op op;
    op.dot = {cert_.device, ++seq};
    op.hlc = clock_.Now();
    op.staff = session_->staff_id;
    op.record = d.record;
    op.type = d.type;
    op.fields = d.fields;
    std::sort(op.fields.begin(), op.fields.end(), [](auto& a, auto& b) { return a.field < b.field; });
    if (op.fields.empty()) return MakeError(ErrorCode::kInvalidArgument, "an op must set a field");
    for (size_t i = 1; i < op.fields.size(); ++i)
      if (op.fields[i].field == op.fields[i - 1].field)
        return MakeError(ErrorCode::kInvalidArgument, "a field is set twice in one op");
    SHELTER_ASSIGN_OR_RETURN(auto current, state_->Get(d.record));
    if (current) {
      std::set<Dot> seen;
      for (auto& w : op.fields)
        for (auto& dot : current->Seen(w.field)) seen.insert(dot);
      op.supersedes.assign(seen.begin(), seen.end());
    }
    dots.push_back(op.dot);
    ops.push_back(std::move(op));
  }

  std::vector<Segment> segs;
  for (size_t start = 0; start < ops.size(); start += opts_.max_ops_per_segment) {
    size_t end = std::min(ops.size(), start + opts_.max_ops_per_segment);
    std::vector<Op> part(ops.begin() + start, ops.begin() + end);
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
  size_t offset = 0;
  for (auto& s : segs) {
    std::vector<Op> part(ops.begin() + offset, ops.begin() + offset + s.header.op_count);
    offset += s.header.op_count;
    auto applied = applier().ApplySegment(s.header, s.hash, part);
    if (!applied.ok() || !*applied) {
      // The log is the truth and it is saved; refold the view from it.
      SHELTER_TRY(Rebuild());
      break;
    }
  }
  return dots;
}

Result<bool> Node::Ingest(ByteView wire) {
  if (!state_) return MakeError(ErrorCode::kUnauthenticated, "log in first");
  SHELTER_ASSIGN_OR_RETURN(Segment s, ParseSegment(wire));
  auto cert = certs_.find(s.header.device);
  if (cert == certs_.end()) {
    SHELTER_TRY(log_->RecordIncident("unknown-device", s.header.device, "segment refused"));
    return MakeError(ErrorCode::kNotFound, "segment from a device this municipality never enrolled");
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

Result<std::array<uint8_t, 32>> Node::StaticDh(const crypto::PublicKey& peer_pub) const {
  if (box_.sk.size() != crypto_scalarmult_SCALARBYTES)
    return MakeError(ErrorCode::kUnauthenticated, "log in first");
  std::array<uint8_t, 32> out;
  if (crypto_scalarmult(out.data(), box_.sk.data(), peer_pub.data()) != 0)
    return MakeError(ErrorCode::kCrypto, "key agreement with a low-order public key");
  return out;
}

const DeviceCert* Node::FindCert(const Id16& device) const {
  auto it = certs_.find(device);
  return it == certs_.end() ? nullptr : &it->second;
}

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
    if (!k.ok()) return MakeError(ErrorCode::kCrypto, "scope-key grant does not open with this device's key");
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
    return MakeError(ErrorCode::kPermissionDenied, "only the municipality's admin device can revoke");
  auto it = certs_.find(device);
  if (it == certs_.end()) return MakeError(ErrorCode::kNotFound, "no enrolled device with that id");
  if (device == cert_.device) return MakeError(ErrorCode::kInvalidArgument, "cannot revoke this device");
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
      bool member = c.shelter_scope == scope || c.role == DeviceRole::kHq || c.role == DeviceRole::kAdmin;
      if (!member) continue;
      TrustItem g{TrustKind::kScopeKeyGrant, cert_.municipality_code, id, now_s, scope, epoch,
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

Status Node::AddDeviceCert(ByteView signed_cert) {
  SHELTER_ASSIGN_OR_RETURN(DeviceCert c, VerifyDeviceCert(signed_cert, root_pk_));
  if (c.municipality_code != cert_.municipality_code)
    return MakeError(ErrorCode::kCrypto, "certificate of another municipality");
  SHELTER_TRY(log_->PutDeviceCert(c.device, signed_cert));
  certs_[c.device] = c;
  return Ok();
}

Result<Id16> Node::EnrollDevice(const std::string& target_dir, const Id16& shelter_scope,
                                DeviceRole role, const std::string& label,
                                const std::string& lead_handle, std::string_view lead_pin) {
  SHELTER_TRY(Require({StaffRole::kAdmin}));
  if (root_sk_.empty())
    return MakeError(ErrorCode::kPermissionDenied, "only the municipality's admin device can enrol");
  SHELTER_TRY(ValidateHandle(lead_handle));
  SHELTER_TRY(ValidatePin(lead_pin));
  std::error_code ec;
  if (fs::equivalent(target_dir, dir_, ec))
    return MakeError(ErrorCode::kInvalidArgument, "enrol a new device into another directory");
  SHELTER_TRY(MakePrivateDir(target_dir));
  SHELTER_ASSIGN_OR_RETURN(auto target, LogStore::Open(target_dir + "/" + LogStore::kFileName, opts_.vfs));
  SHELTER_ASSIGN_OR_RETURN(auto existing, target->GetMeta(kMetaDeviceCert));
  if (existing) return MakeError(ErrorCode::kAlreadyExists, "that directory already holds a device");

  crypto::SignKeyPair sign = crypto::GenerateSignKeyPair();
  crypto::BoxKeyPair box = crypto::GenerateBoxKeyPair();
  crypto::Secret master = crypto::RandomSecret(32);
  int64_t now_s = opts_.now_ms() / 1000;
  DeviceCert cert{Id16::Random(), sign.pk, box.pk, shelter_scope, role, now_s,
                  now_s + kCertValidityS, 1, cert_.municipality_code, label};
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
  SHELTER_TRY(target->PutMeta(kMetaDeviceSecrets,
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

Result<size_t> Node::GrantScopeKeys(const std::string& hq_dir) {
  SHELTER_TRY(Require({StaffRole::kAdmin}));
  SHELTER_ASSIGN_OR_RETURN(auto target, LogStore::Open(hq_dir + "/" + LogStore::kFileName, opts_.vfs));
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
      SHELTER_TRY(target->PutScopeKey(k.first, k.second, View(crypto::SealTo(hq.box_pk, v.view()))));
      ++added;
    }
  SHELTER_ASSIGN_OR_RETURN(auto certs, log_->DeviceCerts());
  for (auto& c : certs)  // and the tablets enrolled since, so their segments verify
    if (auto dc = VerifyDeviceCert(View(c), root_pk_); dc.ok())
      SHELTER_TRY(target->PutDeviceCert(dc->device, View(c)));
  SHELTER_TRY(tx.Commit());
  return added;
}

Status Node::CreateShelterScope(const Id16& shelter) {
  SHELTER_TRY(Require({StaffRole::kAdmin}));
  if (shelter.IsZero()) return MakeError(ErrorCode::kInvalidArgument, "choose a shelter");
  auto key = EnsureScopeKey(shelter);
  if (!key.ok()) return key.error();
  return Ok();
}

Status Node::AddStaff(const std::string& handle, StaffRole role, std::string_view pin) {
  SHELTER_TRY(Require({StaffRole::kLead, StaffRole::kAdmin}));
  if ((role == StaffRole::kAdmin || role == StaffRole::kHq) && session_->role != StaffRole::kAdmin)
    return MakeError(ErrorCode::kPermissionDenied, "only an admin may add admin or HQ accounts");
  return CreateStaff(*log_, handle, role, pin, master_key_);
}

}  // namespace shelter::core
