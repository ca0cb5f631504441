// A device's data directory, opened: the durable log (LogStore), the materialized State, the
// device's keys (unlocked by a staff login) and its clock. Every change goes through Commit():
// one durable SQLite transaction per call, then applied to State. One thread at a time.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/base/crypto.hpp"
#include "core/base/hlc.hpp"
#include "core/device/device_cert.hpp"
#include "core/device/trust_item.hpp"
#include "core/log/log_store.hpp"
#include "core/log/materializer.hpp"
#include "core/log/op.hpp"
#include "core/model/state.hpp"

namespace shelter::core {

struct NodeOptions {
  const char* vfs = nullptr;            // SQLite VFS for the log (tests inject faults)
  std::string state_path = ":memory:";  // tablets keep state in memory; HQ may use a file
  crypto::PwHashParams pwhash;          // Argon2id cost for new PINs
  HlcClock::NowMs now_ms = HlcClock::SystemNowMs;
  size_t max_ops_per_segment = 1000;
  // Commit() keeps the ops durable and encrypted but unsealed; they become one segment (per scope
  // and 1000 ops) when a peer or a bundle asks (SealUnsealed): a day of single edits then costs
  // one signature and one segment wrapper per sync instead of one per edit. For a long-running
  // tablet (the app); applies only with the in-memory state and no external materializer. Off:
  // every Commit() seals its own segment (the command line, HQ).
  bool seal_on_demand = false;
  // When set (HQ), segments are applied here instead of to state(), which then stays empty.
  // Not owned; must outlive the Node.
  Materializer* materializer = nullptr;
};

struct Session {
  Id16 staff_id;
  std::string handle;
  StaffRole role;
};

// One change to one record, before it gets a dot and an HLC. Commit() fills `supersedes` with the
// dots of the values it replaces (what this device currently shows for those fields).
struct OpDraft {
  using Seen = std::map<std::string, std::vector<Dot>>;
  // A constructor rather than an aggregate: as an aggregate with a defaulted std::optional member,
  // drafts built in an initializer list (`{{id, type, fields}}`) carried an invalid engaged flag
  // under GCC 12 (UBSan), and without the default -Wmissing-field-initializers fires.
  OpDraft() = default;
  OpDraft(Id16 r, RecordType t, std::vector<FieldWrite> f, std::optional<Seen> s = std::nullopt)
      : record(r), type(t), fields(std::move(f)), seen(std::move(s)) {}

  Id16 record;
  RecordType type = RecordType::kPerson;
  std::vector<FieldWrite> fields;  // any order; Commit sorts
  // The values an editor saw when it loaded the record, by field: Commit supersedes only those,
  // so a value that arrived by sync while staff were typing stays beside the new one (a
  // conflict) instead of being overwritten unseen. Unset: what this device shows now.
  std::optional<Seen> seen;
};

class Node {
 public:
  // Creates a municipality: root key, this admin device and its first admin account.
  // Returns kAlreadyExists if `dir` already holds a device.
  static Result<std::unique_ptr<Node>> InitMunicipality(
      const std::string& dir, const std::string& code, const std::string& name,
      const std::string& admin_handle, std::string_view admin_pin, const NodeOptions& opts = {});
  // Opens an existing data directory (locked: no keys until Login). kNotFound if not initialised.
  static Result<std::unique_ptr<Node>> Open(const std::string& dir, const NodeOptions& opts = {});
  ~Node();

  // Unlocks the device keys with a staff PIN and rebuilds the state from the log. Works on a
  // full disk (the wrong-PIN counter is then kept in memory: see UnlockStaff).
  // kUnauthenticated on a wrong handle/PIN, kRateLimited while locked out (detail says how long).
  Status Login(const std::string& handle, std::string_view pin);
  void Logout();
  // Ends the staff session but keeps the device keys and the state in memory, as a phone keeps
  // its keys after the first unlock: the tablet goes on syncing (Ingest, StaticDh) while nobody
  // can write, sign or read through a session until the next Login. Logout() drops them too.
  void Lock() { session_.reset(); }
  // The device keys are in memory (a Login happened and no Logout since): sync can run.
  bool keys_held() const { return !master_key_.empty(); }
  // Checks a staff member's PIN and role without changing the current session (a kiosk's exit
  // gate). Counts wrong PINs like Login. kUnauthenticated / kRateLimited as Login;
  // kPermissionDenied when the account's role is not in `roles`.
  Status CheckStaffPin(const std::string& handle, std::string_view pin,
                       std::initializer_list<StaffRole> roles);
  const std::optional<Session>& session() const { return session_; }
  Status Require(std::initializer_list<StaffRole> roles) const;

