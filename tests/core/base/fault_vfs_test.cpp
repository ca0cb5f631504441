// Specifies tests/support/fault_vfs, with the SQLite promise core/base/sqlite_db relies on.
// Tests for the fault VFS, and SQLite's own promise on top of it: a commit that hits a failed
// write or fsync loses no earlier committed row, leaves no half transaction, and passes
// integrity_check — on the same connection, on a second one, after reopening, and in a copy of
// the files taken right after the failure (a process crash without power loss).
//
// [SECTION] Helpers       temp dir, connection, row contents, database check
// [SECTION] Scenarios     WAL appending, WAL restarting, rollback journal
// [SECTION] The VFS itself
// [SECTION] Failed writes and fsyncs during a commit
#include "tests/support/fault_vfs.hpp"
#include "tests/support/temp_dir.hpp"

#include <doctest/doctest.h>
#include <sqlite3.h>

#include <cstddef>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace shelter::test {
namespace {

namespace fs = std::filesystem;

// [SECTION] Helpers

using shelter::test::TempDir;

struct StmtDeleter {
  void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
};
using Stmt = std::unique_ptr<sqlite3_stmt, StmtDeleter>;

// One connection through the fault VFS, synchronous=FULL, extended result codes on.
class Db {
 public:
  static Db Open(const fs::path& file) {
    Db db;
    const int rc = sqlite3_open_v2(file.c_str(), &db.db_,
                                   SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, RegisterFaultVfs());
    REQUIRE_MESSAGE(rc == SQLITE_OK, "open " << file << ": " << sqlite3_errstr(rc));
    sqlite3_extended_result_codes(db.db_, 1);
    sqlite3_busy_timeout(db.db_, 2000);
    REQUIRE(db.Exec("PRAGMA synchronous=FULL") == SQLITE_OK);
    return db;
  }
  Db(Db&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}
  Db& operator=(Db&&) = delete;
  ~Db() { Close(); }

  void Close() {
    if (db_ != nullptr) CHECK(sqlite3_close(db_) == SQLITE_OK);
    db_ = nullptr;
  }
  sqlite3* get() const { return db_; }
  int Exec(const std::string& sql) {
    return sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr);
  }
  Stmt Prepare(const char* sql) {
    sqlite3_stmt* stmt = nullptr;
    const int rc = sqlite3_prepare_v2(db_, sql, -1, &stmt, nullptr);
    REQUIRE_MESSAGE(rc == SQLITE_OK, sql << ": " << sqlite3_errmsg(db_));
    return Stmt(stmt);
  }
  // First column of the first row as text; "<error ...>" when the query fails.
  std::string QueryText(const char* sql) {
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db_, sql, -1, &raw, nullptr) != SQLITE_OK) return Error();
    Stmt stmt(raw);
    const int rc = sqlite3_step(raw);
    if (rc == SQLITE_ROW) return reinterpret_cast<const char*>(sqlite3_column_text(raw, 0));
    return rc == SQLITE_DONE ? "<no row>" : Error();
  }

 private:
  Db() = default;
  std::string Error() const { return std::string("<error ") + sqlite3_errmsg(db_) + ">"; }
  sqlite3* db_ = nullptr;
};

// Rows 1..40 are committed before any fault, 10 per transaction. The transaction under test
// ("victim") inserts rows 1001..1030, enough to touch several table and index pages.
constexpr int kBaselineCommits = 4;
constexpr int kRowsPerBaselineCommit = 10;
constexpr int kBaselineRows = kBaselineCommits * kRowsPerBaselineCommit;
constexpr int kVictimFirstId = 1001;
constexpr int kVictimRows = 30;

std::string Tag(int id) { return "tag-" + std::to_string(id % 7) + "-" + std::to_string(id); }
std::string Body(int id) {
  std::string body;
  while (body.size() < 300) body += "row " + std::to_string(id) + ";";
  return body;
}

