#include "core/base/private_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace shelter::core {
namespace {

namespace fs = std::filesystem;

constexpr mode_t kFileMode = 0600;
constexpr mode_t kDirMode = 0700;

Error IoError(const std::string& what, const std::string& path, int err) {
  return MakeError(ErrorCode::kIo, what + " " + path + ": " + std::strerror(err));
}

// Clears the group and other bits of an existing `path`; nothing when it is absent.
Status NarrowIfPresent(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return Ok();
    return IoError("cannot inspect", path, errno);
  }
  if ((st.st_mode & 077) == 0) return Ok();
  // Someone else's file or a read-only medium: left as it is (SQLite may still read it).
  if (::chmod(path.c_str(), st.st_mode & 0700) != 0 && errno != EPERM && errno != EROFS)
    return IoError("cannot make private", path, errno);
  return Ok();
}

}  // namespace

Status MakePrivateDir(const std::string& dir) {
  if (dir.empty()) return MakeError(ErrorCode::kInvalidArgument, "empty folder name");
  fs::path p(dir);
  std::error_code ec;
  fs::path parent = p.parent_path();
  if (!parent.empty() && !fs::exists(parent, ec)) SHELTER_TRY(MakePrivateDir(parent.string()));
  if (::mkdir(dir.c_str(), kDirMode) != 0 && errno != EEXIST)
    return IoError("cannot create", dir, errno);
  // mkdir applied the umask (never wider than 0700); an older folder may be wider.
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0) return IoError("cannot inspect", dir, errno);
  if (!S_ISDIR(st.st_mode)) return MakeError(ErrorCode::kIo, dir + " is not a folder");
  if ((st.st_mode & 0777) != kDirMode && ::chmod(dir.c_str(), kDirMode) != 0)
    return IoError("cannot make private", dir, errno);
  return Ok();
}

Status PreparePrivateFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, kFileMode);
  if (fd >= 0) {
    ::fchmod(fd, kFileMode);  // exactly 0600, even under a umask that drops owner bits
    ::close(fd);
    return Ok();
  }
  if (errno != EEXIST) return IoError("cannot create", path, errno);
  SHELTER_TRY(NarrowIfPresent(path));
  SHELTER_TRY(NarrowIfPresent(path + "-wal"));
  return NarrowIfPresent(path + "-shm");
}

Result<PrivateFileWriter> PrivateFileWriter::Create(const std::string& path) {
  std::string tmp = path + ".tmp-XXXXXX";
  int fd = ::mkstemp(tmp.data());  // O_EXCL, mode 0600 whatever the umask
  if (fd < 0) return IoError("cannot create a file beside", path, errno);
  ::fchmod(fd, kFileMode);
  return PrivateFileWriter(path, std::move(tmp), fd);
}

PrivateFileWriter::PrivateFileWriter(PrivateFileWriter&& o) noexcept
    : path_(std::move(o.path_)), tmp_(std::move(o.tmp_)), fd_(o.fd_), written_(o.written_) {
  o.fd_ = -1;
}

PrivateFileWriter::~PrivateFileWriter() {
  if (fd_ >= 0) {
    ::close(fd_);
    ::unlink(tmp_.c_str());
  }
}

Status PrivateFileWriter::Write(ByteView bytes) {
  if (fd_ < 0) return MakeError(ErrorCode::kInternal, "file already closed");
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd_, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return IoError("cannot write (disk full?)", path_, n < 0 ? errno : ENOSPC);
    done += static_cast<size_t>(n);
  }
  written_ += done;
  return Ok();
}

Status PrivateFileWriter::Commit() {
  if (fd_ < 0) return MakeError(ErrorCode::kInternal, "file already closed");
  int fd = fd_;
  fd_ = -1;
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    int err = errno;
    ::unlink(tmp_.c_str());
    return IoError("cannot save", path_, err);
  }
  if (::rename(tmp_.c_str(), path_.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp_.c_str());
    return IoError("cannot save", path_, err);
  }
  // The rename is durable once the folder is synced; a folder that cannot be opened (some
  // removable media) still has the file.
  fs::path parent = fs::path(path_).parent_path();
  int dfd = ::open(parent.empty() ? "." : parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return Ok();
}

Status WritePrivateFile(const std::string& path, ByteView bytes) {
  SHELTER_ASSIGN_OR_RETURN(PrivateFileWriter w, PrivateFileWriter::Create(path));
  SHELTER_TRY(w.Write(bytes));
  return w.Commit();
}

}  // namespace shelter::core
