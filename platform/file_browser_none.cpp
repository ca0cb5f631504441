// file_browser.hpp where there is no POSIX file system API: no listing, no start folders.
#include "platform/file_browser.hpp"

namespace shelter::platform {

core::Result<FolderListing> ListFolder(const std::string&, bool (*)(const std::string&), size_t) {
  return core::MakeError(core::ErrorCode::kUnsupported, "no folder listing on this system");
}

std::vector<StartFolder> StartFolders(const std::string&) { return {}; }

}  // namespace shelter::platform
