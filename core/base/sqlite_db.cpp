#include "core/base/sqlite_db.hpp"

#include <map>

#include "core/base/private_file.hpp"

namespace shelter::core {

struct Db::Cache {
  std::map<std::string, Stmt, std::less<>> stmts;
};

Stmt& Stmt::operator=(Stmt&& o) noexcept {
  if (this != &o) {
    if (s_) sqlite3_finalize(s_);
    s_ = o.s_;
    o.s_ = nullptr;
  }
  return *this;
}
Stmt::~Stmt() {
  if (s_) sqlite3_finalize(s_);
}

Stmt& Stmt::Bind(int i, int64_t v) {
  sqlite3_bind_int64(s_, i, v);
  return *this;
}
Stmt& Stmt::Bind(int i, std::string_view text) {
  sqlite3_bind_text(s_, i, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  return *this;
}
Stmt& Stmt::Bind(int i, ByteView blob) {
  // An empty blob must still be a blob, not NULL.
  static const uint8_t kEmpty = 0;
  sqlite3_bind_blob(s_, i, blob.empty() ? &kEmpty : blob.data(), static_cast<int>(blob.size()),
                    SQLITE_TRANSIENT);
  return *this;
}
Stmt& Stmt::BindNull(int i) {
  sqlite3_bind_null(s_, i);
  return *this;
}

static Error SqlError(sqlite3* db, int rc, const char* what) {
  int primary = rc & 0xFF;
  ErrorCode code = (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB) ? ErrorCode::kCorrupt
                   : primary == SQLITE_CONSTRAINT ? ErrorCode::kAlreadyExists
                                                  : ErrorCode::kIo;
  std::string msg = std::string(what) + ": " + sqlite3_errstr(rc);
  if (primary == SQLITE_FULL) msg += " (free some storage, then retry)";
  return MakeError(code, msg);
}

Result<bool> Stmt::Step() {
  int rc = sqlite3_step(s_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  Error e = SqlError(sqlite3_db_handle(s_), rc, "database step failed");
  sqlite3_reset(s_);
  return e;
}

Status Stmt::Run() {
  auto r = Step();
  Reset();
  if (!r.ok()) return r.error();
  return Ok();
}

void Stmt::Reset() {
  sqlite3_reset(s_);
  sqlite3_clear_bindings(s_);
}

std::string Stmt::Text(int col) const {
  auto* p = sqlite3_column_text(s_, col);
  return p ? std::string(reinterpret_cast<const char*>(p), sqlite3_column_bytes(s_, col)) : "";
}

Bytes Stmt::Blob(int col) const {
  auto* p = static_cast<const uint8_t*>(sqlite3_column_blob(s_, col));
  return p ? Bytes(p, p + sqlite3_column_bytes(s_, col)) : Bytes{};
}

Result<std::unique_ptr<Db>> Db::Open(const std::string& path, const char* vfs) {
  // Databases hold keys and personal data: created 0600 before SQLite sees them, so SQLite
  // gives the WAL and SHM files the same mode (it copies the database's permissions).
  if (!path.empty() && path != ":memory:") SHELTER_TRY(PreparePrivateFile(path));
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, vfs);
  if (rc != SQLITE_OK) {
    Error e = SqlError(raw, rc, "cannot open database");
    sqlite3_close(raw);
    return e;
  }
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, 5000);
  std::unique_ptr<Db> db(new Db(raw));
  db->cache_ = std::make_unique<Cache>();
  return db;
}

Db::Db(sqlite3* db) : db_(db) {}

Db::~Db() {
  cache_.reset();  // finalize statements before closing
  sqlite3_close(db_);
}

Error Db::LastError(const char* what) const { return SqlError(db_, sqlite3_errcode(db_), what); }

Status Db::Exec(std::string_view sql) {
  std::string s(sql);
  int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return SqlError(db_, rc, "database statement failed");
  return Ok();
}

Result<Stmt*> Db::Prepare(std::string_view sql) {
  auto it = cache_->stmts.find(sql);
  if (it != cache_->stmts.end()) {
    it->second.Reset();
    return &it->second;
  }
  sqlite3_stmt* s = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &s, nullptr);
  if (rc != SQLITE_OK) return SqlError(db_, rc, "cannot prepare statement");
  auto [pos, _] = cache_->stmts.emplace(std::string(sql), Stmt(s));
  return &pos->second;
}

Result<std::optional<int64_t>> Db::QueryInt(std::string_view sql) {
  SHELTER_ASSIGN_OR_RETURN(Stmt * st, Prepare(sql));
  SHELTER_ASSIGN_OR_RETURN(bool row, st->Step());
  std::optional<int64_t> v;
  if (row && !st->IsNull(0)) v = st->Int(0);
  st->Reset();
  return v;
}

void Db::Rollback() { sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr); }

Status Transaction::Begin() {
  SHELTER_TRY(db_.Begin());
  open_ = true;
  return Ok();
}

Status Transaction::Commit() {
  Status s = db_.Commit();
  if (!s.ok()) return s;  // destructor rolls back
  open_ = false;
  return Ok();
}

Transaction::~Transaction() {
  if (open_) db_.Rollback();
}

}  // namespace shelter::core
