// Folder listings for the app's touch file picker (a certificate on a USB stick, in the home or
// the data folder): one folder at a time, folders first, then files with their size, each sorted
// by name; symlinks that lead back into the folder or one of its ancestors are left out, so a
// finger can never walk in circles. Thread-safe (no shared state).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/base/result.hpp"

namespace shelter::platform {

struct FolderEntry {
  std::string name;  // the entry's own name
  std::string path;  // the folder's canonical path joined with `name`
  bool is_folder = false;
  uint64_t size = 0;  // bytes; 0 for folders
};

struct FolderListing {
  std::string path;    // canonical (symlinks resolved)
  std::string parent;  // canonical; empty at the file system's root
  std::vector<FolderEntry> entries;
  bool truncated = false;  // more than the `max_entries` asked for; the first ones by name kept
};

// Lists `folder`. Hidden entries (a leading '.'), sockets, devices and dangling links are left
// out; a symlink to a folder is kept unless it resolves to `folder` itself or an ancestor (a loop).
// `keep_file` (may be null) chooses the files shown by name; folders are always shown.
// On failure: kNotFound (no such folder), kInvalidArgument (not a folder, or a symlink loop),
// kPermissionDenied (not readable), kIo (anything else); the detail names the errno, not the path.
core::Result<FolderListing> ListFolder(const std::string& folder,
                                       bool (*keep_file)(const std::string& name) = nullptr,
                                       size_t max_entries = 5000);

enum class StartFolderKind { kRemovable, kHome, kData };

struct StartFolder {
  StartFolderKind kind;
  std::string label;  // a stick's label; empty for home and data
  std::string path;
};

// Where a picker may start, in this order: mounted removable media (removable_media.hpp), the
// user's home ($HOME), then `data_dir` when given; only folders that exist are returned.
std::vector<StartFolder> StartFolders(const std::string& data_dir);

}  // namespace shelter::platform
