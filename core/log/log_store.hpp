// The durable, on-disk half of a device: the op log (encrypted, signed segments), device
// certificates, sealed scope keys, staff accounts and settings, in one SQLite file in WAL mode
// with synchronous=FULL. Holds no plaintext personal data by construction. One thread at a time.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/base/bytes.hpp"
#include "core/base/result.hpp"
#include "core/base/sqlite_db.hpp"
#include "core/log/segment.hpp"

namespace shelter::core {

struct SegmentTip {
  uint64_t number = 0;
  Hash32 hash{};
  uint64_t last_seq = 0;
  Hlc max_hlc = 0;
};

struct StaffRow {
  Id16 id;
  std::string handle;
  int role = 0;
  Bytes kdf_salt;
  int64_t kdf_ops = 0, kdf_mem = 0;
  Bytes wrapped_key;  // the device master key, wrapped under the Argon2id(PIN) key
  int64_t failures = 0;
  int64_t locked_until_ms = 0;
  bool disabled = false;
};

class LogStore {
 public:
  static constexpr int kSchemaVersion = 2;
  static constexpr const char* kFileName = "log.db";

  // Opens or creates `path`. Returns kIo if the file cannot be opened, kUnsupported for a newer
  // schema, kCorrupt if it is not a shelterkit log.
  static Result<std::unique_ptr<LogStore>> Open(const std::string& path, const char* vfs = nullptr);

  Db& db() { return *db_; }

  Result<std::optional<Bytes>> GetMeta(std::string_view key);
  Status PutMeta(std::string_view key, ByteView value);
  // (key, value) of every meta entry whose key starts with `prefix`, in key order.
  Result<std::vector<std::pair<std::string, Bytes>>> MetaWithPrefix(std::string_view prefix);

  // Stores a parsed segment. Returns true if it was new, false if the identical segment was
  // already stored. A different segment with the same (device, number) is equivocation: kConflict
  // (the caller records the incident outside its rolled-back transaction). Caller owns the
  // transaction.
  Result<bool> PutSegment(const Segment& s);
  Result<std::optional<SegmentTip>> Tip(const Id16& device);
  // Visits every stored segment in (device, number) order; stops at the first error.
  Status ForEachSegment(const std::function<Status(const Segment&)>& fn);
  Result<std::optional<Segment>> GetSegment(const Id16& device, uint64_t number);
  Result<int64_t> SegmentCount();
  // The highest segment number stored per device (one indexed read per device).
  Result<std::map<Id16, uint64_t>> LastNumbers();

  // A device's own committed ops not yet in a segment (sealing on demand), in seq order.
  struct UnsealedRow {
    uint64_t seq = 0;
    Id16 scope;
    uint32_t epoch = 0;  // of the scope key that encrypts `box` (core/log/unsealed_op.hpp)
    Hlc hlc = 0;
    Bytes box;
  };
  struct UnsealedInfo {
    uint64_t count = 0, last_seq = 0;
    Hlc max_hlc = 0;
  };
  Status PutUnsealed(const UnsealedRow& row);  // kIo; caller owns the transaction
  Result<std::vector<UnsealedRow>> Unsealed();
  Status DeleteUnsealedThrough(uint64_t seq);  // once sealed; caller owns the transaction
  Result<UnsealedInfo> UnsealedSummary();

  Status PutDeviceCert(const Id16& device, ByteView signed_cert);
  Result<std::vector<Bytes>> DeviceCerts();
  Result<std::optional<Bytes>> DeviceCert(const Id16& device);  // the signed certificate, if known

  Status PutScopeKey(const Id16& scope, uint32_t epoch, ByteView sealed);
  // (scope, epoch, sealed) for every key this device holds.
  struct SealedScopeKey {
    Id16 scope;
    uint32_t epoch;
    Bytes sealed;
  };
  Result<std::vector<SealedScopeKey>> ScopeKeys();

  Status PutStaff(const StaffRow& row);  // insert or replace by id
  Result<std::optional<StaffRow>> StaffByHandle(std::string_view handle);
  Result<std::vector<StaffRow>> AllStaff();

  Status RecordIncident(std::string_view kind, const Id16& device, std::string_view detail);
  struct Incident {
    int64_t at_ms;
    std::string kind;
    Id16 device;
    std::string detail;
  };
  Result<std::vector<Incident>> Incidents();

 private:
  explicit LogStore(std::unique_ptr<Db> db) : db_(std::move(db)) {}
  Status Migrate();
  std::unique_ptr<Db> db_;
};

}  // namespace shelter::core