// Inserts rows [first_id, first_id + count) in one transaction. Returns SQLITE_OK or the
// extended code of the first failure, after rolling back as an application would.
int InsertRows(Db& db, int first_id, int count) {
  if (const int rc = db.Exec("BEGIN"); rc != SQLITE_OK) return rc;
  Stmt insert = db.Prepare("INSERT INTO item(id, tag, body) VALUES(?1, ?2, ?3)");
  int rc = SQLITE_OK;
  for (int id = first_id; id < first_id + count && rc == SQLITE_OK; ++id) {
    const std::string tag = Tag(id);
    const std::string body = Body(id);
    sqlite3_bind_int(insert.get(), 1, id);
    sqlite3_bind_text(insert.get(), 2, tag.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(insert.get(), 3, body.c_str(), -1, SQLITE_TRANSIENT);
    rc = sqlite3_step(insert.get());
    if (rc == SQLITE_DONE) rc = SQLITE_OK;
    sqlite3_reset(insert.get());
  }
  insert.reset();
  if (rc == SQLITE_OK) rc = db.Exec("COMMIT");
  if (rc != SQLITE_OK && sqlite3_get_autocommit(db.get()) == 0) db.Exec("ROLLBACK");
  return rc;
}

enum class Victim { kAbsent, kPresent, kAllOrNothing };

// Returns "" when `db` passes integrity_check, holds every baseline row unchanged, and holds the
// victim rows as `expect` says; otherwise a description of the first problem.
std::string CheckDatabase(Db& db, Victim expect) {
  if (std::string integrity = db.QueryText("PRAGMA integrity_check"); integrity != "ok") {
    return "integrity_check: " + integrity;
  }
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db.get(), "SELECT id, tag, body FROM item ORDER BY id", -1, &raw,
                         nullptr) != SQLITE_OK) {
    return std::string("reading rows: ") + sqlite3_errmsg(db.get());
  }
  Stmt rows(raw);
  int next_baseline = 1;
  int victims = 0;
  int rc;
  while ((rc = sqlite3_step(rows.get())) == SQLITE_ROW) {
    const int id = sqlite3_column_int(rows.get(), 0);
    const std::string tag = reinterpret_cast<const char*>(sqlite3_column_text(rows.get(), 1));
    const std::string body = reinterpret_cast<const char*>(sqlite3_column_text(rows.get(), 2));
    const bool is_victim = id >= kVictimFirstId && id < kVictimFirstId + kVictimRows;
    if (!is_victim && id != next_baseline) {
      return "expected baseline row " + std::to_string(next_baseline) + ", found " +
             std::to_string(id);
    }
    if (tag != Tag(id) || body != Body(id)) return "row " + std::to_string(id) + " changed";
    is_victim ? ++victims : ++next_baseline;
  }
  if (rc != SQLITE_DONE) return std::string("reading rows: ") + sqlite3_errmsg(db.get());
  if (next_baseline != kBaselineRows + 1) {
    return "only " + std::to_string(next_baseline - 1) + " baseline rows";
  }
  const bool ok = (expect == Victim::kAbsent && victims == 0) ||
                  (expect == Victim::kPresent && victims == kVictimRows) ||
                  (expect == Victim::kAllOrNothing && (victims == 0 || victims == kVictimRows));
  return ok ? "" : std::to_string(victims) + " of the failed transaction's rows present";
}

// Copies the database and its journal or WAL as they are now: what a process that died at this
// moment leaves behind (the page cache survives; no power loss). The -shm is rebuilt on open.
fs::path SnapshotAfterCrash(const fs::path& file, const fs::path& copy) {
  for (const char* suffix : {"", "-wal", "-journal"}) {
    const fs::path from = file.string() + suffix;
    if (fs::exists(from)) fs::copy_file(from, copy.string() + suffix);
  }
  return copy;
}

// [SECTION] Scenarios

struct Scenario {
  const char* name;
  const char* journal_mode;
  bool restart_wal;  // checkpoint and truncate the WAL first: the victim writes a new WAL header
};

constexpr Scenario kWalAppend{"WAL, appending", "wal", false};
constexpr Scenario kWalRestart{"WAL, first commit after a truncating checkpoint", "wal", true};
constexpr Scenario kRollbackJournal{"rollback journal (DELETE)", "delete", false};
constexpr Scenario kScenarios[] = {kWalAppend, kWalRestart, kRollbackJournal};

Db SetUpDatabase(const fs::path& file, const Scenario& scenario) {
  Db db = Db::Open(file);
  REQUIRE(db.QueryText((std::string("PRAGMA journal_mode=") + scenario.journal_mode).c_str()) ==
          scenario.journal_mode);
  REQUIRE(db.Exec("CREATE TABLE item(id INTEGER PRIMARY KEY, tag TEXT NOT NULL, body TEXT NOT "
                  "NULL); CREATE INDEX item_tag ON item(tag);") == SQLITE_OK);
  for (int commit = 0; commit < kBaselineCommits; ++commit) {
    REQUIRE(InsertRows(db, 1 + commit * kRowsPerBaselineCommit, kRowsPerBaselineCommit) ==
            SQLITE_OK);
  }
  if (scenario.restart_wal) {
    REQUIRE(db.QueryText("PRAGMA wal_checkpoint(TRUNCATE)") == "0");  // 0 = not busy
  }
  return db;
}

