// The small slice of SQL the headquarters store needs, over SQLite (embedded, the default) or
// PostgreSQL (`postgresql://...`). Values travel as text or integers; ids are lower-case hex text.
// A connection is used from one thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/base/result.hpp"

namespace shelter::hq {

using core::Result;
using core::Status;

using SqlValue = std::variant<std::nullptr_t, int64_t, std::string>;
using SqlRow = std::vector<std::optional<std::string>>;  // nullopt = NULL

class SqlConn {
 public:
  virtual ~SqlConn() = default;
  virtual bool postgres() const = 0;
  // One or more statements without parameters.
  virtual Status Exec(std::string_view sql) = 0;
  // One statement; parameters are $1, $2, ... in order of first use. Every cell comes back as
  // text (integers in decimal). kIo with the database's message on failure.
  virtual Result<std::vector<SqlRow>> Query(std::string_view sql,
                                            const std::vector<SqlValue>& params = {}) = 0;
  // Inserts rows, replacing the non-key columns of rows whose first `key_columns` columns
  // already exist. PostgreSQL streams them with COPY; SQLite binds one prepared statement.
  virtual Status Upsert(const std::string& table, const std::vector<std::string>& columns,
                        size_t key_columns, const std::vector<std::vector<SqlValue>>& rows) = 0;
  virtual Status Begin() = 0;
  virtual Status Commit() = 0;
  virtual void Rollback() = 0;
};

// "postgresql://..." or "postgres://..." opens PostgreSQL; anything else is a SQLite file path.
// kIo when the server or file cannot be opened.
Result<std::unique_ptr<SqlConn>> OpenSql(const std::string& url);
Result<std::unique_ptr<SqlConn>> OpenSqlite(const std::string& path);
Result<std::unique_ptr<SqlConn>> OpenPostgres(const std::string& url);

// Convenience: the first cell of the first row as an integer (nullopt when no row or NULL).
Result<std::optional<int64_t>> QueryInt(SqlConn& c, std::string_view sql,
                                        const std::vector<SqlValue>& params = {});

}  // namespace shelter::hq
