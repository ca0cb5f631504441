// Tests for core/ops/moves: MoveTo records each place and the counts follow the whereabouts
// rule; undo writes an event (history kept), puts the person back, is refused twice, and gives
// the same answer on two tablets whatever order their moves and undos arrive in.
#include "core/ops/moves.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "core/ops/households.hpp"
#include "core/ops/status_summary.hpp"
#include "tests/support/test_shelter.hpp"

namespace shelter::core {
namespace {

using test::LogSegments;
using test::TestShelter;

Household Family(int members) {
  Household h;
  h.address = "宮城県石巻市1-1";
  const char* kana[] = {"いしの たろう", "いしの はなこ", "いしの じろう"};
  for (int i = 0; i < members; ++i) {
    Person p;
    p.kana = kana[i];
    p.dob = "1970-01-0" + std::to_string(i + 1);
    h.members.push_back(p);
  }
  return h;
}

PersonSummary Now(Node& n, const Id16& person) {
  auto p = n.state().FindPerson(person);
  REQUIRE(p.ok());
  REQUIRE(p->has_value());
  return **p;
}

ShelterCounts CountsOf(TestShelter& t, Node& n) {
  auto c = n.state().Counts(t.shelter_id());
  REQUIRE(c.ok());
  return *c;
}

void Exchange(Node& a, Node& b) {
  for (auto [from, to] : {std::pair{&a, &b}, std::pair{&b, &a}})
    for (auto& wire : LogSegments(*from)) {
      auto r = to->Ingest(View(wire));
      REQUIRE_MESSAGE(r.ok(), r.error().ToString());
    }
}

TEST_CASE("moves: each place moves the person and the counts follow the rule") {
  TestShelter t(1);
  Node& n = t.tablet(0);
  auto reg = RegisterHousehold(n, Family(3), t.shelter_id(), /*check_in=*/false);
  REQUIRE(reg.ok());
  const Id16 a = reg->persons[0], b = reg->persons[1];
  CHECK(CountsOf(t, n).never_arrived == 3);
  REQUIRE(MoveTo(n, a, Place::kCar).ok());
  REQUIRE(MoveTo(n, b, Place::kHome).ok());
  auto c = CountsOf(t, n);
  CHECK(c.in_car == 1);
  CHECK(c.at_home == 1);
  CHECK(c.never_arrived == 1);
  CHECK(Now(n, a).event == "arrive");
  CHECK(Now(n, a).place == "car");
  // Out for the day, then 退所: two different classes.
  REQUIRE(MoveTo(n, a, Place::kOutForDay).ok());
  CHECK(CountsOf(t, n).out == 1);
  REQUIRE(MoveTo(n, a, Place::kLeft).ok());
  c = CountsOf(t, n);
  CHECK(c.out == 0);
  CHECK(c.left == 1);
  CHECK(c.persons == 3);
  // Where the person already is: refused, nothing written.
  auto again = MoveTo(n, a, Place::kLeft);
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().code == ErrorCode::kConflict);
  CHECK(MoveTo(n, Id16::Random(), Place::kShelter).error().code == ErrorCode::kNotFound);
  // The status report counts the same, and a person who left is in none of its counts.
  auto r = Summarize(n, t.shelter_id(), 1'800'000'000);
  REQUIRE_MESSAGE(r.ok(), r.error().ToString());
  CHECK(r->at_home == 1);
  CHECK(r->in_car == 0);
  CHECK(r->out == 0);
  CHECK(r->in_shelter + r->out + r->at_home + r->in_car + r->elsewhere + r->never_arrived == 2);
}

TEST_CASE("moves: a check-in at registration can be at a place and undone") {
  TestShelter t(1);
  Node& n = t.tablet(0);
  auto reg = RegisterHousehold(n, Family(2), t.shelter_id(), /*check_in=*/true, Place::kCar);
  REQUIRE(reg.ok());
  REQUIRE(reg->stays.size() == 2);
  CHECK(CountsOf(t, n).in_car == 2);
  auto undone = UndoMoves(n, reg->stays);
  REQUIRE_MESSAGE(undone.ok(), undone.error().ToString());
  CHECK(undone->size() == 2);
  auto c = CountsOf(t, n);
  CHECK(c.in_car == 0);
  CHECK(c.never_arrived == 2);
  CHECK(Now(n, reg->persons[0]).event.empty());
}

TEST_CASE("moves: undo puts the person back and keeps the history") {
  TestShelter t(1);
  Node& n = t.tablet(0);
  auto reg = RegisterHousehold(n, Family(1), t.shelter_id(), /*check_in=*/true);
  REQUIRE(reg.ok());
  const Id16 a = reg->persons[0];
  auto out = MoveTo(n, a, Place::kOutForDay);
  REQUIRE(out.ok());
  CHECK(CountsOf(t, n).out == 1);
  auto undo = UndoMoves(n, {*out});
  REQUIRE_MESSAGE(undo.ok(), undo.error().ToString());
  CHECK(Now(n, a).InShelter());
  CHECK(CountsOf(t, n).out == 0);
  CHECK(CountsOf(t, n).in_shelter == 1);
  auto stays = n.state().Stays(a);
  REQUIRE(stays.ok());
  REQUIRE(stays->size() == 3);  // arrive, leave (undone), undone
  CHECK(stays->at(1).undone);
  CHECK(stays->at(2).event == "undone");
  CHECK(stays->at(2).undoes == *out);
  // Twice, or an undo of an undo: refused.
  CHECK(UndoMoves(n, {*out}).error().code == ErrorCode::kConflict);
  CHECK(UndoMoves(n, {undo->front()}).error().code == ErrorCode::kConflict);
  CHECK(UndoMoves(n, {Id16::Random()}).error().code == ErrorCode::kNotFound);
  // The CLI's undo: the latest move not undone (the check-in), then none is left.
  auto last = UndoLastMove(n, a);
  REQUIRE(last.ok());
  CHECK(*last == reg->stays[0]);
  CHECK(Now(n, a).event.empty());
  CHECK(UndoLastMove(n, a).error().code == ErrorCode::kNotFound);
  // After a restart the state is rebuilt from the log: the same answer.
  t.Reopen(0);
  auto c = t.tablet(0).state().Counts(t.shelter_id());
  REQUIRE(c.ok());
  CHECK(c->never_arrived == 1);
}

TEST_CASE("moves: undo after two tablets merge gives one answer on both") {
  TestShelter t(2);
  Node& a = t.tablet(0);
  Node& b = t.tablet(1);
  auto reg = RegisterHousehold(a, Family(2), t.shelter_id(), /*check_in=*/true);
  REQUIRE(reg.ok());
  Exchange(a, b);
  const Id16 p0 = reg->persons[0], p1 = reg->persons[1];
  // Offline: A moves p0 to a car and undoes it; B moves p1 home and p0 out for the day.
  auto car = MoveTo(a, p0, Place::kCar);
  REQUIRE(car.ok());
  REQUIRE(UndoMoves(a, {*car}).ok());
  REQUIRE(MoveTo(b, p1, Place::kHome).ok());
  auto out = MoveTo(b, p0, Place::kOutForDay);
  REQUIRE(out.ok());
  Exchange(a, b);
  for (Node* n : {&a, &b}) {
    auto c = CountsOf(t, *n);
    CHECK(c.in_car == 0);
    CHECK(c.at_home == 1);
    CHECK(c.out == 1);  // B's move stands: only A's car was undone
  }
  // A undoes B's move (seen after the sync): p0 is back in the shelter on both.
  REQUIRE(UndoMoves(a, {*out}).ok());
  Exchange(a, b);
  for (Node* n : {&a, &b}) {
    CHECK(Now(*n, p0).InShelter());
    CHECK(CountsOf(t, *n).in_shelter == 1);
  }
  auto ha = a.state().StateHash(), hb = b.state().StateHash();
  REQUIRE(ha.ok());
  REQUIRE(hb.ok());
  CHECK(*ha == *hb);
}

TEST_CASE("moves: an undo that arrives before the move it undoes still cancels it") {
  TestShelter t(3);
  Node& a = t.tablet(0);
  Node& b = t.tablet(1);
  Node& c = t.tablet(2);
  auto reg = RegisterHousehold(a, Family(1), t.shelter_id(), /*check_in=*/true);
  REQUIRE(reg.ok());
  Exchange(a, b);
  const auto before_move = LogSegments(a);
  auto car = MoveTo(a, reg->persons[0], Place::kCar);
  REQUIRE(car.ok());
  Exchange(a, b);
  REQUIRE(UndoMoves(b, {*car}).ok());
  // C gets A's registration, then B's own segments (the undo), and only then A's move.
  const auto a_all = LogSegments(a);
  auto ingest = [&](const Bytes& wire) {
    auto r = c.Ingest(View(wire));
    REQUIRE_MESSAGE(r.ok(), r.error().ToString());
  };
  for (auto& wire : before_move) ingest(wire);
  for (auto& wire : LogSegments(b))
    if (std::find(a_all.begin(), a_all.end(), wire) == a_all.end()) ingest(wire);
  CHECK(Now(c, reg->persons[0]).InShelter());
  for (auto& wire : a_all) ingest(wire);
  CHECK(Now(c, reg->persons[0]).InShelter());
  CHECK(CountsOf(t, c).in_car == 0);
}

}  // namespace
}  // namespace shelter::core
