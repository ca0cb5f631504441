// LogStore: the device's log.db (see log_store.hpp; the tables are described in core/FORMATS.md).
//
// [SECTION] index
//   Schema       the tables, Open, Migrate
//   Meta         GetMeta, PutMeta, MetaWithPrefix
//   Segments     PutSegment, Tip, ForEachSegment, GetSegment, SegmentCount, LastNumbers
//   Unsealed     PutUnsealed, Unsealed, DeleteUnsealedThrough, UnsealedSummary
//   Keys         PutDeviceCert, DeviceCerts, DeviceCert, PutScopeKey, ScopeKeys
//   Staff        PutStaff, StaffByHandle, AllStaff
//   Incidents    RecordIncident, Incidents
#include "core/log/log_store.hpp"

#include <cstring>

#include "core/base/hlc.hpp"
#include "core/base/stmt_rows.hpp"

namespace shelter::core {
namespace {

// [SECTION] Schema --------------------------------------------------------------------------------

constexpr const char* kSchemaV1 = R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE segments(
  device BLOB NOT NULL, number INTEGER NOT NULL, scope BLOB NOT NULL, epoch INTEGER NOT NULL,
  first_seq INTEGER NOT NULL, op_count INTEGER NOT NULL, max_hlc INTEGER NOT NULL,
  hash BLOB NOT NULL, wire BLOB NOT NULL, PRIMARY KEY(device, number)) WITHOUT ROWID;
CREATE TABLE devices(id BLOB PRIMARY KEY, cert BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE scope_keys(scope BLOB NOT NULL, epoch INTEGER NOT NULL, sealed BLOB NOT NULL,
  PRIMARY KEY(scope, epoch)) WITHOUT ROWID;
CREATE TABLE staff(id BLOB PRIMARY KEY, handle TEXT NOT NULL UNIQUE, role INTEGER NOT NULL,
  kdf_salt BLOB NOT NULL, kdf_ops INTEGER NOT NULL, kdf_mem INTEGER NOT NULL,
  wrapped_key BLOB NOT NULL, failures INTEGER NOT NULL DEFAULT 0,
  locked_until INTEGER NOT NULL DEFAULT 0, disabled INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
CREATE TABLE incidents(id INTEGER PRIMARY KEY, at INTEGER NOT NULL, kind TEXT NOT NULL,
  device BLOB NOT NULL, detail TEXT NOT NULL);
)sql";

// Version 2: a device that seals on demand keeps its own committed ops here, each encrypted with
// its scope key, until a peer asks for them (core/FORMATS.md "Unsealed ops").
constexpr const char* kSchemaV2 = R"sql(
CREATE TABLE unsealed(seq INTEGER PRIMARY KEY, scope BLOB NOT NULL, epoch INTEGER NOT NULL,
  hlc INTEGER NOT NULL, box BLOB NOT NULL);
)sql";

Hash32 ToHash(const Bytes& b) {
  Hash32 h{};
  if (b.size() == h.size()) std::memcpy(h.data(), b.data(), h.size());
  return h;
}

}  // namespace

Result<std::unique_ptr<LogStore>> LogStore::Open(const std::string& path, const char* vfs) {
  SHELTER_ASSIGN_OR_RETURN(auto db, Db::Open(path, vfs));
  // WAL + FULL: a committed transaction survives kill -9 and power loss. temp_store=MEMORY keeps
  // sort spills off the disk.
  SHELTER_TRY(
      db->Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
               "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-8192;"));
  std::unique_ptr<LogStore> s(new LogStore(std::move(db)));
  SHELTER_TRY(s->Migrate());
  return s;
}

