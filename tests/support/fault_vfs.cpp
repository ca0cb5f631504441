// The "fault" VFS: a shim over the default VFS that counts and fails xWrite/xSync.
//
// [SECTION] Plan and counters   process-wide state, one mutex
// [SECTION] File methods        pass-through io_methods, one table per table of the base VFS
// [SECTION] VFS methods         xOpen wraps the file; everything else forwards to the base VFS
// [SECTION] Public API
//
// Layout of a file opened through this VFS (SQLite allocates szOsFile bytes, 8-byte aligned):
//   [ FaultFile header | padding to 8 | the base VFS's sqlite3_file (base->szOsFile bytes) ]
// The header's pMethods points at a table that mirrors the wrapped file's: same iVersion, and an
// entry is null exactly where the wrapped one is, so SQLite makes the same decisions (WAL or
// not, mmap or not) as it would without us.
#include "tests/support/fault_vfs.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

namespace shelter::test {
namespace {

constexpr const char* kVfsName = "fault";

// [SECTION] Plan and counters
// A VFS registration is process-global in SQLite, so the plan it obeys is too.

struct FaultState {
  std::mutex mu;
  FaultPlan plan;
  FaultCounters counters;
};

FaultState& State() {
  static FaultState state;
  return state;
}

enum class Op { kWrite, kSync };

// Counts one call. Returns the error to inject, or SQLITE_OK to pass the call through.
int CountAndDecide(Op op) {
  FaultState& s = State();
  std::lock_guard<std::mutex> lock(s.mu);
  const long n = op == Op::kWrite ? ++s.counters.writes : ++s.counters.syncs;
  const long at = op == Op::kWrite ? s.plan.fail_write_at : s.plan.fail_sync_at;
  const bool fail = at >= 1 && (n == at || (s.plan.sticky && n > at));
  if (!fail) return SQLITE_OK;
  ++s.counters.injected;
  if (op == Op::kSync) return SQLITE_IOERR_FSYNC;
  return s.plan.disk_full ? SQLITE_FULL : SQLITE_IOERR_WRITE;
}

// [SECTION] File methods

struct FaultFile {
  sqlite3_file base;   // first member: SQLite only ever sees this
  sqlite3_file* real;  // the wrapped file, stored right after this header
};

constexpr int kHeaderSize = static_cast<int>((sizeof(FaultFile) + 7) & ~size_t{7});

sqlite3_file* Real(sqlite3_file* file) { return reinterpret_cast<FaultFile*>(file)->real; }
const sqlite3_io_methods* RealMethods(sqlite3_file* file) { return Real(file)->pMethods; }

int Close(sqlite3_file* file) {
  sqlite3_file* real = Real(file);
  if (real->pMethods == nullptr) return SQLITE_OK;
  const int rc = real->pMethods->xClose(real);
  real->pMethods = nullptr;
  return rc;
}

int Read(sqlite3_file* file, void* buf, int amount, sqlite3_int64 offset) {
  return RealMethods(file)->xRead(Real(file), buf, amount, offset);
}

int Write(sqlite3_file* file, const void* buf, int amount, sqlite3_int64 offset) {
  if (const int rc = CountAndDecide(Op::kWrite); rc != SQLITE_OK) return rc;
  return RealMethods(file)->xWrite(Real(file), buf, amount, offset);
}

int Truncate(sqlite3_file* file, sqlite3_int64 size) {
  return RealMethods(file)->xTruncate(Real(file), size);
}

int Sync(sqlite3_file* file, int flags) {
  if (const int rc = CountAndDecide(Op::kSync); rc != SQLITE_OK) return rc;
  return RealMethods(file)->xSync(Real(file), flags);
}

int FileSize(sqlite3_file* file, sqlite3_int64* size) {
  return RealMethods(file)->xFileSize(Real(file), size);
}

int Lock(sqlite3_file* file, int level) { return RealMethods(file)->xLock(Real(file), level); }
int Unlock(sqlite3_file* file, int level) { return RealMethods(file)->xUnlock(Real(file), level); }

int CheckReservedLock(sqlite3_file* file, int* out) {
  return RealMethods(file)->xCheckReservedLock(Real(file), out);
}

int FileControl(sqlite3_file* file, int op, void* arg) {
  return RealMethods(file)->xFileControl(Real(file), op, arg);
}

int SectorSize(sqlite3_file* file) { return RealMethods(file)->xSectorSize(Real(file)); }

int DeviceCharacteristics(sqlite3_file* file) {
  return RealMethods(file)->xDeviceCharacteristics(Real(file));
}

int ShmMap(sqlite3_file* file, int page, int page_size, int extend, void volatile** out) {
  return RealMethods(file)->xShmMap(Real(file), page, page_size, extend, out);
}

int ShmLock(sqlite3_file* file, int offset, int n, int flags) {
  return RealMethods(file)->xShmLock(Real(file), offset, n, flags);
}

void ShmBarrier(sqlite3_file* file) { RealMethods(file)->xShmBarrier(Real(file)); }

int ShmUnmap(sqlite3_file* file, int delete_flag) {
  return RealMethods(file)->xShmUnmap(Real(file), delete_flag);
}

int Fetch(sqlite3_file* file, sqlite3_int64 offset, int amount, void** out) {
  return RealMethods(file)->xFetch(Real(file), offset, amount, out);
}

int Unfetch(sqlite3_file* file, sqlite3_int64 offset, void* p) {
  return RealMethods(file)->xUnfetch(Real(file), offset, p);
}

template <typename Fn>
Fn Mirror(Fn wrapped, Fn ours) {
  return wrapped != nullptr ? ours : nullptr;
}

// Our table for one table of the base VFS: same iVersion (at most 3, the newest we know), and
// each entry set exactly when the wrapped entry is. A null xShmMap in a v2+ table is how a
// file says "no shared memory, no WAL" (the unix VFS's nolock files do this), so forwarding to
// a null function would turn SQLite's fallback into a crash.
sqlite3_io_methods MakeMethods(const sqlite3_io_methods& wrapped) {
  sqlite3_io_methods m{};
  m.iVersion = std::min(wrapped.iVersion, 3);
  m.xClose = Mirror(wrapped.xClose, Close);
  m.xRead = Mirror(wrapped.xRead, Read);
  m.xWrite = Mirror(wrapped.xWrite, Write);
  m.xTruncate = Mirror(wrapped.xTruncate, Truncate);
  m.xSync = Mirror(wrapped.xSync, Sync);
  m.xFileSize = Mirror(wrapped.xFileSize, FileSize);
  m.xLock = Mirror(wrapped.xLock, Lock);
  m.xUnlock = Mirror(wrapped.xUnlock, Unlock);
  m.xCheckReservedLock = Mirror(wrapped.xCheckReservedLock, CheckReservedLock);
  m.xFileControl = Mirror(wrapped.xFileControl, FileControl);
  m.xSectorSize = Mirror(wrapped.xSectorSize, SectorSize);
  m.xDeviceCharacteristics = Mirror(wrapped.xDeviceCharacteristics, DeviceCharacteristics);
  if (m.iVersion >= 2) {
    m.xShmMap = Mirror(wrapped.xShmMap, ShmMap);
    m.xShmLock = Mirror(wrapped.xShmLock, ShmLock);
    m.xShmBarrier = Mirror(wrapped.xShmBarrier, ShmBarrier);
    m.xShmUnmap = Mirror(wrapped.xShmUnmap, ShmUnmap);
  }
  if (m.iVersion >= 3) {
    m.xFetch = Mirror(wrapped.xFetch, Fetch);
    m.xUnfetch = Mirror(wrapped.xUnfetch, Unfetch);
  }
  return m;
}

// The base VFS has a few static tables (the unix one: posix locking, nolock, ...); we build one
// wrapper per table on first use and keep it for the life of the process.
const sqlite3_io_methods* MethodsFor(const sqlite3_io_methods* wrapped) {
  static std::mutex mu;
  static std::vector<std::pair<const sqlite3_io_methods*, std::unique_ptr<sqlite3_io_methods>>>
      tables;
  std::lock_guard<std::mutex> lock(mu);
  for (const auto& [key, ours] : tables) {
    if (key == wrapped) return ours.get();
  }
  tables.emplace_back(wrapped, std::make_unique<sqlite3_io_methods>(MakeMethods(*wrapped)));
  return tables.back().second.get();
}

// [SECTION] VFS methods

sqlite3_vfs* Base(sqlite3_vfs* vfs) { return static_cast<sqlite3_vfs*>(vfs->pAppData); }

int Open(sqlite3_vfs* vfs, sqlite3_filename name, sqlite3_file* file, int flags, int* out_flags) {
  sqlite3_vfs* base = Base(vfs);
  auto* fault_file = reinterpret_cast<FaultFile*>(file);
  fault_file->base.pMethods = nullptr;
  fault_file->real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(file) + kHeaderSize);
  std::memset(fault_file->real, 0, static_cast<size_t>(base->szOsFile));
  const int rc = base->xOpen(base, name, fault_file->real, flags, out_flags);
  const sqlite3_io_methods* real_methods = fault_file->real->pMethods;
  if (real_methods == nullptr) return rc == SQLITE_OK ? SQLITE_CANTOPEN : rc;
  if (rc != SQLITE_OK) {
    // SQLite requires pMethods == nullptr after a failed xOpen and will not call xClose; close
    // the wrapped file ourselves so a misbehaving base VFS does not leak a descriptor.
    Close(file);
    return rc;
  }
  fault_file->base.pMethods = MethodsFor(real_methods);
  return SQLITE_OK;
}

int Delete(sqlite3_vfs* vfs, const char* name, int sync_dir) {
  return Base(vfs)->xDelete(Base(vfs), name, sync_dir);
}

int Access(sqlite3_vfs* vfs, const char* name, int flags, int* out) {
  return Base(vfs)->xAccess(Base(vfs), name, flags, out);
}

int FullPathname(sqlite3_vfs* vfs, const char* name, int out_size, char* out) {
  return Base(vfs)->xFullPathname(Base(vfs), name, out_size, out);
}

void* DlOpen(sqlite3_vfs* vfs, const char* name) { return Base(vfs)->xDlOpen(Base(vfs), name); }

void DlError(sqlite3_vfs* vfs, int size, char* out) { Base(vfs)->xDlError(Base(vfs), size, out); }

using DlSymbol = void (*)(void);
DlSymbol DlSym(sqlite3_vfs* vfs, void* handle, const char* symbol) {
  return Base(vfs)->xDlSym(Base(vfs), handle, symbol);
}

void DlClose(sqlite3_vfs* vfs, void* handle) { Base(vfs)->xDlClose(Base(vfs), handle); }

int Randomness(sqlite3_vfs* vfs, int size, char* out) {
  return Base(vfs)->xRandomness(Base(vfs), size, out);
}

int Sleep(sqlite3_vfs* vfs, int micros) { return Base(vfs)->xSleep(Base(vfs), micros); }

int CurrentTime(sqlite3_vfs* vfs, double* out) { return Base(vfs)->xCurrentTime(Base(vfs), out); }

int GetLastError(sqlite3_vfs* vfs, int size, char* out) {
  return Base(vfs)->xGetLastError(Base(vfs), size, out);
}

int CurrentTimeInt64(sqlite3_vfs* vfs, sqlite3_int64* out) {
  return Base(vfs)->xCurrentTimeInt64(Base(vfs), out);
}

int SetSystemCall(sqlite3_vfs* vfs, const char* name, sqlite3_syscall_ptr call) {
  return Base(vfs)->xSetSystemCall(Base(vfs), name, call);
}

sqlite3_syscall_ptr GetSystemCall(sqlite3_vfs* vfs, const char* name) {
  return Base(vfs)->xGetSystemCall(Base(vfs), name);
}

const char* NextSystemCall(sqlite3_vfs* vfs, const char* name) {
  return Base(vfs)->xNextSystemCall(Base(vfs), name);
}

[[noreturn]] void Die(const char* what) {
  std::fprintf(stderr, "fault_vfs: %s\n", what);
  std::abort();
}

const char* RegisterOnce() {
  sqlite3_vfs* base = sqlite3_vfs_find(nullptr);
  if (base == nullptr) Die("SQLite has no default VFS to wrap");
  static sqlite3_vfs vfs{};
  vfs.iVersion = std::min(base->iVersion, 3);
  vfs.szOsFile = kHeaderSize + base->szOsFile;
  vfs.mxPathname = base->mxPathname;
  vfs.zName = kVfsName;
  vfs.pAppData = base;
  vfs.xOpen = Open;
  vfs.xDelete = Delete;
  vfs.xAccess = Access;
  vfs.xFullPathname = FullPathname;
  vfs.xDlOpen = DlOpen;
  vfs.xDlError = DlError;
  vfs.xDlSym = DlSym;
  vfs.xDlClose = DlClose;
  vfs.xRandomness = Randomness;
  vfs.xSleep = Sleep;
  vfs.xCurrentTime = CurrentTime;
  vfs.xGetLastError = GetLastError;
  // Optional members: forward only what the base VFS implements, so a null stays a null.
  if (vfs.iVersion >= 2 && base->xCurrentTimeInt64 != nullptr) {
    vfs.xCurrentTimeInt64 = CurrentTimeInt64;
  }
  if (vfs.iVersion >= 3) {
    if (base->xSetSystemCall != nullptr) vfs.xSetSystemCall = SetSystemCall;
    if (base->xGetSystemCall != nullptr) vfs.xGetSystemCall = GetSystemCall;
    if (base->xNextSystemCall != nullptr) vfs.xNextSystemCall = NextSystemCall;
  }
  if (sqlite3_vfs_register(&vfs, /*makeDflt=*/0) != SQLITE_OK) Die("sqlite3_vfs_register failed");
  return kVfsName;
}

}  // namespace

// [SECTION] Public API

const char* RegisterFaultVfs() {
  static const char* const name = RegisterOnce();  // C++ guarantees one thread-safe call
  return name;
}

void SetFaultPlan(const FaultPlan& plan) {
  FaultState& s = State();
  std::lock_guard<std::mutex> lock(s.mu);
  s.plan = plan;
  s.counters = FaultCounters{};
}

void ClearFaults() {
  FaultState& s = State();
  std::lock_guard<std::mutex> lock(s.mu);
  s.plan = FaultPlan{};
}

FaultCounters GetFaultCounters() {
  FaultState& s = State();
  std::lock_guard<std::mutex> lock(s.mu);
  return s.counters;
}

}  // namespace shelter::test
