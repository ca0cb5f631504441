// Specifies core/log/log_store, with core/node/node (its in-memory state).
// No personal data on disk: households registered with canary strings in every free-text field
// must not appear, in UTF-8 or UTF-16LE, in any file under the data directories — while the node
// is open (log.db, -wal, -shm), after it is closed, and after a rebuild from the log.
// The scanner is first shown to find the canaries in a control file, so the test can fail.
#include <doctest/doctest.h>
#include <stdlib.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "core/device/device_cert.hpp"
#include "core/model/entities.hpp"
#include "core/node/node.hpp"
#include "core/ops/households.hpp"
#include "tests/support/test_shelter.hpp"

namespace shelter::core {
namespace {

namespace fs = std::filesystem;

// UTF-8 -> UTF-16LE bytes (BMP and supplementary planes).
std::string Utf16Le(const std::string& utf8) {
  std::string out;
  auto put = [&](uint32_t u) {
    out.push_back(static_cast<char>(u & 0xff));
    out.push_back(static_cast<char>((u >> 8) & 0xff));
  };
  for (size_t i = 0; i < utf8.size();) {
    const auto c = static_cast<unsigned char>(utf8[i]);
    uint32_t cp = 0;
    size_t len = 1;
    if (c < 0x80) {
      cp = c;
    } else if ((c >> 5) == 6) {
      cp = c & 0x1f, len = 2;
    } else if ((c >> 4) == 14) {
      cp = c & 0x0f, len = 3;
    } else {
      cp = c & 0x07, len = 4;
    }
    for (size_t k = 1; k < len && i + k < utf8.size(); ++k)
      cp = (cp << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3f);
    i += len;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      put(0xd800 + (cp >> 10));
      put(0xdc00 + (cp & 0x3ff));
    } else {
      put(cp);
    }
  }
  return out;
}

struct Needle {
  std::string label;
  std::string bytes;
};

struct Hit {
  std::string file;
  std::string label;
};

// Reads every regular file under `root` (recursively) and reports each needle found in it.
std::vector<Hit> ScanTree(const fs::path& root, const std::vector<Needle>& needles,
                          size_t* files_scanned = nullptr) {
  std::vector<Hit> hits;
  size_t files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    REQUIRE_MESSAGE(in.good(), "cannot read " << entry.path());
    std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    ++files;
    for (const Needle& n : needles)
      if (data.find(n.bytes) != std::string::npos) hits.push_back({entry.path().string(), n.label});
  }
  if (files_scanned) *files_scanned = files;
  return hits;
}

std::string Describe(const std::vector<Hit>& hits) {
  std::ostringstream os;
  for (const Hit& h : hits) os << "\n  " << h.label << " in " << h.file;
  return os.str();
}

const std::string kAsciiCanary = "CANARY7731X";
const std::string kJapaneseCanary = "鈴木カナリア";

// A kana string unique to household `i` (two rare kana from its index).
std::string UniqueKana(int i) {
  static const char* kKana[] = {"ゑ", "ゐ", "ぬ", "ぺ", "ぽ", "ゔ", "ぢ", "づ"};
  return std::string("ゑぬかなりあ") + kKana[i % 8] + kKana[(i / 8) % 8] + "ゐ";
}

std::vector<Needle> Needles(int households) {
  std::vector<Needle> n;
  n.push_back({"ascii canary (UTF-8)", kAsciiCanary});
  n.push_back({"ascii canary (UTF-16LE)", Utf16Le(kAsciiCanary)});
  n.push_back({"japanese canary (UTF-8)", kJapaneseCanary});
  n.push_back({"japanese canary (UTF-16LE)", Utf16Le(kJapaneseCanary)});
  for (int i = 0; i < households; ++i) {
    n.push_back({"kana canary " + std::to_string(i) + " (UTF-8)", UniqueKana(i)});
    n.push_back({"kana canary " + std::to_string(i) + " (UTF-16LE)", Utf16Le(UniqueKana(i))});
  }
  return n;
}