Status LogStore::Migrate() {
  SHELTER_ASSIGN_OR_RETURN(auto v, db_->QueryInt("PRAGMA user_version"));
  int64_t version = v.value_or(0);
  if (version > kSchemaVersion)
    return MakeError(ErrorCode::kUnsupported, "data directory was written by a newer shelterkit");
  if (version == kSchemaVersion) return Ok();
  SHELTER_ASSIGN_OR_RETURN(auto tables, db_->QueryInt("SELECT count(*) FROM sqlite_master"));
  if (version == 0 && tables.value_or(0) != 0)
    return MakeError(ErrorCode::kCorrupt, "database is not a shelterkit log");
  Transaction tx(*db_);
  SHELTER_TRY(tx.Begin());
  if (version < 1) SHELTER_TRY(db_->Exec(kSchemaV1));
  SHELTER_TRY(db_->Exec(kSchemaV2));
  SHELTER_TRY(db_->Exec("PRAGMA user_version=2"));
  return tx.Commit();
}

// [SECTION] Meta ----------------------------------------------------------------------------------

Result<std::optional<Bytes>> LogStore::GetMeta(std::string_view key) {
  SHELTER_ASSIGN_OR_RETURN(Stmt * st, db_->Prepare("SELECT value FROM meta WHERE key=?"));
  st->Bind(1, key);
  SHELTER_ASSIGN_OR_RETURN(bool row, st->Step());
  std::optional<Bytes> out;
  if (row) out = st->Blob(0);
  st->Reset();
  return out;
}

Status LogStore::PutMeta(std::string_view key, ByteView value) {
  SHELTER_ASSIGN_OR_RETURN(Stmt * st,
                           db_->Prepare("INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)"));
  return st->Bind(1, key).Bind(2, value).Run();
}

Result<std::vector<std::pair<std::string, Bytes>>> LogStore::MetaWithPrefix(
    std::string_view prefix) {
  SHELTER_ASSIGN_OR_RETURN(
      Stmt * st,
      db_->Prepare("SELECT key, value FROM meta WHERE substr(key, 1, ?) = ? ORDER BY key"));
  st->Bind(1, static_cast<int64_t>(prefix.size())).Bind(2, prefix);
  std::vector<std::pair<std::string, Bytes>> out;
  SHELTER_TRY(
      ForEachRow(*st, [&](const Stmt& row) { out.emplace_back(row.Text(0), row.Blob(1)); }));
  return out;
}

// [SECTION] Segments ------------------------------------------------------------------------------

Result<bool> LogStore::PutSegment(const Segment& s) {
  const SegmentHeader& h = s.header;
  SHELTER_ASSIGN_OR_RETURN(Stmt * q,
                           db_->Prepare("SELECT hash FROM segments WHERE device=? AND number=?"));
  q->Bind(1, h.device).Bind(2, static_cast<int64_t>(h.number));
  SHELTER_ASSIGN_OR_RETURN(bool exists, q->Step());
  if (exists) {
    Bytes have = q->Blob(0);
    q->Reset();
    if (have == Bytes(s.hash.begin(), s.hash.end())) return false;
    return MakeError(ErrorCode::kConflict, "device " + h.device.Hex() +
                                               " signed two different segments with number " +
                                               std::to_string(h.number));
  }
  q->Reset();
  SHELTER_ASSIGN_OR_RETURN(
      Stmt * st, db_->Prepare("INSERT INTO segments(device, number, scope, epoch, first_seq, "
                              "op_count, max_hlc, hash, wire) VALUES(?,?,?,?,?,?,?,?,?)"));
  st->Bind(1, h.device)
      .Bind(2, static_cast<int64_t>(h.number))
      .Bind(3, h.scope)
      .Bind(4, static_cast<int64_t>(h.epoch))
      .Bind(5, static_cast<int64_t>(h.first_seq))
      .Bind(6, static_cast<int64_t>(h.op_count))
      .Bind(7, static_cast<int64_t>(h.max_hlc))
      .Bind(8, ByteView(s.hash.data(), s.hash.size()))
      .Bind(9, View(s.wire));
  SHELTER_TRY(st->Run());
  return true;
}

