// Specifies core/node/node (staff login).
// Staff login on a full disk: the wrong-PIN counter cannot be written, yet a correct PIN logs in
// and reads, a wrong PIN is refused, and the full disk buys no more guesses than the free ones.
#include <doctest/doctest.h>

#include "core/model/entities.hpp"
#include "core/node/node.hpp"
#include "core/ops/households.hpp"
#include "tests/support/fault_vfs.hpp"
#include "tests/support/test_shelter.hpp"

namespace shelter::core {
namespace {

using test::FaultPlan;

FaultPlan FullDisk() {
  FaultPlan p;
  p.fail_write_at = 1;
  p.disk_full = true;
  p.sticky = true;
  return p;
}

NodeOptions FaultOpts(const test::TestShelter& t) {
  NodeOptions o = t.options();
  o.vfs = test::RegisterFaultVfs();
  return o;
}

TEST_CASE("pin counter: a full disk still lets staff log in and read") {
  test::TestShelter t(1, nullptr, /*open_tablets=*/false);
  const NodeOptions opts = FaultOpts(t);
  test::ClearFaults();
  auto node = t.OpenLoggedIn(t.tablet_dir(0), opts);
  Household h;
  h.address = "東京都千代田区麹町2-8";
  Person p;
  p.name = "山田 太郎";
  p.kana = "やまだ たろう";
  h.members.push_back(p);
  auto reg = RegisterHousehold(*node, h, t.shelter_id(), true);
  REQUIRE_MESSAGE(reg.ok(), reg.error().ToString());
  node->Logout();

  test::SetFaultPlan(FullDisk());
  // The running app: the next staff member logs in and reads.
  Status again = node->Login("lead", "5678");
  REQUIRE_MESSAGE(again.ok(), again.error().ToString());
  CHECK(test::GetFaultCounters().injected > 0);  // the counter's write did meet the full disk
  auto loaded = LoadHousehold(*node, reg->household);
  CHECK_MESSAGE(loaded.ok(), loaded.error().ToString());
  // A restart on the full disk: open, log in, read.
  node.reset();
  auto reopened = Node::Open(t.tablet_dir(0), opts);
  REQUIRE_MESSAGE(reopened.ok(), reopened.error().ToString());
  Status login = (*reopened)->Login("lead", "5678");
  REQUIRE_MESSAGE(login.ok(), login.error().ToString());
  auto read = LoadHousehold(**reopened, reg->household);
  CHECK_MESSAGE(read.ok(), read.error().ToString());
  test::ClearFaults();
}

TEST_CASE(
    "pin counter: a wrong PIN on a full disk is refused, and the disk buys no extra guesses") {
  test::TestShelter t(1, nullptr, /*open_tablets=*/false);
  const NodeOptions opts = FaultOpts(t);
  test::ClearFaults();
  auto node = Node::Open(t.tablet_dir(0), opts);
  REQUIRE(node.ok());
  test::SetFaultPlan(FullDisk());
  for (int i = 0; i < 5; ++i) {
    CAPTURE(i);
    Status wrong = (*node)->Login("lead", "0000");
    REQUIRE_FALSE(wrong.ok());
    CHECK_MESSAGE(wrong.error().code == ErrorCode::kUnauthenticated, wrong.error().ToString());
  }
  // The free attempts are used up and no pause could be recorded: refused for this process,
  // the right PIN too (telling it apart would be one more guess).
  Status more = (*node)->Login("lead", "1111");
  REQUIRE_FALSE(more.ok());
  CHECK(more.error().code == ErrorCode::kRateLimited);
  Status right = (*node)->Login("lead", "5678");
  REQUIRE_FALSE(right.ok());
  CHECK(right.error().code == ErrorCode::kRateLimited);
  CHECK(right.error().detail.find("storage is full") != std::string::npos);
  test::ClearFaults();
  Status still = (*node)->Login("lead", "5678");
  REQUIRE_FALSE(still.ok());
  CHECK(still.error().code == ErrorCode::kRateLimited);
  node->reset();

  // After a restart with free storage the right PIN logs in.
  auto restarted = Node::Open(t.tablet_dir(0), opts);
  REQUIRE(restarted.ok());
  Status ok = (*restarted)->Login("lead", "5678");
  CHECK_MESSAGE(ok.ok(), ok.error().ToString());
}

}  // namespace
}  // namespace shelter::core
