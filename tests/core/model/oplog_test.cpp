// Specifies core/model/state, with core/ops/households writing and core/node/node ingesting.
// The op log end to end across devices: multi-value registers keep concurrent edits, state hashes
// agree whatever the delivery order, rebuilds are exact, and bad segments change nothing.
#include <doctest/doctest.h>

#include <filesystem>
#include <random>

#include "core/ops/households.hpp"
#include "tests/support/test_shelter.hpp"

using namespace shelter::core;
using shelter::test::TestShelter;

namespace {

// Delivers every segment `from` holds to `to`, in the given order of (device, number) pairs.
void Deliver(Node& from, Node& to, bool reverse = false) {
  std::vector<Bytes> wires;
  REQUIRE(from.log()
              .ForEachSegment([&](const Segment& s) {
                wires.push_back(s.wire);
                return Ok();
              })
              .ok());
  if (reverse) std::reverse(wires.begin(), wires.end());
  for (auto& w : wires) {
    auto r = to.Ingest(View(w));
    REQUIRE_MESSAGE(r.ok(), r.error().ToString());
  }
}

Hash32 HashOf(Node& n) {
  auto h = n.state().StateHash();
  REQUIRE(h.ok());
  return *h;
}

Household OnePerson(const std::string& name, const std::string& kana) {
  Household h;
  Person p;
  p.name = name;
  p.kana = kana;
  p.dob = "1970-01-02";
  p.sex = "female";
  h.members.push_back(p);
  return h;
}

}  // namespace

TEST_CASE("concurrent edits of one field from two devices are both kept and shown as a conflict") {
  TestShelter t(3);
  Node& a = t.tablet(0);
  Node& b = t.tablet(1);
  auto reg = RegisterHousehold(a, OnePerson("佐藤 花子", "さとう はなこ"), t.shelter_id(), true);
  REQUIRE(reg.ok());
  Id16 person = reg->persons[0];
  Deliver(a, b);
  REQUIRE(b.state().Get(person).value().has_value());

  // Both edit the same field while apart.
  REQUIRE(EditRecord(a, person, {{field::kName, cbor::Item("佐藤 花")}}).ok());
  REQUIRE(EditRecord(b, person, {{field::kName, cbor::Item("佐藤 はなこ")}}).ok());
  Deliver(a, b);
  Deliver(b, a);

  for (Node* n : {&a, &b}) {
    auto rec = n->state().Get(person).value();
    REQUIRE(rec.has_value());
    CHECK(rec->InConflict(field::kName));
    CHECK(rec->fields.at(field::kName).size() == 2);
    CHECK_FALSE(rec->InConflict(field::kKana));
  }
  // The same winner is shown on both, and the whole state is identical.
  CHECK(a.state().Get(person).value()->Text(field::kName) ==
        b.state().Get(person).value()->Text(field::kName));
  CHECK(HashOf(a) == HashOf(b));
  auto found = a.state().SearchPersons("さとう");
  REQUIRE(found.ok());
  REQUIRE(found->size() == 1);
  CHECK(found->front().conflict);

  // Resolving on one device supersedes both values everywhere.
  REQUIRE(ResolveConflict(b, person, field::kName, cbor::Item("佐藤 花子")).ok());
  Deliver(b, a);
  for (Node* n : {&a, &b}) {
    auto rec = n->state().Get(person).value();
    CHECK_FALSE(rec->InConflict(field::kName));
    CHECK(rec->Text(field::kName) == "佐藤 花子");
  }
  CHECK(HashOf(a) == HashOf(b));
}

TEST_CASE("dropping and rebuilding the state gives the same state hash") {
  TestShelter t(2);
  Node& a = t.tablet(0);
  for (int i = 0; i < 20; ++i)
    REQUIRE(RegisterHousehold(a, OnePerson("鈴木 " + std::to_string(i), "すずき"), t.shelter_id(),
                              i % 2 == 0)
                .ok());
  auto roster = a.state().Roster(t.shelter_id());
  REQUIRE(roster.ok());
  REQUIRE(CheckOut(a, roster->front().id).ok());
  REQUIRE(EditRecord(a, roster->back().id, {{field::kNote, cbor::Item("note")}}).ok());
  Hash32 before = HashOf(a);
  REQUIRE(a.Rebuild().ok());
  CHECK(HashOf(a) == before);
  // A fresh login (new in-memory state) folds to the same hash.
  REQUIRE(a.Login("lead", "5678").ok());
  CHECK(HashOf(a) == before);
}

TEST_CASE("delivery order does not change the converged state") {
  TestShelter t(3);
  Node& a = t.tablet(0);
  Node& b = t.tablet(1);
  Node& c = t.tablet(2);
  auto ra = RegisterHousehold(a, OnePerson("田中 一", "たなか はじめ"), t.shelter_id(), true);
  REQUIRE(ra.ok());
  Deliver(a, b);
  for (int i = 0; i < 5; ++i) {
    REQUIRE(
        EditRecord(a, ra->persons[0], {{field::kPhone, cbor::Item("a" + std::to_string(i))}}).ok());
    REQUIRE(
        EditRecord(b, ra->persons[0], {{field::kPhone, cbor::Item("b" + std::to_string(i))}}).ok());
    REQUIRE(RegisterHousehold(b, OnePerson("中村", "なかむら"), t.shelter_id(), false).ok());
  }
  // c gets b's segments first and a's in reverse (gaps wait for their predecessors).
  Deliver(b, c, true);
  Deliver(a, c, true);
  Deliver(a, b);
  Deliver(b, a);
  CHECK(HashOf(a) == HashOf(b));
  CHECK(HashOf(b) == HashOf(c));
  auto rec = c.state().Get(ra->persons[0]).value();
  CHECK(rec->fields.at(field::kPhone).size() == 2);  // a4 and b4: each side's latest
}