Result<std::optional<SegmentTip>> LogStore::Tip(const Id16& device) {
  SHELTER_ASSIGN_OR_RETURN(
      Stmt * st,
      db_->Prepare("SELECT number, hash, first_seq + op_count - 1, max_hlc FROM segments "
                   "WHERE device=? ORDER BY number DESC LIMIT 1"));
  st->Bind(1, device);
  SHELTER_ASSIGN_OR_RETURN(bool row, st->Step());
  std::optional<SegmentTip> tip;
  if (row)
    tip = SegmentTip{static_cast<uint64_t>(st->Int(0)), ToHash(st->Blob(1)),
                     static_cast<uint64_t>(st->Int(2)), static_cast<Hlc>(st->Int(3))};
  st->Reset();
  return tip;
}

Status LogStore::ForEachSegment(const std::function<Status(const Segment&)>& fn) {
  // A dedicated statement: fn may itself use the cached ones.
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db_->raw(), "SELECT wire FROM segments ORDER BY device, number", -1, &raw,
                         nullptr) != SQLITE_OK)
    return db_->LastError("cannot list segments");
  Stmt st(raw);
  return ForEachRow(st, [&](const Stmt& row) -> Status {
    Bytes wire = row.Blob(0);
    SHELTER_ASSIGN_OR_RETURN(Segment seg, ParseSegment(View(wire)));
    return fn(seg);
  });
}

Result<std::optional<Segment>> LogStore::GetSegment(const Id16& device, uint64_t number) {
  SHELTER_ASSIGN_OR_RETURN(Stmt * st,
                           db_->Prepare("SELECT wire FROM segments WHERE device=? AND number=?"));
  st->Bind(1, device).Bind(2, static_cast<int64_t>(number));
  SHELTER_ASSIGN_OR_RETURN(bool row, st->Step());
  if (!row) return std::optional<Segment>();
  Bytes wire = st->Blob(0);
  st->Reset();
  SHELTER_ASSIGN_OR_RETURN(Segment seg, ParseSegment(View(wire)));
  return std::optional<Segment>(std::move(seg));
}

Result<int64_t> LogStore::SegmentCount() {
  SHELTER_ASSIGN_OR_RETURN(auto n, db_->QueryInt("SELECT count(*) FROM segments"));
  return n.value_or(0);
}

Result<std::map<Id16, uint64_t>> LogStore::LastNumbers() {
  SHELTER_ASSIGN_OR_RETURN(
      Stmt * st, db_->Prepare("SELECT device, max(number) FROM segments GROUP BY device"));
  std::map<Id16, uint64_t> out;
  SHELTER_TRY(ForEachRow(*st, [&](const Stmt& row) {
    if (auto id = Id16::FromBytes(View(row.Blob(0))); id.ok())
      out[*id] = static_cast<uint64_t>(row.Int(1));
  }));
  return out;
}

// [SECTION] Unsealed ------------------------------------------------------------------------------

Status LogStore::PutUnsealed(const UnsealedRow& row) {
  SHELTER_ASSIGN_OR_RETURN(
      Stmt * st,
      db_->Prepare("INSERT INTO unsealed(seq, scope, epoch, hlc, box) VALUES(?,?,?,?,?)"));
  return st->Bind(1, static_cast<int64_t>(row.seq))
      .Bind(2, row.scope)
      .Bind(3, static_cast<int64_t>(row.epoch))
      .Bind(4, static_cast<int64_t>(row.hlc))
      .Bind(5, View(row.box))
      .Run();
}

Result<std::vector<LogStore::UnsealedRow>> LogStore::Unsealed() {
  SHELTER_ASSIGN_OR_RETURN(
      Stmt * st, db_->Prepare("SELECT seq, scope, epoch, hlc, box FROM unsealed ORDER BY seq"));
  std::vector<UnsealedRow> out;
  SHELTER_TRY(ForEachRow(*st, [&](const Stmt& row) -> Status {
    SHELTER_ASSIGN_OR_RETURN(Id16 scope, Id16::FromBytes(View(row.Blob(1))));
    out.push_back({static_cast<uint64_t>(row.Int(0)), scope, static_cast<uint32_t>(row.Int(2)),
                   static_cast<Hlc>(row.Int(3)), row.Blob(4)});
    return Ok();
  }));
  return out;
}

