// RAII wrappers over SQLite connections and prepared statements, returning Result instead of codes.
// A Db is used from one thread at a time (SQLite's serialized mode is not relied on).
#pragma once

#include <sqlite3.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/base/bytes.hpp"
#include "core/base/result.hpp"

namespace shelter::core {

class Stmt {
 public:
  Stmt() = default;
  explicit Stmt(sqlite3_stmt* s) : s_(s) {}
  Stmt(Stmt&& o) noexcept : s_(o.s_) { o.s_ = nullptr; }
  Stmt& operator=(Stmt&& o) noexcept;
  ~Stmt();

  // Binders take 1-based indexes; they return *this for chaining.
  Stmt& Bind(int i, int64_t v);
  Stmt& Bind(int i, std::string_view text);
  Stmt& Bind(int i, ByteView blob);
  Stmt& Bind(int i, const Id16& id) { return Bind(i, id.view()); }
  Stmt& BindNull(int i);

  // Returns true while a row is available, false when done; kIo/kCorrupt on failure.
  Result<bool> Step();
  // Runs to completion (for statements that return no rows); resets the statement.
  Status Run();
  void Reset();

  int64_t Int(int col) const { return sqlite3_column_int64(s_, col); }
  std::string Text(int col) const;
  Bytes Blob(int col) const;
  bool IsNull(int col) const { return sqlite3_column_type(s_, col) == SQLITE_NULL; }
  int ColumnCount() const { return sqlite3_column_count(s_); }

 private:
  sqlite3_stmt* s_ = nullptr;
};

class Db {
 public:
  // Opens (creating if needed, mode 0600; its WAL and SHM follow) `path`; ":memory:" for an
  // in-memory database. `vfs` null = default. Returns kIo with SQLite's message (no personal data:
  // paths and codes only).
  static Result<std::unique_ptr<Db>> Open(const std::string& path, const char* vfs = nullptr);
  ~Db();

  Status Exec(std::string_view sql);
  // Returns a statement cached by its SQL text (prepared once per connection).
  Result<Stmt*> Prepare(std::string_view sql);
  // Scalar helpers.
  Result<std::optional<int64_t>> QueryInt(std::string_view sql);
  Status Begin() { return Exec("BEGIN IMMEDIATE"); }
  Status Commit() { return Exec("COMMIT"); }
  void Rollback();

  sqlite3* raw() { return db_; }
  Error LastError(const char* what) const;

 private:
  explicit Db(sqlite3* db);
  sqlite3* db_;
  struct Cache;
  std::unique_ptr<Cache> cache_;
};

// Scope guard that rolls back unless Commit() succeeded.
class Transaction {
 public:
  explicit Transaction(Db& db) : db_(db) {}
  Status Begin();
  Status Commit();
  ~Transaction();

 private:
  Db& db_;
  bool open_ = false;
};

}  // namespace shelter::core
