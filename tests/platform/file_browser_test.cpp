// Specifies platform/file_browser (file_browser_posix): listings of real temporary folders with
// files, folders, hidden entries, dangling links and symlink loops, and the errors a picker shows.
#include "platform/file_browser.hpp"

#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "platform/certificate_input.hpp"

namespace shelter::platform {
namespace {

namespace fs = std::filesystem;
using core::ErrorCode;

class TempTree {
 public:
  TempTree() {
    std::random_device random;
    for (;;) {
      root_ = fs::temp_directory_path() / ("shelter-browse-" + std::to_string(random()));
      if (fs::create_directory(root_)) break;
    }
    root_ = fs::canonical(root_);
  }
  ~TempTree() {
    std::error_code ignored;
    fs::permissions(root_ / "locked", fs::perms::owner_all, ignored);
    fs::remove_all(root_, ignored);
  }
  TempTree(const TempTree&) = delete;
  TempTree& operator=(const TempTree&) = delete;

  fs::path operator/(const std::string& rel) const { return root_ / rel; }
  std::string str() const { return root_.string(); }
  void File(const std::string& rel, size_t bytes) {
    fs::create_directories((root_ / rel).parent_path());
    std::ofstream(root_ / rel, std::ios::binary) << std::string(bytes, 'x');
  }

 private:
  fs::path root_;
};

std::vector<std::string> Names(const FolderListing& l) {
  std::vector<std::string> out;
  for (auto& e : l.entries) out.push_back(e.name + (e.is_folder ? "/" : ""));
  return out;
}

TEST_CASE("a folder lists its folders first, then its files with sizes, each by name") {
  TempTree t;
  t.File("b.pdf", 1234);
  t.File("A.png", 10);
  t.File("notes.doc", 3);
  t.File(".hidden.pdf", 3);
  fs::create_directories(t / "zeta");
  fs::create_directories(t / "Alpha");
  fs::create_directories(t / ".cache");
  auto l = ListFolder(t.str());
  REQUIRE(l.ok());
  CHECK(l->path == t.str());
  CHECK(l->parent == fs::path(t.str()).parent_path().string());
  CHECK(Names(*l) == std::vector<std::string>{"Alpha/", "zeta/", "A.png", "b.pdf", "notes.doc"});
  CHECK(l->entries[3].size == 1234);
  CHECK(l->entries[3].path == (t / "b.pdf").string());
  CHECK(l->entries[0].size == 0);
  CHECK_FALSE(l->truncated);
}

TEST_CASE("a file filter keeps only the certificate files a picker offers, never hiding folders") {
  TempTree t;
  t.File("cert.PDF", 1);
  t.File("page.jpeg", 1);
  t.File("code.txt", 1);
  t.File("list.cbor", 1);
  t.File("photo.heic", 1);
  fs::create_directories(t / "sub.pdf.d");
  auto l = ListFolder(t.str(), IsCertificateFileName);
  REQUIRE(l.ok());
  CHECK(Names(*l) == std::vector<std::string>{"sub.pdf.d/", "cert.PDF", "code.txt", "page.jpeg"});
}

TEST_CASE("symlinks back to the folder or an ancestor are left out, others are followed") {
  TempTree t;
  fs::create_directories(t / "a/b");
  fs::create_directories(t / "elsewhere");
  t.File("elsewhere/c.png", 5);
  fs::create_directory_symlink(t / "a", t / "a/b/up");      // to an ancestor: a loop
  fs::create_directory_symlink(t / "a/b", t / "a/b/self");  // to itself
  fs::create_directory_symlink(t / "elsewhere", t / "a/b/there");
  fs::create_symlink(t / "elsewhere/c.png", t / "a/b/link.png");
  fs::create_symlink(t / "missing", t / "a/b/dangling.pdf");
  auto l = ListFolder((t / "a/b").string());
  REQUIRE(l.ok());
  CHECK(Names(*l) == std::vector<std::string>{"there/", "link.png"});
  CHECK(l->entries[1].size == 5);
  // Into the linked folder: its canonical path, so the way up leads where it really is.
  auto there = ListFolder(l->entries[0].path);
  REQUIRE(there.ok());
  CHECK(there->path == (t / "elsewhere").string());
  CHECK(there->parent == t.str());
}

TEST_CASE("a symlink that loops on itself is refused, not followed") {
  TempTree t;
  fs::create_directory_symlink(t / "loop2", t / "loop1");
  fs::create_directory_symlink(t / "loop1", t / "loop2");
  auto l = ListFolder((t / "loop1").string());
  REQUIRE_FALSE(l.ok());
  CHECK(l.error().code == ErrorCode::kInvalidArgument);
  auto top = ListFolder(t.str());
  REQUIRE(top.ok());
  CHECK(top->entries.empty());
}

TEST_CASE("errors say what is wrong: missing, a file, unreadable") {
  TempTree t;
  t.File("f.pdf", 1);
  auto missing = ListFolder((t / "nope").string());
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == ErrorCode::kNotFound);
  CHECK(missing.error().detail.find("nope") == std::string::npos);  // no path in the detail
  auto file = ListFolder((t / "f.pdf").string());
  REQUIRE_FALSE(file.ok());
  CHECK(file.error().code == ErrorCode::kInvalidArgument);
  fs::create_directories(t / "locked");
  fs::permissions(t / "locked", fs::perms::none);
  if (::geteuid() != 0) {  // root reads any folder
    auto locked = ListFolder((t / "locked").string());
    REQUIRE_FALSE(locked.ok());
    CHECK(locked.error().code == ErrorCode::kPermissionDenied);
  }
}

TEST_CASE("the root has no parent, and a long folder is cut at the limit asked for") {
  auto root = ListFolder("/");
  REQUIRE(root.ok());
  CHECK(root->path == "/");
  CHECK(root->parent.empty());
  TempTree t;
  for (int i = 0; i < 30; ++i) t.File("f" + std::to_string(100 + i) + ".pdf", 1);
  auto l = ListFolder(t.str(), nullptr, 10);
  REQUIRE(l.ok());
  CHECK(l->truncated);
  REQUIRE(l->entries.size() == 10);
  CHECK(l->entries.front().name == "f100.pdf");
  CHECK(l->entries.back().name == "f109.pdf");
}

TEST_CASE("start folders: sticks first, then home, then the data folder, only those that exist") {
  TempTree t;
  fs::create_directories(t / "usb/STICK1");
  fs::create_directories(t / "home");
  fs::create_directories(t / "data");
  const char* old_home = std::getenv("HOME");
  std::string saved = old_home ? old_home : "";
  ::setenv("SHELTER_USB_ROOT", (t / "usb").c_str(), 1);
  ::setenv("HOME", (t / "home").c_str(), 1);
  auto s = StartFolders((t / "data").string());
  auto none = StartFolders((t / "no-data").string());
  ::unsetenv("SHELTER_USB_ROOT");
  if (old_home) ::setenv("HOME", saved.c_str(), 1);
  REQUIRE(s.size() == 3);
  CHECK(s[0].kind == StartFolderKind::kRemovable);
  CHECK(s[0].label == "STICK1");
  CHECK(s[1].kind == StartFolderKind::kHome);
  CHECK(s[2].kind == StartFolderKind::kData);
  CHECK(s[2].path == (t / "data").string());
  CHECK(none.size() == 2);
}

}  // namespace
}  // namespace shelter::platform