// How many writes and syncs the victim transaction makes, from BEGIN to COMMIT, with no fault.
FaultCounters MeasureVictimCommit(const Scenario& scenario) {
  TempDir dir;
  Db db = SetUpDatabase(dir.path() / "measure.db", scenario);
  SetFaultPlan(FaultPlan{});
  REQUIRE(InsertRows(db, kVictimFirstId, kVictimRows) == SQLITE_OK);
  return GetFaultCounters();
}

// Runs the victim transaction under `plan` on a fresh database and checks everything the file
// comment promises. `after_crash` is what the crash snapshot may hold of the victim.
void RunFaultCase(const Scenario& scenario, const FaultPlan& plan, int expected_code,
                  Victim after_crash) {
  TempDir dir;
  const fs::path file = dir.path() / "shelter.db";
  Db db = SetUpDatabase(file, scenario);

  SetFaultPlan(plan);
  const int rc = InsertRows(db, kVictimFirstId, kVictimRows);
  const FaultCounters counters = GetFaultCounters();
  const fs::path crashed_file = SnapshotAfterCrash(file, dir.path() / "crashed.db");
  ClearFaults();

  REQUIRE(counters.injected >= 1);
  if (!plan.sticky) CHECK(counters.injected == 1);
  CHECK_MESSAGE(rc == expected_code, "got " << sqlite3_errstr(rc) << " (" << rc << ")");

  CHECK(CheckDatabase(db, Victim::kAbsent) == "");  // the connection that saw the error
  {
    Db other = Db::Open(file);  // a second connection while the first is still open
    CHECK(CheckDatabase(other, Victim::kAbsent) == "");
  }
  db.Close();
  {
    Db reopened = Db::Open(file);
    CHECK(CheckDatabase(reopened, Victim::kAbsent) == "");
    // Still writable: retrying the same transaction now succeeds.
    CHECK(InsertRows(reopened, kVictimFirstId, kVictimRows) == SQLITE_OK);
    CHECK(CheckDatabase(reopened, Victim::kPresent) == "");
  }
  Db crashed = Db::Open(crashed_file);
  CHECK(CheckDatabase(crashed, after_crash) == "");
}

bool IsWal(const Scenario& scenario) { return std::string(scenario.journal_mode) == "wal"; }

// [SECTION] The VFS itself

// A raw file opened through a VFS, for calling io methods directly.
class RawFile {
 public:
  explicit RawFile(sqlite3_vfs* vfs) : vfs_(vfs), storage_(AlignedWords(vfs->szOsFile)) {
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_EXCLUSIVE |
                      SQLITE_OPEN_DELETEONCLOSE | SQLITE_OPEN_TEMP_JOURNAL;
    REQUIRE(vfs_->xOpen(vfs_, nullptr, file(), flags, nullptr) == SQLITE_OK);
  }
  ~RawFile() {
    if (file()->pMethods != nullptr) file()->pMethods->xClose(file());
  }
  RawFile(const RawFile&) = delete;
  RawFile& operator=(const RawFile&) = delete;

  sqlite3_file* file() { return reinterpret_cast<sqlite3_file*>(storage_.data()); }
  const sqlite3_io_methods& methods() { return *file()->pMethods; }
  int Write(const std::string& bytes, sqlite3_int64 offset) {
    return methods().xWrite(file(), bytes.data(), static_cast<int>(bytes.size()), offset);
  }
  int Sync() { return methods().xSync(file(), SQLITE_SYNC_NORMAL); }
  std::string Read(int size, sqlite3_int64 offset) {
    std::string out(static_cast<size_t>(size), '\0');
    const int rc = methods().xRead(file(), out.data(), size, offset);
    return rc == SQLITE_OK ? out : "<rc " + std::to_string(rc) + ">";
  }

 private:
  static std::vector<std::max_align_t> AlignedWords(int bytes) {
    return std::vector<std::max_align_t>(static_cast<size_t>(bytes) / sizeof(std::max_align_t) + 1);
  }
  sqlite3_vfs* vfs_;
  std::vector<std::max_align_t> storage_;
};

