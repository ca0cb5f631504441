// SqlConn over libpq. Parameters go as text; Upsert streams rows into a temporary table with
// COPY and merges them with one INSERT ... ON CONFLICT, so a batch costs a few round trips.
// synchronous_commit stays on: a committed batch is on the server's disk.
#include <libpq-fe.h>

#include <cstdlib>
#include <map>

#include "sync/hq/sql_conn.hpp"

namespace shelter::hq {
namespace {

using core::ErrorCode;
using core::MakeError;
using core::Ok;

// libpq messages carry SQL states and object names, not row values (we send values as
// parameters or COPY data, which the server does not echo in errors for these statements).
core::Error PgError(PGconn* c, const char* what) {
  std::string msg = PQerrorMessage(c);
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  return MakeError(ErrorCode::kIo, std::string("postgresql: ") + what + ": " + msg);
}

void AppendCopyField(std::string& out, const SqlValue& v) {
  if (std::holds_alternative<std::nullptr_t>(v)) {
    out += "\\N";
  } else if (auto* i = std::get_if<int64_t>(&v)) {
    out += std::to_string(*i);
  } else {
    for (char c : std::get<std::string>(v)) {
      switch (c) {
        case '\\': out += "\\\\"; break;
        case '\t': out += "\\t"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        default: out += c;
      }
    }
  }
}

class PgConn : public SqlConn {
 public:
  explicit PgConn(PGconn* c) : c_(c) {}
  ~PgConn() override { PQfinish(c_); }
  bool postgres() const override { return true; }

  Status Exec(std::string_view sql) override {
    PGresult* r = PQexec(c_, std::string(sql).c_str());
    auto st = PQresultStatus(r);
    PQclear(r);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) return PgError(c_, "exec");
    return Ok();
  }

  Result<std::vector<SqlRow>> Query(std::string_view sql,
                                    const std::vector<SqlValue>& params) override {
    std::vector<std::string> text(params.size());
    std::vector<const char*> values(params.size());
    for (size_t i = 0; i < params.size(); ++i) {
      if (auto* v = std::get_if<int64_t>(&params[i]))
        text[i] = std::to_string(*v);
      else if (auto* s = std::get_if<std::string>(&params[i]))
        text[i] = *s;
      values[i] = std::holds_alternative<std::nullptr_t>(params[i]) ? nullptr : text[i].c_str();
    }
    PGresult* r = PQexecParams(c_, std::string(sql).c_str(), static_cast<int>(params.size()),
                               nullptr, values.data(), nullptr, nullptr, 0);
    auto st = PQresultStatus(r);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
      PQclear(r);
      return PgError(c_, "query");
    }
    std::vector<SqlRow> out(PQntuples(r));
    int cols = PQnfields(r);
    for (int i = 0; i < static_cast<int>(out.size()); ++i) {
      out[i].resize(cols);
      for (int c = 0; c < cols; ++c)
        if (!PQgetisnull(r, i, c))
          out[i][c] = std::string(PQgetvalue(r, i, c), PQgetlength(r, i, c));
    }
    PQclear(r);
    return out;
  }

  Status Upsert(const std::string& table, const std::vector<std::string>& columns,
                size_t key_columns, const std::vector<std::vector<SqlValue>>& rows) override {
    if (rows.empty()) return Ok();
    std::string staging = "staging_" + table;
    std::string cols, keys, sets;
    for (size_t i = 0; i < columns.size(); ++i) {
      cols += (i ? "," : "") + columns[i];
      if (i < key_columns)
        keys += (i ? "," : "") + columns[i];
      else
        sets += (sets.empty() ? "" : ",") + columns[i] + "=excluded." + columns[i];
    }
    if (!staged_[table]) {
      SHELTER_TRY(Exec("CREATE TEMP TABLE IF NOT EXISTS " + staging + " (LIKE " + table +
                       " INCLUDING DEFAULTS) ON COMMIT DELETE ROWS"));
      staged_[table] = true;
    }
    PGresult* r = PQexec(c_, ("COPY " + staging + "(" + cols + ") FROM STDIN").c_str());
    bool copy_in = PQresultStatus(r) == PGRES_COPY_IN;
    PQclear(r);
    if (!copy_in) return PgError(c_, "copy");
    std::string buf;
    for (auto& row : rows) {
      for (size_t i = 0; i < row.size(); ++i) {
        if (i) buf += '\t';
        AppendCopyField(buf, row[i]);
      }
      buf += '\n';
      if (buf.size() > (1 << 20)) {
        if (PQputCopyData(c_, buf.data(), static_cast<int>(buf.size())) != 1)
          return PgError(c_, "copy data");
        buf.clear();
      }
    }
    if (!buf.empty() && PQputCopyData(c_, buf.data(), static_cast<int>(buf.size())) != 1)
      return PgError(c_, "copy data");
    if (PQputCopyEnd(c_, nullptr) != 1) return PgError(c_, "copy end");
    bool failed = false;
    while ((r = PQgetResult(c_)) != nullptr) {
      if (PQresultStatus(r) != PGRES_COMMAND_OK) failed = true;
      PQclear(r);
    }
    if (failed) return PgError(c_, "copy");
    // REQUIRES: one row per key in a batch (the store writes each dirty record once).
    return Exec("INSERT INTO " + table + "(" + cols + ") SELECT " + cols + " FROM " + staging +
                " ON CONFLICT(" + keys + ") DO " +
                (sets.empty() ? "NOTHING" : "UPDATE SET " + sets) + "; TRUNCATE " + staging);
  }

  Status Begin() override { return Exec("BEGIN"); }
  Status Commit() override { return Exec("COMMIT"); }
  void Rollback() override { (void)Exec("ROLLBACK"); }

 private:
  PGconn* c_;
  std::map<std::string, bool> staged_;
};

}  // namespace

Result<std::unique_ptr<SqlConn>> OpenPostgres(const std::string& url) {
  PGconn* c = PQconnectdb(url.c_str());
  if (PQstatus(c) != CONNECTION_OK) {
    core::Error e = PgError(c, "cannot connect");
    PQfinish(c);
    return e;
  }
  PGresult* r = PQexec(c, "SET client_min_messages = warning");
  PQclear(r);
  return std::unique_ptr<SqlConn>(new PgConn(c));
}

}  // namespace shelter::hq
