// A SQLite VFS for tests that wraps the default VFS and can fail the Nth xWrite or xSync.
// Register it with RegisterFaultVfs() and open databases with sqlite3_open_v2(..., "fault").
// Thread-safety: every function here may be called from any thread; the plan and counters are
// process-wide (one VFS per process), so tests that use it must not run in parallel.
#pragma once

namespace shelter::test {

// Registers the "fault" VFS (not as the default) on top of sqlite3_vfs_find(nullptr).
// Idempotent and thread-safe; returns the VFS name, "fault". Aborts if SQLite has no default VFS.
const char* RegisterFaultVfs();

// What to break. Calls are numbered from 1, counting from the last SetFaultPlan(); any value
// below 1 means "never". Writes and syncs are counted over every file the VFS opened (main
// database, WAL, rollback journal, temp files). The -shm wal-index is memory-mapped by the
// wrapped VFS and never goes through xWrite, so it is not counted and cannot be failed.
struct FaultPlan {
  long fail_write_at = -1;  // this xWrite returns SQLITE_IOERR_WRITE and writes nothing
  long fail_sync_at = -1;   // this xSync returns SQLITE_IOERR_FSYNC and syncs nothing
  bool disk_full = false;   // failed writes return SQLITE_FULL instead of SQLITE_IOERR_WRITE
  bool sticky = false;      // the Nth call and every later one fail, like a dead disk
};

// Installs `plan` and resets the counters to zero.
void SetFaultPlan(const FaultPlan& plan);

// Stops injecting; counters keep counting. Same as installing an empty plan without the reset.
void ClearFaults();

struct FaultCounters {
  long writes = 0;    // xWrite calls since the last SetFaultPlan(), failed ones included
  long syncs = 0;     // xSync calls since the last SetFaultPlan(), failed ones included
  long injected = 0;  // calls this VFS failed on purpose
};

FaultCounters GetFaultCounters();

}  // namespace shelter::test