TEST_CASE("fault vfs registers once, under its own name, and is not the default") {
  sqlite3_vfs* const original_default = sqlite3_vfs_find(nullptr);
  CHECK(std::string(RegisterFaultVfs()) == "fault");
  CHECK(std::string(RegisterFaultVfs()) == "fault");
  sqlite3_vfs* fault = sqlite3_vfs_find("fault");
  REQUIRE(fault != nullptr);
  CHECK(sqlite3_vfs_find(nullptr) == original_default);
  CHECK(fault->szOsFile > original_default->szOsFile);
  CHECK(fault->iVersion == original_default->iVersion);
}

TEST_CASE("fault vfs passes calls through, mirrors io_methods versions, and counts") {
  RegisterFaultVfs();
  RawFile plain(sqlite3_vfs_find(nullptr));
  RawFile faulty(sqlite3_vfs_find("fault"));
  CHECK(faulty.methods().iVersion == plain.methods().iVersion);
  CHECK((faulty.methods().xShmMap != nullptr) == (plain.methods().xShmMap != nullptr));
  CHECK((faulty.methods().xFetch != nullptr) == (plain.methods().xFetch != nullptr));

  SetFaultPlan(FaultPlan{});
  CHECK(faulty.Write("abcd", 0) == SQLITE_OK);
  CHECK(faulty.Write("efgh", 4) == SQLITE_OK);
  CHECK(faulty.Sync() == SQLITE_OK);
  CHECK(faulty.Read(8, 0) == "abcdefgh");
  FaultCounters counters = GetFaultCounters();
  CHECK(counters.writes == 2);
  CHECK(counters.syncs == 1);
  CHECK(counters.injected == 0);
}

TEST_CASE("fault vfs fails exactly the planned call") {
  RegisterFaultVfs();
  RawFile file(sqlite3_vfs_find("fault"));

  SUBCASE("the Nth write, once, without touching the file") {
    SetFaultPlan(FaultPlan{.fail_write_at = 2});
    CHECK(file.Write("aaaa", 0) == SQLITE_OK);
    CHECK(file.Write("bbbb", 0) == SQLITE_IOERR_WRITE);
    CHECK(file.Read(4, 0) == "aaaa");
    CHECK(file.Write("cccc", 0) == SQLITE_OK);
    CHECK(file.Sync() == SQLITE_OK);
    CHECK(GetFaultCounters().injected == 1);
  }
  SUBCASE("disk full reports SQLITE_FULL") {
    SetFaultPlan(FaultPlan{.fail_write_at = 1, .disk_full = true});
    CHECK(file.Write("aaaa", 0) == SQLITE_FULL);
  }
  SUBCASE("the Nth sync") {
    SetFaultPlan(FaultPlan{.fail_sync_at = 2});
    CHECK(file.Sync() == SQLITE_OK);
    CHECK(file.Sync() == SQLITE_IOERR_FSYNC);
    CHECK(file.Sync() == SQLITE_OK);
    CHECK(file.Write("aaaa", 0) == SQLITE_OK);
  }
  SUBCASE("sticky: the Nth call and every later one, until cleared") {
    SetFaultPlan(FaultPlan{.fail_write_at = 2, .fail_sync_at = 1, .sticky = true});
    CHECK(file.Write("aaaa", 0) == SQLITE_OK);
    CHECK(file.Write("bbbb", 0) == SQLITE_IOERR_WRITE);
    CHECK(file.Write("cccc", 0) == SQLITE_IOERR_WRITE);
    CHECK(file.Sync() == SQLITE_IOERR_FSYNC);
    CHECK(file.Sync() == SQLITE_IOERR_FSYNC);
    ClearFaults();
    CHECK(file.Write("dddd", 0) == SQLITE_OK);
    CHECK(file.Sync() == SQLITE_OK);
    const FaultCounters counters = GetFaultCounters();  // ClearFaults keeps counting
    CHECK(counters.writes == 4);
    CHECK(counters.syncs == 3);
    CHECK(counters.injected == 4);
  }
  SUBCASE("zero or negative means never") {
    SetFaultPlan(FaultPlan{.fail_write_at = 0, .fail_sync_at = -3, .sticky = true});
    CHECK(file.Write("aaaa", 0) == SQLITE_OK);
    CHECK(file.Sync() == SQLITE_OK);
  }
  ClearFaults();
}