TEST_CASE("a person that arrives after its check-in shows where it is") {
  // Regression: folding a person op skips refreshing the stay status of a known person; a new
  // person whose stays came first (from another tablet) still takes them.
  TestShelter t(3);
  Node& a = t.tablet(0);
  Node& b = t.tablet(1);
  Node& c = t.tablet(2);
  auto r = RegisterHousehold(a, OnePerson("森 一", "もり はじめ"), t.shelter_id(), false);
  REQUIRE(r.ok());
  const Id16 person = r->persons[0];
  Deliver(a, b);
  REQUIRE(CheckIn(b, person).ok());
  // c gets b's own segments (the check-in) before a's (the person).
  for (Node* from : {&b, &a}) {
    REQUIRE(from->log()
                .ForEachSegment([&](const Segment& s) -> Status {
                  if (s.header.device != from->device().device) return Ok();
                  auto in = c.Ingest(View(s.wire));
                  REQUIRE_MESSAGE(in.ok(), in.error().ToString());
                  return Ok();
                })
                .ok());
  }
  for (Node* n : {&b, &c}) {
    auto found = n->state().FindPerson(person).value();
    REQUIRE(found.has_value());
    CHECK(found->InShelter());
  }
  // An edit of the person afterwards keeps the status.
  REQUIRE(EditRecord(c, person, {{field::kNote, cbor::Item("2F")}}).ok());
  CHECK(c.state().FindPerson(person).value()->InShelter());
}

TEST_CASE("an edit concurrent with a delete keeps the record") {
  TestShelter t(2);
  Node& a = t.tablet(0);
  Node& b = t.tablet(1);
  auto r = RegisterHousehold(a, OnePerson("小林", "こばやし"), t.shelter_id(), false);
  REQUIRE(r.ok());
  Id16 p = r->persons[0];
  Deliver(a, b);
  // a deletes: null for every field it sees, plus the delete flag.
  auto rec = a.state().Get(p).value();
  std::vector<FieldWrite> del = {{field::kDeleted, cbor::Item(true)}};
  for (auto& [name, vals] : rec->fields) del.push_back({name, cbor::Item()});
  REQUIRE(a.Commit(rec->scope, {{p, RecordType::kPerson, del}}).ok());
  CHECK(a.state().Get(p).value()->Deleted());
  REQUIRE(EditRecord(b, p, {{field::kNote, cbor::Item("moved to gym")}}).ok());
  Deliver(a, b);
  Deliver(b, a);
  CHECK_FALSE(a.state().Get(p).value()->Deleted());
  CHECK_FALSE(b.state().Get(p).value()->Deleted());
  CHECK(HashOf(a) == HashOf(b));
}

TEST_CASE("tampered, unknown-device and equivocating segments have no effect and are reported") {
  TestShelter t(2);
  Node& a = t.tablet(0);
  Node& b = t.tablet(1);
  REQUIRE(RegisterHousehold(a, OnePerson("加藤", "かとう"), t.shelter_id(), false).ok());
  auto seg = a.log().GetSegment(a.device().device, 1).value();
  REQUIRE(seg.has_value());
  Hash32 before = HashOf(b);

  SUBCASE("tampered ciphertext") {
    Bytes w = seg->wire;
    w[kSegmentHeaderBytes + 10] ^= 1;
    auto r = b.Ingest(View(w));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::kCrypto);
  }
  SUBCASE("truncated") {
    Bytes w(seg->wire.begin(), seg->wire.begin() + 100);
    auto r = b.Ingest(View(w));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::kParse);
  }
  SUBCASE("unknown device") {
    Bytes w = seg->wire;
    w[5] ^= 1;  // device id byte
    auto r = b.Ingest(View(w));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::kNotFound);
  }
  SUBCASE("equivocation: a cloned tablet signs a different segment with the same number") {
    REQUIRE(b.Ingest(View(seg->wire)).ok());
    before = HashOf(b);
    std::string clone_dir = t.root() + "/clone";
    std::filesystem::copy(t.tablet_dir(0), clone_dir);
    auto clone = t.OpenLoggedIn(clone_dir);
    REQUIRE(RegisterHousehold(a, OnePerson("吉田", "よしだ"), t.shelter_id(), false).ok());
    REQUIRE(RegisterHousehold(*clone, OnePerson("別人", "べつじん"), t.shelter_id(), false).ok());
    auto mine = a.log().GetSegment(a.device().device, 2).value();
    auto forked = clone->log().GetSegment(a.device().device, 2).value();
    REQUIRE(b.Ingest(View(mine->wire)).ok());
    before = HashOf(b);
    auto r = b.Ingest(View(forked->wire));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::kConflict);
    auto incidents = b.log().Incidents();
    REQUIRE(incidents.ok());
    REQUIRE_FALSE(incidents->empty());
    CHECK(incidents->back().kind == "equivocation");
  }
  CHECK(HashOf(b) == before);
  // Replaying the genuine segment twice counts once.
  auto first = b.Ingest(View(seg->wire));
  auto again = b.Ingest(View(seg->wire));
  REQUIRE(again.ok());
  CHECK_FALSE(*again);
}
