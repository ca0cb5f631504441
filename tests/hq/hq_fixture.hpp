// Shared by the HQ tests: a family of three, and an HQ device enrolled next to a TestShelter
// whose HqNode the test opens, feeds and reopens.
#pragma once

#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

#include "core/model/entities.hpp"
#include "sync/hq/hq_node.hpp"
#include "sync/hq/hq_queries.hpp"
#include "tests/support/test_shelter.hpp"

namespace shelter::test {

using core::Bytes;
using core::Household;
using core::Person;

inline constexpr int64_t kNowMs = 1'700'000'000'000;  // reports in the tests: 1'700'000'000 s
inline const hq::Principal kOfficer{"officer1", core::StaffRole::kHq};

inline Person Member(const char* name, const char* kana, const char* dob, const char* sex) {
  Person p;
  p.name = name;
  p.kana = kana;
  p.dob = dob;
  p.sex = sex;
  return p;
}

inline Household Family() {
  Household h;
  h.members = {Member("山田 太郎", "やまだ たろう", "1950-04-01", "male"),
               Member("山田 花子", "やまだ はなこ", "1955-05-05", "female"),
               Member("山田 陽菜", "やまだ ひな", "2024-01-10", "female")};
  h.members[0].needs = {"ELD"};
  h.members[2].needs = {"INF"};
  h.members[1].consent.to_public = true;
  h.members[0].consent.acquaintance = false;
  return h;
}

struct Hq {
  test::TestShelter& t;
  std::string dir;
  std::unique_ptr<hq::HqNode> node;
  explicit Hq(test::TestShelter& shelter, const std::string& db = "") : t(shelter) {
    dir = t.root() + "/hq";
    auto id = t.admin().EnrollDevice(dir, {}, core::DeviceRole::kHq, "hq", "lead", "5678");
    REQUIRE_MESSAGE(id.ok(), id.error().ToString());
    Open(db);
  }
  void Open(const std::string& db = "") {
    node.reset();
    auto n = hq::HqNode::Open(dir, db, "lead", "5678", t.options());
    REQUIRE_MESSAGE(n.ok(), n.error().ToString());
    node = std::move(n).value();
  }
  void Feed(std::vector<Bytes> segs) {
    for (auto& w : segs) {
      auto r = node->IngestSegment(core::View(w));
      REQUIRE_MESSAGE(r.ok(), r.error().ToString());
    }
    REQUIRE(node->Flush().ok());
  }
};

}  // namespace shelter::test
