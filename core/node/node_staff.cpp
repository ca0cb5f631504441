// Node's staff accounts: handles and PINs, unlocking the device keys with a PIN (with the
// wrong-PIN counter and its pauses), login and logout, role checks, adding accounts.
#include "core/node/node.hpp"

#include <algorithm>
#include <cctype>
#include <string>

#include "core/node/node_internal.hpp"

namespace shelter::core {

using node_internal::kMetaDeviceSecrets;
using node_internal::kMetaRootSk;
using node_internal::ValidateHandle;

namespace {

constexpr int64_t kFreePinAttempts = 5;
constexpr int64_t kFirstLockoutMs = 30'000;
constexpr int64_t kMaxLockoutMs = 15 * 60'000;

}  // namespace

Status node_internal::ValidateHandle(std::string_view h) {
  if (h.empty() || h.size() > 32)
    return MakeError(ErrorCode::kInvalidArgument, "staff handle must be 1 to 32 characters");
  for (char c : h)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-'))
      return MakeError(ErrorCode::kInvalidArgument,
                       "staff handle may use only letters, digits, '.', '_' and '-'");
  return Ok();
}

Status ValidatePin(std::string_view pin) {
  if (pin.size() < 4 || pin.size() > 12)
    return MakeError(ErrorCode::kInvalidArgument, "PIN must be 4 to 12 digits");
  for (char c : pin)
    if (c < '0' || c > '9')
      return MakeError(ErrorCode::kInvalidArgument, "PIN must be digits only");
  return Ok();
}

Status Node::CreateStaff(LogStore& log, const std::string& handle, StaffRole role,
                         std::string_view pin, const crypto::Secret& master_key) {
  SHELTER_TRY(ValidateHandle(handle));
  SHELTER_TRY(ValidatePin(pin));
  SHELTER_ASSIGN_OR_RETURN(auto existing, log.StaffByHandle(handle));
  if (existing)
    return MakeError(ErrorCode::kAlreadyExists, "a staff account with this handle exists");
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
  if (row.disabled)
    return MakeError(ErrorCode::kPermissionDenied, "this staff account is disabled");
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
  crypto::PwHashParams params{static_cast<uint64_t>(row.kdf_ops),
                              static_cast<uint64_t>(row.kdf_mem)};
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
  SHELTER_ASSIGN_OR_RETURN(crypto::Secret secrets,
                           crypto::UnwrapSecret(master_key_, View(*wrapped)));
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

Status Node::AddStaff(const std::string& handle, StaffRole role, std::string_view pin) {
  SHELTER_TRY(Require({StaffRole::kLead, StaffRole::kAdmin}));
  if ((role == StaffRole::kAdmin || role == StaffRole::kHq || role == StaffRole::kCertifier) &&
      session_->role != StaffRole::kAdmin)
    return MakeError(ErrorCode::kPermissionDenied,
                     "only an admin may add admin, HQ or certifier accounts");
  return CreateStaff(*log_, handle, role, pin, master_key_);
}

}  // namespace shelter::core