Household CanaryHousehold(int i) {
  const std::string tag = std::to_string(i);
  Household h;
  h.address = "東京都千代田区" + kJapaneseCanary + "町" + tag + " " + kAsciiCanary;
  h.residence = kJapaneseCanary + "の家 " + kAsciiCanary + tag;
  h.phone = "090-" + kAsciiCanary + "-" + tag;
  h.vehicle = "品川 " + kAsciiCanary;
  h.note = "note " + kAsciiCanary + " " + kJapaneseCanary + " " + UniqueKana(i);
  for (int m = 0; m < 1 + i % 3; ++m) {
    Person p;
    p.name = kJapaneseCanary + " " + kAsciiCanary + tag + "-" + std::to_string(m);
    p.kana = UniqueKana(i);
    p.dob = "1980-01-0" + std::to_string(1 + m);
    p.phone = "080" + kAsciiCanary;
    p.note = "member note " + kAsciiCanary + " " + kJapaneseCanary + " " + UniqueKana(i);
    p.allergies = {"egg", kAsciiCanary};
    h.members.push_back(p);
  }
  return h;
}

TEST_CASE("no personal data on disk") {
  // One tablet, enrolled but not opened: this test opens and closes it itself.
  shelter::test::TestShelter t(1, nullptr, /*open_tablets=*/false);
  const std::string tablet_dir = t.tablet_dir(0);
  const Id16 shelter = t.shelter_id();

  constexpr int kHouseholds = 20;
  const std::vector<Needle> needles = Needles(kHouseholds);
  std::unique_ptr<Node> node = t.OpenLoggedIn(tablet_dir);
  std::vector<Id16> ids;
  for (int i = 0; i < kHouseholds; ++i) {
    auto r = RegisterHousehold(*node, CanaryHousehold(i), shelter, true);
    REQUIRE_MESSAGE(r.ok(), r.error().ToString());
    ids.push_back(r->household);
  }
  // The data really went in: it is readable (from the in-memory state).
  {
    auto h = LoadHousehold(*node, ids[3]);
    REQUIRE(h.ok());
    CHECK(h->note.find(kAsciiCanary) != std::string::npos);
    REQUIRE_FALSE(h->members.empty());
    CHECK(h->members[0].kana == UniqueKana(3));
    auto found = node->state().SearchPersons(UniqueKana(5));
    REQUIRE(found.ok());
    CHECK_FALSE(found->empty());
  }

  // Control: the scanner finds every needle in a file written with them, in the same directory.
  {
    const fs::path control = fs::path(tablet_dir) / "control.bin";
    {
      std::ofstream out(control, std::ios::binary);
      out << "prefix\x01";
      for (const Needle& n : needles) out << n.bytes << '\0';
    }
    auto hits = ScanTree(fs::path(t.root()), needles);
    size_t in_control = 0;
    for (const Hit& h : hits) in_control += h.file == control.string();
    CHECK(in_control == needles.size());
    fs::remove(control);
  }

  // While open: log.db plus its WAL and shared-memory files.
  {
    CHECK(fs::exists(fs::path(tablet_dir) / "log.db"));
    CHECK(fs::exists(fs::path(tablet_dir) / "log.db-wal"));
    size_t files = 0;
    auto hits = ScanTree(fs::path(t.root()), needles, &files);
    CHECK(files >= 3);
    CHECK_MESSAGE(hits.empty(), "personal data on disk while open:" << Describe(hits));
  }

  // After closing.
  node.reset();
  {
    auto hits = ScanTree(fs::path(t.root()), needles);
    CHECK_MESSAGE(hits.empty(), "personal data on disk after close:" << Describe(hits));
  }

  // After reopening and rebuilding the state from the log.
  node = t.OpenLoggedIn(tablet_dir);
  REQUIRE(node->Rebuild().ok());
  {
    auto h = LoadHousehold(*node, ids[7]);
    REQUIRE(h.ok());
    CHECK(h->address.find(kJapaneseCanary) != std::string::npos);
  }
  {
    auto hits = ScanTree(fs::path(t.root()), needles);
    CHECK_MESSAGE(hits.empty(), "personal data on disk after rebuild:" << Describe(hits));
  }
  node.reset();
  {
    auto hits = ScanTree(fs::path(t.root()), needles);
    CHECK_MESSAGE(hits.empty(), "personal data on disk after rebuild and close:" << Describe(hits));
  }
}

}  // namespace
}  // namespace shelter::core