  // Admin: enrol a new device into `target_dir` for a shelter scope (zero = municipality-wide),
  // with its first staff account. Returns the new device id.
  Result<Id16> EnrollDevice(const std::string& target_dir, const Id16& shelter_scope,
                            DeviceRole role, const std::string& label,
                            const std::string& lead_handle, std::string_view lead_pin);
  // Admin: creates the scope key of a shelter (as enrolling its first tablet does), so this
  // device can write there and an HQ enrolled later receives it. No-op when it exists.
  Status CreateShelterScope(const Id16& shelter);
  // Admin: hands every scope key this device holds to the HQ device in `hq_dir` (sealed to its
  // box key), for shelters opened after the HQ was enrolled. Returns how many keys it lacked.
  // kPermissionDenied when `hq_dir` is not an HQ device of this municipality.
  Result<size_t> GrantScopeKeys(const std::string& hq_dir);
  // Lead or admin: add a staff account on this device.
  Status AddStaff(const std::string& handle, StaffRole role, std::string_view pin);

  // Writes the drafts as ops into new segment(s) of `scope`, durably, then applies them.
  // Returns the dots. kPermissionDenied if this device holds no key for `scope`; kIo when the
  // disk fails (nothing is half-written: the transaction rolls back).
  Result<std::vector<Dot>> Commit(const Id16& scope, const std::vector<OpDraft>& drafts);

  // Seals this device's committed, unsealed ops (seal_on_demand) into segments, durably, in one
  // transaction: what a sync session or a bundle export does before it reads the log. Nothing
  // to do: Ok without touching the disk. kUnauthenticated without the device keys, kIo.
  Status SealUnsealed();
  // Ops committed and not yet sealed (they are in state(), not yet in any segment).
  uint64_t unsealed_ops() const { return unsealed_.count; }

  // Verifies, stores and applies a segment from another device (sync, bundle). Returns true when
  // new. kCrypto for a forged segment, kConflict for equivocation, kNotFound for an unknown device.
  Result<bool> Ingest(ByteView wire);

  // Learns another device's enrollment certificate (from sync or a bundle). kCrypto when the
  // municipality root did not sign it.
  Status AddDeviceCert(ByteView signed_cert);

  // Signs `message` with this device's Ed25519 key (shelter passes, status reports).
  // kUnauthenticated when nobody is logged in.
  Result<crypto::Signature> SignAsDevice(ByteView message) const;
  // Every device certificate this node knows (verified against the root key), by device id.
  const std::map<Id16, DeviceCert>& known_devices() const { return certs_; }
  // Secrets this device keeps in log.db wrapped under its master key (certificate issuing keys),
  // under the meta key `name`. kUnauthenticated before login; nullopt when absent.
  Status PutWrappedSecret(const std::string& name, const crypto::Secret& secret);
  Result<std::optional<crypto::Secret>> GetWrappedSecret(const std::string& name);
  // The municipality root secret key on a logged-in admin device; nullptr elsewhere.
  const crypto::Secret* root_secret() const { return root_sk_.empty() ? nullptr : &root_sk_; }
  // X25519 of this device's key-agreement secret with `peer_pub` (the sync transport's static
  // key; the secret stays here). kUnauthenticated before Login, kCrypto for a low-order key.
  Result<std::array<uint8_t, 32>> StaticDh(const crypto::PublicKey& peer_pub) const;
  // The verified certificate of a device this node knows, or nullptr.
  const DeviceCert* FindCert(const Id16& device) const;

  // Admin: revokes a device. Stores a signed revocation and rotates the scope key of its shelter
  // (every scope, for a municipality-wide device) to a new epoch, granted to each remaining member
  // device, HQ and admin devices; the revoked device gets nothing new. Returns the new epoch.
  // kNotFound for an unknown device, kPermissionDenied unless logged in on the admin device.
  Result<uint32_t> RevokeDevice(const Id16& device);
  bool IsRevoked(const Id16& device) const { return revoked_.count(device) > 0; }
  // A revoked device's segment counts only when it was written before the revocation (by its
  // HLC, allowing kRevocationSkewMs for clocks that disagree): later ones come from whoever holds
  // the device now. Ingest refuses them (an incident), they are not applied from the log, and a
  // sync session does not pass them on.
  bool Admissible(const SegmentHeader& h) const;
  static constexpr int64_t kRevocationSkewMs = 10 * 60'000;
  // Every stored revocation and key grant, then the certificate trust list and status list held,
  // signed, for passing on (sync, bundles).
  Result<std::vector<Bytes>> TrustItems();
  // Verifies and stores a revocation or key grant; a grant to this device adds its key (and
  // refolds the state, which may now read more). A signed trust or status list (core/trust_list)
  // replaces the one held when newer (ListSupersedes); an older one is ignored (false). Returns
  // true when new. kCrypto when the root did not sign it, it belongs to another municipality or
  // the grant does not open, kParse when malformed.
  Result<bool> AddTrustItem(ByteView signed_item);