Status LogStore::DeleteUnsealedThrough(uint64_t seq) {
  SHELTER_ASSIGN_OR_RETURN(Stmt * st, db_->Prepare("DELETE FROM unsealed WHERE seq <= ?"));
  return st->Bind(1, static_cast<int64_t>(seq)).Run();
}

Result<LogStore::UnsealedInfo> LogStore::UnsealedSummary() {
  SHELTER_ASSIGN_OR_RETURN(
      Stmt * st, db_->Prepare("SELECT count(*), coalesce(max(seq), 0), coalesce(max(hlc), 0) "
                              "FROM unsealed"));
  SHELTER_ASSIGN_OR_RETURN(bool row, st->Step());
  UnsealedInfo info;
  if (row)
    info = {static_cast<uint64_t>(st->Int(0)), static_cast<uint64_t>(st->Int(1)),
            static_cast<Hlc>(st->Int(2))};
  st->Reset();
  return info;
}

// [SECTION] Keys ----------------------------------------------------------------------------------

Status LogStore::PutDeviceCert(const Id16& device, ByteView signed_cert) {
  SHELTER_ASSIGN_OR_RETURN(Stmt * st,
                           db_->Prepare("INSERT OR REPLACE INTO devices(id, cert) VALUES(?, ?)"));
  return st->Bind(1, device).Bind(2, signed_cert).Run();
}

Result<std::vector<Bytes>> LogStore::DeviceCerts() {
  SHELTER_ASSIGN_OR_RETURN(Stmt * st, db_->Prepare("SELECT cert FROM devices ORDER BY id"));
  std::vector<Bytes> out;
  SHELTER_TRY(ForEachRow(*st, [&](const Stmt& row) { out.push_back(row.Blob(0)); }));
  return out;
}

Result<std::optional<Bytes>> LogStore::DeviceCert(const Id16& device) {
  SHELTER_ASSIGN_OR_RETURN(Stmt * st, db_->Prepare("SELECT cert FROM devices WHERE id=?"));
  st->Bind(1, device);
  SHELTER_ASSIGN_OR_RETURN(bool row, st->Step());
  std::optional<Bytes> out;
  if (row) out = st->Blob(0);
  st->Reset();
  return out;
}

Status LogStore::PutScopeKey(const Id16& scope, uint32_t epoch, ByteView sealed) {
  SHELTER_ASSIGN_OR_RETURN(
      Stmt * st,
      db_->Prepare("INSERT OR REPLACE INTO scope_keys(scope, epoch, sealed) VALUES(?,?,?)"));
  return st->Bind(1, scope).Bind(2, static_cast<int64_t>(epoch)).Bind(3, sealed).Run();
}

Result<std::vector<LogStore::SealedScopeKey>> LogStore::ScopeKeys() {
  SHELTER_ASSIGN_OR_RETURN(
      Stmt * st, db_->Prepare("SELECT scope, epoch, sealed FROM scope_keys ORDER BY 1, 2"));
  std::vector<SealedScopeKey> out;
  SHELTER_TRY(ForEachRow(*st, [&](const Stmt& row) -> Status {
    SHELTER_ASSIGN_OR_RETURN(Id16 scope, Id16::FromBytes(View(row.Blob(0))));
    out.push_back({scope, static_cast<uint32_t>(row.Int(1)), row.Blob(2)});
    return Ok();
  }));
  return out;
}

// [SECTION] Staff ---------------------------------------------------------------------------------

