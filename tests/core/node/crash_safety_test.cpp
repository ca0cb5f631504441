// Specifies core/node/node, with core/log/log_store under it.
// Crash safety of the durable log as seen through Node + RegisterHousehold:
//  - a household acknowledged (RegisterHousehold returned ok) survives a SIGKILL at any moment;
//  - a failed write or fsync returns kIo with a detail and never loses earlier data.
//
// [SECTION] Helpers
// [SECTION] SIGKILL rounds
// [SECTION] Injected write / fsync failures
#include <doctest/doctest.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "core/device/device_cert.hpp"
#include "core/model/entities.hpp"
#include "core/node/node.hpp"
#include "core/ops/households.hpp"
#include "tests/support/fault_vfs.hpp"
#include "tests/support/test_shelter.hpp"

namespace shelter::core {
namespace {

namespace fs = std::filesystem;

// [SECTION] Helpers

NodeOptions CrashOpts() {
  NodeOptions opts;
  opts.pwhash = crypto::PwHashParams::ForTests();
  return opts;
}

Household RandomHousehold(std::mt19937& rng) {
  static const char* kNames[] = {"山田", "佐藤", "鈴木", "高橋", "田中"};
  static const char* kGiven[] = {"太郎", "花子", "一郎", "さくら", "健"};
  Household h;
  h.address = "東京都千代田区" + std::to_string(rng() % 100) + "番地";
  h.phone = "090" + std::to_string(10000000 + rng() % 89999999);
  const int members = 1 + static_cast<int>(rng() % 4);
  for (int i = 0; i < members; ++i) {
    Person p;
    p.name = std::string(kNames[rng() % 5]) + " " + kGiven[rng() % 5];
    p.kana = "やまだ";
    if (rng() % 2)
      p.dob = "19" + std::to_string(50 + rng() % 49) + "-0" + std::to_string(1 + rng() % 9) + "-1" +
              std::to_string(rng() % 9);
    h.members.push_back(p);
  }
  return h;
}

std::string IntegrityCheck(Node& node) {
  auto stmt = node.log().db().Prepare("PRAGMA integrity_check");
  if (!stmt.ok()) return "prepare failed: " + stmt.error().ToString();
  std::string out;
  for (;;) {
    auto row = (*stmt)->Step();
    if (!row.ok()) return "step failed: " + row.error().ToString();
    if (!*row) break;
    if (!out.empty()) out += "\n";
    out += (*stmt)->Text(0);
  }
  (*stmt)->Reset();
  return out;
}

// [SECTION] SIGKILL rounds

void WriteAll(int fd, const std::string& s) {
  size_t done = 0;
  while (done < s.size()) {
    ssize_t n = ::write(fd, s.data() + done, s.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) ::_exit(3);
    done += static_cast<size_t>(n);
  }
}

// Child: registers households until killed. Each ack line "<hex> <members>\n" is written only
// after RegisterHousehold returned ok. Errors are reported as "E <text>\n" and exit(2).
[[noreturn]] void ChildRegisterLoop(const std::string& dir, const Id16& shelter, int fd,
                                    uint32_t seed) {
  try {
    auto node = Node::Open(dir, CrashOpts());
    if (!node.ok()) {
      WriteAll(fd, "E open: " + node.error().ToString() + "\n");
      ::_exit(2);
    }
    auto login = (*node)->Login("lead", "5678");
    if (!login.ok()) {
      WriteAll(fd, "E login: " + login.error().ToString() + "\n");
      ::_exit(2);
    }
    std::mt19937 rng(seed);
    for (int i = 0; i < 100000; ++i) {
      Household h = RandomHousehold(rng);
      const size_t members = h.members.size();
      auto r = RegisterHousehold(**node, std::move(h), shelter, true);
      if (!r.ok()) {
        WriteAll(fd, "E register: " + r.error().ToString() + "\n");
        ::_exit(2);
      }
      WriteAll(fd, r->household.Hex() + " " + std::to_string(members) + "\n");
    }
    WriteAll(fd, "E the loop ended without being killed\n");
  } catch (...) {
    WriteAll(fd, "E exception\n");
  }
  ::_exit(2);
}

// Reads whatever is available within `timeout_ms` into `buf`. Returns false on EOF.
bool ReadSome(int fd, std::string& buf, int timeout_ms) {
  pollfd p{fd, POLLIN, 0};
  int pr = ::poll(&p, 1, timeout_ms);
  if (pr <= 0) return true;  // timeout (or EINTR): nothing yet
  char tmp[4096];
  ssize_t n = ::read(fd, tmp, sizeof tmp);
  if (n < 0) return errno == EINTR || errno == EAGAIN;
  if (n == 0) return false;
  buf.append(tmp, static_cast<size_t>(n));
  return true;
}

bool HasErrorLine(const std::string& buf) {
  return buf.rfind("E ", 0) == 0 || buf.find("\nE ") != std::string::npos;
}

size_t CompleteLines(const std::string& buf) {
  size_t n = 0;
  for (char c : buf) n += (c == '\n');
  return n;
}

TEST_CASE("acknowledged registrations survive SIGKILL") {
  // The tablet is enrolled but left closed: the child process opens it.
  shelter::test::TestShelter t(1, nullptr, /*open_tablets=*/false);
  const std::string tablet_dir = t.tablet_dir(0);
  const Id16 shelter = t.shelter_id();

  std::mt19937 rng(20240611u);
  std::map<Id16, size_t> acked;  // household -> member count, over every round
  constexpr int kRounds = 50;
  const auto started = std::chrono::steady_clock::now();

  for (int round = 0; round < kRounds; ++round) {
    CAPTURE(round);
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    const uint32_t child_seed = static_cast<uint32_t>(rng());
    const bool by_count = rng() % 2 == 0;
    const size_t want_acks = 1 + rng() % 20;
    const int sleep_ms = static_cast<int>(rng() % 31);

    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      ::close(fds[0]);
      ChildRegisterLoop(tablet_dir, shelter, fds[1], child_seed);
    }
    ::close(fds[1]);

    // Wait for the first ack (or the wanted number), then kill at a random moment.
    std::string buf;
    bool open = true;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    const size_t target = by_count ? want_acks : 1;
    while (open && CompleteLines(buf) < target && !HasErrorLine(buf) &&
           std::chrono::steady_clock::now() < deadline)
      open = ReadSome(fds[0], buf, 100);
    if (!by_count && open) std::this_thread::sleep_for(std::chrono::milliseconds(sleep_ms));
    ::kill(pid, SIGKILL);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    while (ReadSome(fds[0], buf, 1000)) {
    }
    ::close(fds[0]);

    // Parse the acks (only complete lines; a line is written atomically anyway).
    size_t round_acks = 0;
    std::vector<Id16> fresh;
    std::string error_line;
    size_t pos = 0;
    for (size_t nl; (nl = buf.find('\n', pos)) != std::string::npos; pos = nl + 1) {
      std::string line = buf.substr(pos, nl - pos);
      if (line.rfind("E ", 0) == 0) {
        error_line = line;
        continue;
      }
      const size_t sp = line.find(' ');
      REQUIRE(sp != std::string::npos);
      auto id = Id16::FromHex(line.substr(0, sp));
      REQUIRE(id.ok());
      acked[*id] = std::stoul(line.substr(sp + 1));
      fresh.push_back(*id);
      ++round_acks;
    }
    REQUIRE_MESSAGE(error_line.empty(), "child failed: " << error_line);
    REQUIRE_MESSAGE(WIFSIGNALED(status), "child exited on its own, status " << status);
    REQUIRE(WTERMSIG(status) == SIGKILL);
    REQUIRE_MESSAGE(round_acks >= 1, "the child never acknowledged a registration");

    // The child is gone: reopen and check every acknowledged household.
    auto node = t.OpenLoggedIn(tablet_dir, CrashOpts());
    CHECK(IntegrityCheck(*node) == "ok");
    for (auto& [id, members] : acked) {
      auto rec = node->state().Get(id);
      REQUIRE_MESSAGE(rec.ok(), rec.error().ToString());
      REQUIRE_MESSAGE(rec->has_value(), "acknowledged household lost: " << id.Hex());
    }
    const bool last = round + 1 == kRounds;
    std::vector<Id16> to_load;
    if (last)
      for (auto& [id, m] : acked) to_load.push_back(id);
    else
      to_load = fresh;
    for (const Id16& id : to_load) {
      auto h = LoadHousehold(*node, id);
      REQUIRE_MESSAGE(h.ok(), id.Hex() << ": " << h.error().ToString());
      CHECK(h->id == id);
      CHECK(h->shelter == shelter);
      CHECK(h->members.size() == acked[id]);
    }
    node.reset();  // closed before the next fork
  }
  MESSAGE(kRounds << " SIGKILL rounds, " << acked.size() << " acknowledged households, "
                  << std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::steady_clock::now() - started)
                         .count()
                  << " ms");
}

