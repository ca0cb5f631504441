// Specifies core/base/private_file, with core/base/sqlite_db and core/node/node.
// Files that hold keys or personal data are owner-only however lax the umask of the program
// that uses the library: log.db with its WAL and SHM, any core::Db file (hq.db), their folders,
// and files written with WritePrivateFile (certificate and pass PDFs).
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "core/base/private_file.hpp"
#include "core/base/sqlite_db.hpp"
#include "core/node/node.hpp"
#include "tests/support/temp_dir.hpp"

namespace shelter::core {
namespace {

// Sets a umask for one scope (the umask is process-wide; doctest runs cases one at a time).
class ScopedUmask {
 public:
  explicit ScopedUmask(mode_t m) : old_(::umask(m)) {}
  ~ScopedUmask() { ::umask(old_); }

 private:
  mode_t old_;
};

unsigned ModeOf(const std::string& path) {
  struct stat st {};
  REQUIRE_MESSAGE(::stat(path.c_str(), &st) == 0, "missing: " << path);
  return st.st_mode & 0777;
}

NodeOptions Fast() {
  NodeOptions o;
  o.pwhash = crypto::PwHashParams::ForTests();
  return o;
}

TEST_CASE("private files: log.db, its WAL and SHM are 0600 in a 0700 folder under umask 022") {
  test::TempDir tmp;
  ScopedUmask lax(022);
  const std::string dir = tmp.Sub("city/admin");  // the parent is created too
  auto node = Node::InitMunicipality(dir, "131016", "千代田区", "admin", "1234", Fast());
  REQUIRE_MESSAGE(node.ok(), node.error().ToString());
  CHECK(ModeOf(tmp.Sub("city")) == 0700);
  CHECK(ModeOf(dir) == 0700);
  const std::string log = dir + "/" + LogStore::kFileName;
  CHECK(ModeOf(log) == 0600);
  CHECK(ModeOf(log + "-wal") == 0600);  // open: SQLite keeps the WAL and SHM files
  CHECK(ModeOf(log + "-shm") == 0600);

  // An enrolled device's folder and log.
  const std::string tablet = tmp.Sub("tablet");
  auto dev = (*node)->EnrollDevice(tablet, Id16{}, DeviceRole::kTablet, "t", "lead", "5678");
  REQUIRE_MESSAGE(dev.ok(), dev.error().ToString());
  CHECK(ModeOf(tablet) == 0700);
  CHECK(ModeOf(tablet + "/" + LogStore::kFileName) == 0600);
  node->reset();

  // A data folder and log left readable by an older version are narrowed when opened.
  REQUIRE(::chmod(dir.c_str(), 0755) == 0);
  REQUIRE(::chmod(log.c_str(), 0644) == 0);
  auto reopened = Node::Open(dir, Fast());
  REQUIRE_MESSAGE(reopened.ok(), reopened.error().ToString());
  CHECK(ModeOf(dir) == 0700);
  CHECK(ModeOf(log) == 0600);
}

TEST_CASE("private files: any core::Db file (hq.db) is 0600 with its WAL and SHM") {
  test::TempDir tmp;
  ScopedUmask lax(022);
  const std::string path = tmp.Sub("hq.db");
  auto db = Db::Open(path);
  REQUIRE_MESSAGE(db.ok(), db.error().ToString());
  REQUIRE((*db)->Exec("PRAGMA journal_mode=WAL; CREATE TABLE t(x); INSERT INTO t VALUES(1);").ok());
  CHECK(ModeOf(path) == 0600);
  CHECK(ModeOf(path + "-wal") == 0600);
  CHECK(ModeOf(path + "-shm") == 0600);
}

TEST_CASE("private files: WritePrivateFile replaces a file readable by others with a 0600 one") {
  test::TempDir tmp;
  ScopedUmask lax(022);
  const std::string path = tmp.Sub("cert.pdf");
  {
    std::ofstream old(path);
    old << "an older, longer file";
  }
  REQUIRE(::chmod(path.c_str(), 0644) == 0);
  REQUIRE(WritePrivateFile(path, View(std::string_view("%PDF"))).ok());
  CHECK(ModeOf(path) == 0600);
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(text == "%PDF");

  // A writer dropped before Commit leaves neither the file nor its temporary.
  const std::string never = tmp.Sub("never.skb");
  {
    auto w = PrivateFileWriter::Create(never);
    REQUIRE(w.ok());
    REQUIRE(w->Write(View(std::string_view("half"))).ok());
  }
  CHECK_FALSE(std::filesystem::exists(never));
  size_t left = 0;
  for (auto& e : std::filesystem::directory_iterator(tmp.path())) left += e.path() != path;
  CHECK(left == 0);

  auto bad = WritePrivateFile(tmp.Sub("no/such/folder/x.pdf"), View(std::string_view("x")));
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == ErrorCode::kIo);
}

}  // namespace
}  // namespace shelter::core
