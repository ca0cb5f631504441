// SqlConn over an embedded SQLite file (core/base/sqlite_db). WAL with synchronous=NORMAL: the HQ
// tables are derived from the op log, which is the durable truth; after a power loss the store's
// tips fall back with its rows and the node re-applies the missing segments from the log.
#include <cstdlib>

#include "core/base/sqlite_db.hpp"
#include "core/base/stmt_rows.hpp"
#include "sync/hq/sql_conn.hpp"

namespace shelter::hq {
namespace {

using core::Db;
using core::ErrorCode;
using core::MakeError;
using core::Ok;
using core::Stmt;

void BindAll(Stmt& st, const std::vector<SqlValue>& params) {
  for (size_t i = 0; i < params.size(); ++i) {
    int idx = static_cast<int>(i + 1);
    if (auto* v = std::get_if<int64_t>(&params[i]))
      st.Bind(idx, *v);
    else if (auto* s = std::get_if<std::string>(&params[i]))
      st.Bind(idx, std::string_view(*s));
    else
      st.BindNull(idx);
  }
}

class SqliteConn : public SqlConn {
 public:
  explicit SqliteConn(std::unique_ptr<Db> db) : db_(std::move(db)) {}
  bool postgres() const override { return false; }
  Status Exec(std::string_view sql) override { return db_->Exec(sql); }

  Result<std::vector<SqlRow>> Query(std::string_view sql,
                                    const std::vector<SqlValue>& params) override {
    SHELTER_ASSIGN_OR_RETURN(Stmt * st, db_->Prepare(sql));
    BindAll(*st, params);
    std::vector<SqlRow> out;
    int cols = st->ColumnCount();
    SHELTER_TRY(core::ForEachRow(*st, [&](const Stmt& row) {
      SqlRow r(cols);
      for (int c = 0; c < cols; ++c)
        if (!row.IsNull(c)) r[c] = row.Text(c);
      out.push_back(std::move(r));
    }));
    return out;
  }

  Status Upsert(const std::string& table, const std::vector<std::string>& columns,
                size_t key_columns, const std::vector<std::vector<SqlValue>>& rows) override {
    if (rows.empty()) return Ok();
    std::string sql = "INSERT INTO " + table + "(";
    std::string vals, keys, sets;
    for (size_t i = 0; i < columns.size(); ++i) {
      sql += (i ? "," : "") + columns[i];
      vals += (i ? ",?" : "?");
      if (i < key_columns)
        keys += (i ? "," : "") + columns[i];
      else
        sets += (sets.empty() ? "" : ",") + columns[i] + "=excluded." + columns[i];
    }
    sql += ") VALUES(" + vals + ") ON CONFLICT(" + keys + ") DO " +
           (sets.empty() ? "NOTHING" : "UPDATE SET " + sets);
    SHELTER_ASSIGN_OR_RETURN(Stmt * st, db_->Prepare(sql));
    for (auto& row : rows) {
      BindAll(*st, row);
      SHELTER_TRY(st->Run());
    }
    return Ok();
  }

  Status Begin() override { return db_->Begin(); }
  Status Commit() override { return db_->Commit(); }
  void Rollback() override { db_->Rollback(); }

 private:
  std::unique_ptr<Db> db_;
};

}  // namespace

Result<std::unique_ptr<SqlConn>> OpenSqlite(const std::string& path) {
  SHELTER_ASSIGN_OR_RETURN(auto db, Db::Open(path));
  SHELTER_TRY(
      db->Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
               "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-262144;"));
  return std::unique_ptr<SqlConn>(new SqliteConn(std::move(db)));
}

Result<std::unique_ptr<SqlConn>> OpenSql(const std::string& url) {
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0)
    return OpenPostgres(url);
  return OpenSqlite(url);
}

Result<std::optional<int64_t>> QueryInt(SqlConn& c, std::string_view sql,
                                        const std::vector<SqlValue>& params) {
  SHELTER_ASSIGN_OR_RETURN(auto rows, c.Query(sql, params));
  if (rows.empty() || rows[0].empty() || !rows[0][0]) return std::optional<int64_t>();
  return std::optional<int64_t>(std::strtoll(rows[0][0]->c_str(), nullptr, 10));
}

}  // namespace shelter::hq