  // Drops the materialized state and folds the whole log again.
  Status Rebuild();
  // Applies what the log holds past the applier's tips: segments another process stored in this
  // data directory (`shelterctl bundle import` on an HQ device) while this one had it open, or
  // segments Ingest() reported as already held. Cheap when there is nothing to apply (one read
  // of the last number per device). kUnauthenticated before Login.
  Status ApplyHeld();

  State& state() { return *state_; }
  LogStore& log() { return *log_; }
  const DeviceCert& device() const { return cert_; }
  const crypto::PublicKey& root_pk() const { return root_pk_; }
  const std::string& municipality_code() const { return cert_.municipality_code; }
  Id16 municipality_scope() const { return MunicipalityScope(cert_.municipality_code); }
  Id16 home_scope() const;  // the device's shelter scope, or the municipality scope
  bool HasScopeKey(const Id16& scope) const;
  HlcClock& clock() { return clock_; }
  int64_t NowMs() const { return opts_.now_ms(); }  // this device's wall clock
  const std::string& dir() const { return dir_; }

 private:
  Node(std::string dir, NodeOptions opts, std::unique_ptr<LogStore> log);
  Status LoadIdentity();
  // Verifies handle + PIN (charging the attempt durably first) and returns the account and the
  // unwrapped device master key.
  Result<std::pair<StaffRow, crypto::Secret>> UnlockStaff(const std::string& handle,
                                                          std::string_view pin);
  Status LoadScopeKeys();
  Result<bool> ApplyStored(const Segment& s);
  bool SealsOnDemand() const;
  Result<std::vector<Dot>> CommitOnce(const Id16& scope, const std::vector<OpDraft>& drafts);
  Status CommitUnsealed(const Id16& scope, uint32_t epoch, const crypto::Secret& key,
                        const std::vector<Op>& ops);
  // Applies the stored unsealed ops past the state's tip for this device (Rebuild, ApplyHeld).
  Status ApplyUnsealedRows();
  Status ApplySuccessors(const Id16& device);
  Materializer& applier() { return opts_.materializer ? *opts_.materializer : *state_; }
  const crypto::Secret* CurrentScopeKey(const Id16& scope, uint32_t* epoch) const;
  Result<crypto::Secret> EnsureScopeKey(const Id16& scope);  // admin only: create if missing
  Status CreateStaff(LogStore& log, const std::string& handle, StaffRole role, std::string_view pin,
                     const crypto::Secret& master_key);

  std::string dir_;
  NodeOptions opts_;
  std::unique_ptr<LogStore> log_;
  std::unique_ptr<State> state_;
  HlcClock clock_;
  DeviceCert cert_;
  crypto::PublicKey root_pk_{};
  std::map<Id16, DeviceCert> certs_;  // every device this node knows, verified with the root key
  std::map<Id16, int64_t> revoked_;   // device -> when its (first) revocation was made, unix ms
  void NoteRevoked(const Id16& device, int64_t at_s);
  // Wrong PINs per handle that could not be written to log.db (full disk); see UnlockStaff.
  std::map<std::string, int64_t> unrecorded_pin_failures_;

  // Unlocked by Login().
  std::optional<Session> session_;
  crypto::Secret master_key_;
  crypto::Secret sign_sk_;
  crypto::BoxKeyPair box_;
  crypto::Secret root_sk_;  // admin devices only
  std::map<std::pair<Id16, uint32_t>, crypto::Secret> scope_keys_;
  std::optional<SegmentTip> own_tip_;
  LogStore::UnsealedInfo unsealed_;  // this device's ops committed but not yet sealed
};

// Pins come from people: 4 to 12 digits, checked before any account is created.
Status ValidatePin(std::string_view pin);

}  // namespace shelter::core