Status LogStore::PutStaff(const StaffRow& r) {
  SHELTER_ASSIGN_OR_RETURN(
      Stmt * st,
      db_->Prepare("INSERT OR REPLACE INTO staff(id, handle, role, kdf_salt, kdf_ops, kdf_mem, "
                   "wrapped_key, failures, locked_until, disabled) VALUES(?,?,?,?,?,?,?,?,?,?)"));
  st->Bind(1, r.id)
      .Bind(2, r.handle)
      .Bind(3, static_cast<int64_t>(r.role))
      .Bind(4, View(r.kdf_salt))
      .Bind(5, r.kdf_ops)
      .Bind(6, r.kdf_mem)
      .Bind(7, View(r.wrapped_key))
      .Bind(8, r.failures)
      .Bind(9, r.locked_until_ms)
      .Bind(10, static_cast<int64_t>(r.disabled));
  return st->Run();
}

static Result<StaffRow> ReadStaff(const Stmt& st) {
  StaffRow r;
  SHELTER_ASSIGN_OR_RETURN(r.id, Id16::FromBytes(View(st.Blob(0))));
  r.handle = st.Text(1);
  r.role = static_cast<int>(st.Int(2));
  r.kdf_salt = st.Blob(3);
  r.kdf_ops = st.Int(4);
  r.kdf_mem = st.Int(5);
  r.wrapped_key = st.Blob(6);
  r.failures = st.Int(7);
  r.locked_until_ms = st.Int(8);
  r.disabled = st.Int(9) != 0;
  return r;
}

constexpr const char* kStaffColumns =
    "SELECT id, handle, role, kdf_salt, kdf_ops, kdf_mem, wrapped_key, failures, locked_until, "
    "disabled FROM staff ";

Result<std::optional<StaffRow>> LogStore::StaffByHandle(std::string_view handle) {
  SHELTER_ASSIGN_OR_RETURN(Stmt * st, db_->Prepare(std::string(kStaffColumns) + "WHERE handle=?"));
  st->Bind(1, handle);
  SHELTER_ASSIGN_OR_RETURN(bool row, st->Step());
  std::optional<StaffRow> out;
  if (row) {
    auto r = ReadStaff(*st);
    st->Reset();
    if (!r.ok()) return r.error();
    out = std::move(r).value();
  }
  st->Reset();
  return out;
}

Result<std::vector<StaffRow>> LogStore::AllStaff() {
  SHELTER_ASSIGN_OR_RETURN(Stmt * st, db_->Prepare(std::string(kStaffColumns) + "ORDER BY handle"));
  std::vector<StaffRow> out;
  SHELTER_TRY(ForEachRow(*st, [&](const Stmt& row) -> Status {
    SHELTER_ASSIGN_OR_RETURN(StaffRow r, ReadStaff(row));
    out.push_back(std::move(r));
    return Ok();
  }));
  return out;
}

// [SECTION] Incidents -----------------------------------------------------------------------------

Status LogStore::RecordIncident(std::string_view kind, const Id16& device,
                                std::string_view detail) {
  SHELTER_ASSIGN_OR_RETURN(
      Stmt * st, db_->Prepare("INSERT INTO incidents(at, kind, device, detail) VALUES(?,?,?,?)"));
  return st->Bind(1, HlcClock::SystemNowMs()).Bind(2, kind).Bind(3, device).Bind(4, detail).Run();
}

Result<std::vector<LogStore::Incident>> LogStore::Incidents() {
  SHELTER_ASSIGN_OR_RETURN(
      Stmt * st, db_->Prepare("SELECT at, kind, device, detail FROM incidents ORDER BY id"));
  std::vector<Incident> out;
  SHELTER_TRY(ForEachRow(*st, [&](const Stmt& row) {
    Incident i{row.Int(0), row.Text(1), {}, row.Text(3)};
    if (auto id = Id16::FromBytes(View(row.Blob(2))); id.ok()) i.device = *id;
    out.push_back(std::move(i));
  }));
  return out;
}

}  // namespace shelter::core
