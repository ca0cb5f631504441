// A temporary directory for one test, removed with everything in it on destruction.
// Not thread-safe; one owner.
#pragma once

#include <filesystem>
#include <string>

namespace shelter::test {

class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "shelterkit-test");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string Sub(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace shelter::test
