// Tests for core/base/sqlite_db: statements bind and read every column type, are prepared once
// per connection, SQLite's failures come back as Result codes (a unique key twice is
// kAlreadyExists, a file that is not a database kCorrupt), and a Transaction rolls back unless
// committed.
#include "core/base/sqlite_db.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <string>

#include "tests/support/temp_dir.hpp"

namespace shelter::core {
namespace {

std::unique_ptr<Db> MemoryDb() {
  auto db = Db::Open(":memory:");
  REQUIRE_MESSAGE(db.ok(), db.error().ToString());
  REQUIRE((*db)->Exec("CREATE TABLE t(k INTEGER PRIMARY KEY, s TEXT, b BLOB)").ok());
  return std::move(*db);
}

int64_t Count(Db& db) {
  auto n = db.QueryInt("SELECT count(*) FROM t");
  REQUIRE(n.ok());
  REQUIRE(n->has_value());
  return **n;
}

TEST_CASE("sqlite db: text, blobs, integers and NULL round-trip through a statement") {
  auto db = MemoryDb();
  auto ins = db->Prepare("INSERT INTO t(k, s, b) VALUES (?, ?, ?)");
  REQUIRE(ins.ok());
  std::string text = "山田";
  text.push_back('\0');  // bound by length, so a NUL inside is kept
  text += "花子";
  Bytes blob = {0, 1, 2, 255};
  REQUIRE((*ins)->Bind(1, int64_t{1}).Bind(2, text).Bind(3, View(blob)).Run().ok());
  REQUIRE((*ins)->Bind(1, int64_t{2}).BindNull(2).Bind(3, ByteView()).Run().ok());

  auto sel = db->Prepare("SELECT s, b, typeof(b) FROM t ORDER BY k");
  REQUIRE(sel.ok());
  Stmt& st = **sel;
  CHECK(st.ColumnCount() == 3);
  REQUIRE(*st.Step());
  CHECK(st.Text(0) == text);
  CHECK(st.Blob(1) == blob);
  REQUIRE(*st.Step());
  CHECK(st.IsNull(0));
  CHECK(st.Text(0).empty());
  CHECK(st.Blob(1).empty());
  CHECK(st.Text(2) == "blob");  // an empty blob is a blob, not NULL
  CHECK_FALSE(*st.Step());
}

TEST_CASE("sqlite db: a statement is prepared once and comes back reset") {
  auto db = MemoryDb();
  REQUIRE(db->Exec("INSERT INTO t(k) VALUES (1), (2), (3)").ok());
  auto first = db->Prepare("SELECT k FROM t ORDER BY k");
  REQUIRE(first.ok());
  REQUIRE(*(*first)->Step());
  CHECK((*first)->Int(0) == 1);
  auto again = db->Prepare("SELECT k FROM t ORDER BY k");
  REQUIRE(again.ok());
  CHECK(*again == *first);  // the same cached statement
  REQUIRE(*(*again)->Step());
  CHECK((*again)->Int(0) == 1);  // reset: the first row again
}

TEST_CASE("sqlite db: QueryInt reads one value, nullopt for no row or NULL") {
  auto db = MemoryDb();
  REQUIRE(db->Exec("INSERT INTO t(k, s) VALUES (7, NULL)").ok());
  auto k = db->QueryInt("SELECT k FROM t");
  REQUIRE(k.ok());
  CHECK(*k == std::optional<int64_t>(7));
  auto none = db->QueryInt("SELECT k FROM t WHERE k = 8");
  REQUIRE(none.ok());
  CHECK_FALSE(none->has_value());
  auto null = db->QueryInt("SELECT s FROM t");
  REQUIRE(null.ok());
  CHECK_FALSE(null->has_value());
}

TEST_CASE("sqlite db: SQLite's failures are Result codes without the values") {
  auto db = MemoryDb();
  REQUIRE(db->Exec("INSERT INTO t(k, s) VALUES (1, 'secret name')").ok());
  auto dup = db->Exec("INSERT INTO t(k, s) VALUES (1, 'secret name')");
  REQUIRE_FALSE(dup.ok());
  CHECK(dup.error().code == ErrorCode::kAlreadyExists);
  CHECK(dup.error().detail.find("secret") == std::string::npos);
  auto ins = db->Prepare("INSERT INTO t(k) VALUES (?)");
  REQUIRE(ins.ok());
  auto step = (*ins)->Bind(1, int64_t{1}).Step();
  REQUIRE_FALSE(step.ok());
  CHECK(step.error().code == ErrorCode::kAlreadyExists);
  auto bad_sql = db->Prepare("SELEKT 1");
  REQUIRE_FALSE(bad_sql.ok());
  CHECK(bad_sql.error().code == ErrorCode::kIo);
  CHECK_FALSE(db->Exec("SELECT * FROM missing").ok());
}

TEST_CASE("sqlite db: a file that is not a database is kCorrupt, a missing folder kIo") {
  test::TempDir dir;
  {
    std::ofstream f(dir.Sub("not.db"), std::ios::binary);
    f << std::string(4096, 'x');
  }
  auto db = Db::Open(dir.Sub("not.db"));
  Status s = db.ok() ? (*db)->Exec("SELECT * FROM sqlite_master") : Status(db.error());
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().code == ErrorCode::kCorrupt);
  auto missing = Db::Open(dir.Sub("no/such/folder/x.db"));
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == ErrorCode::kIo);
}

TEST_CASE("sqlite db: a Transaction rolls back unless committed") {
  auto db = MemoryDb();
  {
    Transaction tx(*db);
    REQUIRE(tx.Begin().ok());
    REQUIRE(db->Exec("INSERT INTO t(k) VALUES (1)").ok());
  }  // no Commit: rolled back
  CHECK(Count(*db) == 0);
  {
    Transaction tx(*db);
    REQUIRE(tx.Begin().ok());
    REQUIRE(db->Exec("INSERT INTO t(k) VALUES (2)").ok());
    REQUIRE(tx.Commit().ok());
  }
  CHECK(Count(*db) == 1);
  REQUIRE(db->Begin().ok());
  REQUIRE(db->Exec("INSERT INTO t(k) VALUES (3)").ok());
  db->Rollback();
  CHECK(Count(*db) == 1);
}

TEST_CASE("sqlite db: a database file keeps its rows across connections") {
  test::TempDir dir;
  std::string path = dir.Sub("kept.db");
  {
    auto db = Db::Open(path);
    REQUIRE(db.ok());
    REQUIRE((*db)->Exec("CREATE TABLE t(k INTEGER PRIMARY KEY)").ok());
    REQUIRE((*db)->Exec("INSERT INTO t VALUES (1), (2)").ok());
  }
  auto db = Db::Open(path);
  REQUIRE(db.ok());
  auto n = (*db)->QueryInt("SELECT count(*) FROM t");
  REQUIRE(n.ok());
  CHECK(*n == std::optional<int64_t>(2));
}

}  // namespace
}  // namespace shelter::core
