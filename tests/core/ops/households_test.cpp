// Tests for core/ops/households: a household registered on a logged-in tablet loads back whole,
// shows on the shelter's roster when checked in, checks out once, takes edits of its fields, and
// an invalid draft or a shelter this tablet is not enrolled for stores nothing.
#include "core/ops/households.hpp"

#include <doctest/doctest.h>

#include <string>

#include "tests/support/test_shelter.hpp"

namespace shelter::core {
namespace {

using test::TestShelter;

Household Family() {
  Household h;
  h.address = "東京都千代田区1-1";
  h.phone = "090-0000-0000";
  Person a;
  a.name = "山田 太郎";
  a.kana = "やまだ たろう";
  a.dob = "1960-05-05";
  a.sex = "male";
  Person b;
  b.name = "山田 花子";
  b.kana = "やまだ はなこ";
  b.dob = "1962-07-07";
  b.sex = "female";
  b.needs = {"ELD"};
  h.members = {a, b};
  return h;
}

std::string EventOf(Node& n, const Id16& person) {
  auto p = n.state().FindPerson(person);
  REQUIRE(p.ok());
  REQUIRE(p->has_value());
  return (*p)->event;
}

TEST_CASE("households: a registered household loads back with every member") {
  TestShelter t(1);
  Node& n = t.tablet(0);
  auto reg = RegisterHousehold(n, Family(), t.shelter_id(), /*check_in=*/false);
  REQUIRE_MESSAGE(reg.ok(), reg.error().ToString());
  REQUIRE(reg->persons.size() == 2);
  auto h = LoadHousehold(n, reg->household);
  REQUIRE_MESSAGE(h.ok(), h.error().ToString());
  CHECK(h->id == reg->household);
  CHECK(h->shelter == t.shelter_id());
  CHECK(h->address == "東京都千代田区1-1");
  CHECK(h->head == reg->persons[0]);  // the first member heads the household by default
  REQUIRE(h->members.size() == 2);
  for (auto& m : h->members) CHECK(m.household == reg->household);
  auto hanako = n.state().FindPerson(reg->persons[1]);
  REQUIRE(hanako.ok());
  REQUIRE(hanako->has_value());
  CHECK((*hanako)->name == "山田 花子");
  CHECK((*hanako)->event.empty());  // registered, never checked in
  CHECK(LoadHousehold(n, Id16::Random()).error().code == ErrorCode::kNotFound);
  CHECK(LoadHousehold(n, reg->persons[0]).error().code == ErrorCode::kNotFound);  // a person
}

TEST_CASE("households: checked in at registration, every member is on the roster") {
  TestShelter t(1);
  Node& n = t.tablet(0);
  auto reg = RegisterHousehold(n, Family(), t.shelter_id(), /*check_in=*/true);
  REQUIRE(reg.ok());
  auto roster = n.state().Roster(t.shelter_id());
  REQUIRE(roster.ok());
  REQUIRE(roster->size() == 2);
  for (auto& p : *roster) CHECK(p.InShelter());
}

TEST_CASE("households: check-out once, a second check-out is kConflict, check-in again") {
  TestShelter t(1);
  Node& n = t.tablet(0);
  auto reg = RegisterHousehold(n, Family(), t.shelter_id(), /*check_in=*/false);
  REQUIRE(reg.ok());
  const Id16& taro = reg->persons[0];
  REQUIRE(CheckIn(n, taro).ok());
  CHECK(EventOf(n, taro) == "arrive");
  REQUIRE(CheckOut(n, taro).ok());
  CHECK(EventOf(n, taro) == "leave");
  auto twice = CheckOut(n, taro);
  REQUIRE_FALSE(twice.ok());
  CHECK(twice.error().code == ErrorCode::kConflict);
  REQUIRE(CheckIn(n, taro).ok());
  CHECK(EventOf(n, taro) == "arrive");
  auto stays = n.state().Stays(taro);
  REQUIRE(stays.ok());
  CHECK(stays->size() == 3);
}

TEST_CASE("households: an edit changes the fields it names and nothing else") {
  TestShelter t(1);
  Node& n = t.tablet(0);
  auto reg = RegisterHousehold(n, Family(), t.shelter_id(), /*check_in=*/false);
  REQUIRE(reg.ok());
  REQUIRE(EditRecord(n, reg->household, {{field::kPhone, cbor::Item("03-1111-2222")}}).ok());
  auto h = LoadHousehold(n, reg->household);
  REQUIRE(h.ok());
  CHECK(h->phone == "03-1111-2222");
  CHECK(h->address == "東京都千代田区1-1");
  auto internal = EditRecord(n, reg->household, {{field::kDeleted, cbor::Item(true)}});
  REQUIRE_FALSE(internal.ok());
  CHECK(internal.error().code == ErrorCode::kInvalidArgument);  // "_" fields are not edits
  CHECK(EditRecord(n, Id16::Random(), {{field::kPhone, cbor::Item("0")}}).error().code ==
        ErrorCode::kNotFound);
  auto no_conflict = ResolveConflict(n, reg->household, field::kPhone, cbor::Item("x"));
  REQUIRE_FALSE(no_conflict.ok());
  CHECK(no_conflict.error().code == ErrorCode::kInvalidArgument);
}

TEST_CASE("households: an invalid draft or a foreign shelter stores nothing") {
  TestShelter t(1);
  Node& n = t.tablet(0);
  Household empty;  // no members
  auto r = RegisterHousehold(n, empty, t.shelter_id(), true);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::kInvalidArgument);
  auto none = RegisterHousehold(n, Family(), Id16{}, true);
  REQUIRE_FALSE(none.ok());
  CHECK(none.error().code == ErrorCode::kInvalidArgument);
  auto foreign = RegisterHousehold(n, Family(), Id16::Random(), true);
  REQUIRE_FALSE(foreign.ok());
  CHECK(foreign.error().code == ErrorCode::kPermissionDenied);
  // One bad household in a batch stores none of them.
  std::vector<Household> batch = {Family(), empty};
  CHECK_FALSE(RegisterHouseholds(n, batch, t.shelter_id(), true).ok());
  auto roster = n.state().Roster(Id16{});
  REQUIRE(roster.ok());
  CHECK(roster->empty());
}

}  // namespace
}  // namespace shelter::core
