// file_browser.hpp on POSIX: realpath(3) for canonical paths, opendir/readdir and fstatat(2) on
// the open folder, so an entry is looked at where it was listed even if a path component changes.
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "platform/file_browser.hpp"
#include "platform/removable_media.hpp"

namespace shelter::platform {

namespace {

using core::ErrorCode;
using core::MakeError;

struct DirCloser {
  void operator()(DIR* d) const { ::closedir(d); }
};

core::Error FromErrno(int err, const char* what) {
  std::string detail = std::string(what) + ": " + std::strerror(err);
  switch (err) {
    case ENOENT: return MakeError(ErrorCode::kNotFound, detail);
    case ENOTDIR:
    case ELOOP: return MakeError(ErrorCode::kInvalidArgument, detail);
    case EACCES:
    case EPERM: return MakeError(ErrorCode::kPermissionDenied, detail);
    default: return MakeError(ErrorCode::kIo, detail);
  }
}

core::Result<std::string> Canonical(const std::string& path) {
  std::unique_ptr<char, decltype(&std::free)> real(::realpath(path.c_str(), nullptr), &std::free);
  if (!real) return FromErrno(errno, "cannot resolve the folder");
  return std::string(real.get());
}

std::string Join(const std::string& folder, const std::string& name) {
  return folder == "/" ? "/" + name : folder + "/" + name;
}

// `a` is `b` or one of its ancestors (both canonical).
bool IsSelfOrAncestor(const std::string& a, const std::string& b) {
  if (a == "/" || a == b) return true;
  return b.size() > a.size() && b.compare(0, a.size(), a) == 0 && b[a.size()] == '/';
}

std::string Lower(const std::string& s) {
  std::string out = s;
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

bool IsFolder(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

}  // namespace

core::Result<FolderListing> ListFolder(const std::string& folder,
                                       bool (*keep_file)(const std::string& name),
                                       size_t max_entries) {
  SHELTER_ASSIGN_OR_RETURN(std::string real, Canonical(folder));
  std::unique_ptr<DIR, DirCloser> dir(::opendir(real.c_str()));
  if (!dir) return FromErrno(errno, "cannot open the folder");
  FolderListing out;
  out.path = real;
  if (real != "/") {
    size_t slash = real.rfind('/');
    out.parent = slash == 0 ? "/" : real.substr(0, slash);
  }
  int fd = ::dirfd(dir.get());
  // readdir(3) reports its errors only through errno: cleared before each call.
  for (errno = 0; const dirent* d = ::readdir(dir.get()); errno = 0) {
    std::string name = d->d_name;
    if (name.empty() || name[0] == '.') continue;
    struct stat st {};
    if (::fstatat(fd, name.c_str(), &st, 0) != 0) continue;  // dangling link, or gone meanwhile
    FolderEntry e{name, Join(real, name), S_ISDIR(st.st_mode), 0};
    if (e.is_folder) {
      struct stat lst {};
      if (::fstatat(fd, name.c_str(), &lst, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(lst.st_mode)) {
        auto target = Canonical(e.path);
        if (!target.ok() || IsSelfOrAncestor(*target, real)) continue;  // a loop back up
      }
    } else if (S_ISREG(st.st_mode)) {
      if (keep_file && !keep_file(name)) continue;
      e.size = static_cast<uint64_t>(st.st_size);
    } else {
      continue;
    }
    out.entries.push_back(std::move(e));
  }
  if (errno != 0) return FromErrno(errno, "cannot read the folder");
  std::sort(out.entries.begin(), out.entries.end(), [](const FolderEntry& a, const FolderEntry& b) {
    if (a.is_folder != b.is_folder) return a.is_folder;
    std::string la = Lower(a.name), lb = Lower(b.name);
    return la != lb ? la < lb : a.name < b.name;
  });
  if (out.entries.size() > max_entries) {
    out.entries.resize(max_entries);
    out.truncated = true;
  }
  return out;
}

std::vector<StartFolder> StartFolders(const std::string& data_dir) {
  std::vector<StartFolder> out;
  for (const Stick& s : MountedSticks())
    out.push_back({StartFolderKind::kRemovable, s.label, s.path});
  if (const char* home = std::getenv("HOME"); home && *home && IsFolder(home))
    out.push_back({StartFolderKind::kHome, "", home});
  if (!data_dir.empty() && IsFolder(data_dir))
    out.push_back({StartFolderKind::kData, "", data_dir});
  return out;
}

}  // namespace shelter::platform
