// Files and folders that may hold personal data, made readable by their owner only (files 0600,
// folders 0700) whatever the process umask, so a library user with a lax umask is safe too.
// Thread-safe: no shared state (each call works on its own paths).
#pragma once

#include <memory>
#include <string>

#include "core/base/bytes.hpp"
#include "core/base/result.hpp"

namespace shelter::core {

// Creates `dir` (and missing parents) with mode 0700; an existing `dir` is narrowed to 0700.
// Returns kIo when it cannot be created or narrowed.
Status MakePrivateDir(const std::string& dir);

// For a file another library creates (a SQLite database: its WAL and SHM files take the
// database's mode): creates `path` empty with mode 0600 when missing, and narrows an existing
// `path` (and its "-wal" / "-shm" companions, when present) to owner-only. kIo on failure.
Status PreparePrivateFile(const std::string& path);

// A new file written in pieces (bundles, PDFs) under a temporary name with mode 0600 beside
// `path`, renamed over `path` by Commit() after an fsync: an existing file of any mode is replaced
// whole, never half-written. Dropped unfinished when destroyed without Commit(). One owner.
class PrivateFileWriter {
 public:
  // kIo when the folder of `path` is not writable.
  static Result<PrivateFileWriter> Create(const std::string& path);
  PrivateFileWriter(PrivateFileWriter&& o) noexcept;
  PrivateFileWriter& operator=(PrivateFileWriter&&) = delete;
  ~PrivateFileWriter();

  Status Write(ByteView bytes);  // kIo (disk full?) on failure
  Status Commit();               // kIo when the data cannot be synced or renamed
  uint64_t written() const { return written_; }

 private:
  PrivateFileWriter(std::string path, std::string tmp, int fd)
      : path_(std::move(path)), tmp_(std::move(tmp)), fd_(fd) {}
  std::string path_, tmp_;
  int fd_ = -1;
  uint64_t written_ = 0;
};

// The whole of `bytes` as `path`, through a PrivateFileWriter. kIo on failure.
Status WritePrivateFile(const std::string& path, ByteView bytes);

}  // namespace shelter::core
