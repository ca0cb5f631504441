#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "platform/removable_media.hpp"

namespace shelter::platform {

namespace fs = std::filesystem;

namespace {

// /proc/mounts escapes spaces and the like as \040 (octal).
std::string Unescape(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 3 < s.size() && std::isdigit(static_cast<unsigned char>(s[i + 1]))) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 3), nullptr, 8));
      i += 3;
    } else {
      out += s[i];
    }
  }
  return out;
}

bool UnderRoots(const std::string& p) {
  for (const char* root : {"/media/", "/run/media/", "/mnt/"})
    if (p.rfind(root, 0) == 0) return true;
  return false;
}

}  // namespace

std::vector<Stick> MountedSticks() {
  std::vector<Stick> out;
  std::error_code ec;
  if (const char* root = std::getenv("SHELTER_USB_ROOT")) {
    for (auto& e : fs::directory_iterator(root, ec))
      if (e.is_directory(ec)) out.push_back({e.path().string(), e.path().filename().string()});
  } else {
    std::ifstream mounts("/proc/mounts");
    std::string line;
    while (std::getline(mounts, line)) {
      std::istringstream in(line);
      std::string dev, dir;
      in >> dev >> dir;
      dir = Unescape(dir);
      if (!UnderRoots(dir) || ::access(dir.c_str(), W_OK) != 0) continue;
      out.push_back({dir, fs::path(dir).filename().string()});
    }
  }
  std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.path < b.path; });
  return out;
}

std::vector<std::string> BundlesOn(const Stick& stick) {
  std::vector<std::pair<fs::file_time_type, std::string>> found;
  std::error_code ec;
  for (auto& e : fs::directory_iterator(fs::path(stick.path) / "shelterkit", ec)) {
    if (!e.is_regular_file(ec) || e.path().extension() != ".skb") continue;
    found.push_back({e.last_write_time(ec), e.path().string()});
    if (found.size() >= 200) break;  // a stick full of files is not a reason to hang
  }
  std::sort(found.begin(), found.end(), [](auto& a, auto& b) { return a.first > b.first; });
  std::vector<std::string> out;
  for (auto& f : found) out.push_back(f.second);
  return out;
}

}  // namespace shelter::platform