// Pins down what the loops below iterate over (SQLite 3.40, unix VFS, 4 KiB pages, one table
// plus one index). If an upgrade changes these, the loops still cover every call; update this.
TEST_CASE("fault vfs sees the expected writes and syncs per commit") {
  const FaultCounters append = MeasureVictimCommit(kWalAppend);
  const FaultCounters restart = MeasureVictimCommit(kWalRestart);
  const FaultCounters rollback = MeasureVictimCommit(kRollbackJournal);
  MESSAGE("writes/syncs per commit: WAL append "
          << append.writes << "/" << append.syncs << ", WAL restart " << restart.writes << "/"
          << restart.syncs << ", rollback journal " << rollback.writes << "/" << rollback.syncs);
  // WAL: each frame is two writes (24-byte frame header, then the page); one fsync at commit.
  CHECK(append.writes % 2 == 0);
  CHECK(append.syncs == 1);
  // A restarted WAL first writes its 32-byte header and fsyncs it on its own.
  CHECK(restart.writes == append.writes + 1);
  CHECK(restart.syncs == 2);
  // Rollback journal: journal fsync, journal header rewrite + fsync, database fsync.
  CHECK(rollback.syncs == 3);
}

// [SECTION] Failed writes and fsyncs during a commit

TEST_CASE("a failed write anywhere in a commit loses no committed row") {
  RegisterFaultVfs();
  for (const Scenario& scenario : kScenarios) {
    const std::string label = scenario.name;
    INFO("scenario: " << label);
    const long writes = MeasureVictimCommit(scenario).writes;
    for (long n = 1; n <= writes; ++n) {
      CAPTURE(n);
      RunFaultCase(scenario, FaultPlan{.fail_write_at = n}, SQLITE_IOERR_WRITE, Victim::kAbsent);
    }
  }
}

TEST_CASE("a full disk anywhere in a commit reports SQLITE_FULL and loses no committed row") {
  RegisterFaultVfs();
  for (const Scenario& scenario : kScenarios) {
    const std::string label = scenario.name;
    INFO("scenario: " << label);
    const long writes = MeasureVictimCommit(scenario).writes;
    for (long n = 1; n <= writes; ++n) {
      CAPTURE(n);
      RunFaultCase(scenario, FaultPlan{.fail_write_at = n, .disk_full = true, .sticky = true},
                   SQLITE_FULL, Victim::kAbsent);
    }
  }
}

TEST_CASE("a disk that dies mid-commit loses no committed row") {
  RegisterFaultVfs();
  for (const Scenario& scenario : kScenarios) {
    const std::string label = scenario.name;
    INFO("scenario: " << label);
    const long writes = MeasureVictimCommit(scenario).writes;
    for (long n = 1; n <= writes; ++n) {
      CAPTURE(n);
      RunFaultCase(scenario, FaultPlan{.fail_write_at = n, .sticky = true}, SQLITE_IOERR_WRITE,
                   Victim::kAbsent);
    }
  }
}

TEST_CASE("a failed fsync anywhere in a commit loses no committed row") {
  RegisterFaultVfs();
  for (const bool sticky : {false, true}) {
    for (const Scenario& scenario : kScenarios) {
      const std::string label = std::string(scenario.name) + (sticky ? ", sticky" : "");
      INFO("scenario: " << label);
      const long syncs = MeasureVictimCommit(scenario).syncs;
      for (long n = 1; n <= syncs; ++n) {
        CAPTURE(n);
        // In WAL mode every frame is already in the file when the commit fsync fails; a
        // crash before SQLite rewrites the WAL can bring the transaction back (see below).
        RunFaultCase(scenario, FaultPlan{.fail_sync_at = n, .sticky = sticky}, SQLITE_IOERR_FSYNC,
                     IsWal(scenario) ? Victim::kAllOrNothing : Victim::kAbsent);
      }
    }
  }
}

// The error the application sees from a WAL commit whose fsync failed means "unknown", not "not
// written": the commit frame is in the WAL, and WAL recovery after a crash replays it. Callers
// must make retries idempotent (same op id) rather than assume the write is gone.
TEST_CASE("a WAL commit whose fsync failed comes back after a crash") {
  RegisterFaultVfs();
  for (const Scenario& scenario : {kWalAppend, kWalRestart}) {
    const std::string label = scenario.name;
    INFO("scenario: " << label);
    const long last_sync = MeasureVictimCommit(scenario).syncs;
    RunFaultCase(scenario, FaultPlan{.fail_sync_at = last_sync}, SQLITE_IOERR_FSYNC,
                 Victim::kPresent);
  }
}

}  // namespace
}  // namespace shelter::test
