// Tests for core::AddHouseholdMember (core/ops/edit): a member added to a stored household loads
// back with its sex, stays after a restart and can be checked in at once; an invalid person, an
// unknown household or a full household stores nothing.
#include <doctest/doctest.h>

#include <string>

#include "core/ops/edit.hpp"
#include "core/ops/households.hpp"
#include "tests/support/test_shelter.hpp"

namespace shelter::core {
namespace {

using test::TestShelter;

Household OnePerson() {
  Household h;
  h.address = "東京都千代田区1-1";
  Person a;
  a.name = "山田 太郎";
  a.kana = "やまだ たろう";
  a.sex = "male";
  h.members = {a};
  h.pets = {{"犬", 1, "with"}};
  return h;
}

Person Child() {
  Person c;
  c.name = "山田 陽太";
  c.kana = "やまだ ようた";
  c.dob = "2020-04-01";
  c.sex = "other";
  c.needs = {"INF"};
  return c;
}

TEST_CASE("add member: the new person is in the household, with sex, after a restart too") {
  TestShelter t(1);
  auto reg = RegisterHousehold(t.tablet(0), OnePerson(), t.shelter_id(), false);
  REQUIRE_MESSAGE(reg.ok(), reg.error().ToString());
  auto id = AddHouseholdMember(t.tablet(0), reg->household, Child());
  REQUIRE_MESSAGE(id.ok(), id.error().ToString());
  CHECK(*id != reg->persons[0]);
  t.Reopen(0);
  auto h = LoadHousehold(t.tablet(0), reg->household);
  REQUIRE(h.ok());
  REQUIRE(h->members.size() == 2);
  const Person* added = nullptr;
  for (auto& m : h->members)
    if (m.id == *id) added = &m;
  REQUIRE(added);
  CHECK(added->name == "山田 陽太");
  CHECK(added->sex == "other");
  CHECK(added->dob == "2020-04-01");
  CHECK(added->household == reg->household);
  CHECK(added->source == "manual");
  CHECK(h->head == reg->persons[0]);  // the household record is not rewritten
  REQUIRE(h->pets.size() == 1);
  auto summary = t.tablet(0).state().FindPerson(*id);
  REQUIRE(summary.ok());
  REQUIRE(summary->has_value());
  CHECK((*summary)->event.empty());  // not checked in
}

TEST_CASE("add member: with check-in the person arrives at once") {
  TestShelter t(1);
  Node& n = t.tablet(0);
  auto reg = RegisterHousehold(n, OnePerson(), t.shelter_id(), true);
  REQUIRE(reg.ok());
  auto id = AddHouseholdMember(n, reg->household, Child(), /*check_in=*/true);
  REQUIRE_MESSAGE(id.ok(), id.error().ToString());
  auto p = n.state().FindPerson(*id);
  REQUIRE(p.ok());
  REQUIRE(p->has_value());
  CHECK((*p)->event == "arrive");
  auto counts = n.state().Counts(t.shelter_id());
  REQUIRE(counts.ok());
  CHECK(counts->in_shelter == 2);
}

TEST_CASE("add member: an invalid person, an unknown or a full household store nothing") {
  TestShelter t(1);
  Node& n = t.tablet(0);
  auto reg = RegisterHousehold(n, OnePerson(), t.shelter_id(), false);
  REQUIRE(reg.ok());
  Person nameless;
  nameless.dob = "2020-02-30";
  auto bad = AddHouseholdMember(n, reg->household, nameless);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == ErrorCode::kInvalidArgument);
  CHECK(bad.error().detail == "member 1: name or kana is required");
  auto unknown = AddHouseholdMember(n, Id16::Random(), Child());
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().code == ErrorCode::kNotFound);
  auto a_person = AddHouseholdMember(n, reg->persons[0], Child());  // not a household
  REQUIRE_FALSE(a_person.ok());
  CHECK(a_person.error().code == ErrorCode::kNotFound);
  auto members = n.state().Members(reg->household);
  REQUIRE(members.ok());
  CHECK(members->size() == 1);

  for (int i = 1; i < 50; ++i) REQUIRE(AddHouseholdMember(n, reg->household, Child()).ok());
  auto full = AddHouseholdMember(n, reg->household, Child());
  REQUIRE_FALSE(full.ok());
  CHECK(full.error().code == ErrorCode::kInvalidArgument);
  members = n.state().Members(reg->household);
  REQUIRE(members.ok());
  CHECK(members->size() == 50);
}

}  // namespace
}  // namespace shelter::core