// [SECTION] Injected write / fsync failures

TEST_CASE("a failed write or fsync gives a clear error and keeps earlier data") {
  // The tablet is enrolled but left closed: the child process opens it.
  shelter::test::TestShelter t(1, nullptr, /*open_tablets=*/false);
  const std::string tablet_dir = t.tablet_dir(0);
  const Id16 shelter = t.shelter_id();

  NodeOptions opts = CrashOpts();
  opts.vfs = shelter::test::RegisterFaultVfs();
  shelter::test::ClearFaults();

  std::mt19937 rng(7u);
  std::map<Id16, size_t> good;  // registered ok -> member count
  auto node = t.OpenLoggedIn(tablet_dir, opts);
  for (int i = 0; i < 3; ++i) {
    Household h = RandomHousehold(rng);
    const size_t members = h.members.size();
    auto r = RegisterHousehold(*node, std::move(h), shelter, true);
    REQUIRE_MESSAGE(r.ok(), r.error().ToString());
    good[r->household] = members;
  }

  auto check_all = [&](Node& n) {
    CHECK(IntegrityCheck(n) == "ok");
    for (auto& [id, members] : good) {
      auto h = LoadHousehold(n, id);
      REQUIRE_MESSAGE(h.ok(), "household lost: " << id.Hex() << ": " << h.error().ToString());
      CHECK(h->members.size() == members);
    }
  };

  enum class Kind { kWrite, kSync, kDiskFull };
  int failures = 0, oks = 0;
  for (Kind kind : {Kind::kWrite, Kind::kSync, Kind::kDiskFull}) {
    for (long n = 1; n <= 8; ++n) {
      CAPTURE(static_cast<int>(kind));
      CAPTURE(n);
      shelter::test::FaultPlan plan;
      if (kind == Kind::kSync)
        plan.fail_sync_at = n;
      else
        plan.fail_write_at = n;
      plan.disk_full = kind == Kind::kDiskFull;

      Household h = RandomHousehold(rng);
      const size_t members = h.members.size();
      shelter::test::SetFaultPlan(plan);
      auto r = RegisterHousehold(*node, std::move(h), shelter, true);
      shelter::test::ClearFaults();
      if (r.ok()) {
        ++oks;
        good[r->household] = members;
        // Readable in this session already.
        auto loaded = LoadHousehold(*node, r->household);
        CHECK_MESSAGE(loaded.ok(), loaded.error().ToString());
      } else {
        ++failures;
        CHECK_MESSAGE(r.error().code == ErrorCode::kIo, r.error().ToString());
        CHECK_FALSE(r.error().detail.empty());
      }

      // Close, reopen (no faults) and check everything acknowledged so far.
      node.reset();
      node = t.OpenLoggedIn(tablet_dir, opts);
      check_all(*node);
    }
  }
  MESSAGE(failures << " injected commits failed with kIo, " << oks << " succeeded");
  CHECK(failures > 0);  // the plan did hit commits

  // The device still works after all that.
  auto after = RegisterHousehold(*node, RandomHousehold(rng), shelter, true);
  REQUIRE_MESSAGE(after.ok(), after.error().ToString());
  node.reset();
  node = t.OpenLoggedIn(tablet_dir, opts);
  check_all(*node);
  auto again = LoadHousehold(*node, after->household);
  CHECK(again.ok());
  node.reset();
}

}  // namespace
}  // namespace shelter::core
