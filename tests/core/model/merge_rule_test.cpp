// Tests for core/model/merge_rule: which merged persons are hidden, the rule tablets (State) and
// HQ (its store) both apply — a merge into a held, live person hides; a deleted or absent target
// does not; in a cycle of merges exactly the smallest id stays visible.
#include "core/model/merge_rule.hpp"

#include <doctest/doctest.h>

#include <map>
#include <vector>

namespace shelter::core {
namespace {

Id16 IdOf(uint8_t n) {
  Id16 id;
  id.b[0] = n;
  return id;
}

// The persons a device holds, by id, with their merge links.
struct Held {
  std::map<Id16, MergeLinkView> links;
  int lookups = 0;

  void Add(uint8_t person, uint8_t into = 0, bool removed = false) {
    MergeLinkView v;
    v.removed = removed;
    if (into) v.into = IdOf(into);
    links[IdOf(person)] = v;
  }
  MergeLinkLookup Lookup() {
    return [this](const Id16& id) -> Result<std::optional<MergeLinkView>> {
      ++lookups;
      auto it = links.find(id);
      if (it == links.end()) return std::optional<MergeLinkView>();
      return std::optional<MergeLinkView>(it->second);
    };
  }
  bool Hidden(uint8_t person) {
    auto r = HiddenByMerge(IdOf(person), links.at(IdOf(person)), Lookup());
    REQUIRE(r.ok());
    return *r;
  }
};

TEST_CASE("merge rule: a person without a merge link is shown, without a lookup") {
  Held h;
  h.Add(1);
  CHECK_FALSE(h.Hidden(1));
  CHECK(h.lookups == 0);
}

TEST_CASE("merge rule: a person merged into a held, live person is hidden") {
  Held h;
  h.Add(1, 2);
  h.Add(2);
  CHECK(h.Hidden(1));
  CHECK_FALSE(h.Hidden(2));
}

TEST_CASE("merge rule: a merge into a deleted or not yet received person hides nothing") {
  Held h;
  h.Add(1, 2);
  h.Add(2, 0, /*removed=*/true);
  CHECK_FALSE(h.Hidden(1));
  h.Add(3, 9);  // 9 has not arrived on this device
  CHECK_FALSE(h.Hidden(3));
  h.Add(9);  // once it arrives, 3 is hidden
  CHECK(h.Hidden(3));
}

TEST_CASE("merge rule: a deleted person is not hidden by its own merge link") {
  Held h;
  h.Add(1, 2, /*removed=*/true);
  h.Add(2);
  CHECK_FALSE(h.Hidden(1));
}

TEST_CASE("merge rule: along a chain every merged person is hidden, the end is shown") {
  Held h;
  h.Add(1, 2);
  h.Add(2, 3);
  h.Add(3);
  CHECK(h.Hidden(1));
  CHECK(h.Hidden(2));
  CHECK_FALSE(h.Hidden(3));
}

TEST_CASE("merge rule: in a cycle of two merges the smaller id stays visible") {
  // Two tablets merged A into B and B into A concurrently.
  Held h;
  h.Add(5, 7);
  h.Add(7, 5);
  CHECK_FALSE(h.Hidden(5));
  CHECK(h.Hidden(7));
}

TEST_CASE("merge rule: in a longer cycle exactly one person, the smallest, stays visible") {
  Held h;
  h.Add(4, 9);
  h.Add(9, 2);
  h.Add(2, 4);
  CHECK(h.Hidden(4));
  CHECK(h.Hidden(9));
  CHECK_FALSE(h.Hidden(2));
}

TEST_CASE("merge rule: a very long chain is walked at most kMaxMergeChain steps") {
  Held h;
  for (int i = 1; i < 200; ++i) h.Add(static_cast<uint8_t>(i), static_cast<uint8_t>(i + 1));
  h.Add(200);
  CHECK(h.Hidden(1));
  CHECK(h.lookups <= kMaxMergeChain + 1);
}

TEST_CASE("merge rule: an error from the lookup is returned, not read as shown") {
  MergeLinkView link;
  link.into = IdOf(2);
  auto r = HiddenByMerge(IdOf(1), link, [](const Id16&) -> Result<std::optional<MergeLinkView>> {
    return MakeError(ErrorCode::kIo, "disk gone");
  });
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::kIo);
}

}  // namespace
}  // namespace shelter::core
