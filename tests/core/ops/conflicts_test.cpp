// Specifies core/ops/edit, with the conflicts of core/model/record_state.
// Conflicts are real and visible: an edit writes only the fields it changed, so one concurrent edit
// of one field on two tablets is exactly one conflict; equal concurrent values are none; a
// resolved field leaves the record out of conflict; two tablets merging one person into two
// different people is a conflict that staff see and resolve.
#include <doctest/doctest.h>

#include <set>

#include "core/ops/duplicates.hpp"
#include "core/ops/edit.hpp"
#include "core/ops/households.hpp"
#include "tests/support/test_shelter.hpp"

using namespace shelter::core;
using shelter::test::LogSegments;
using shelter::test::TestShelter;

namespace {

// Both tablets get everything the other holds (as a sync or a bundle would bring).
void Exchange(Node& a, Node& b) {
  for (auto [from, to] : {std::pair{&a, &b}, std::pair{&b, &a}})
    for (auto& wire : LogSegments(*from)) {
      auto r = to->Ingest(View(wire));
      REQUIRE_MESSAGE(r.ok(), r.error().ToString());
    }
}

Household Family() {
  Household h;
  h.address = "東京都千代田区麹町3丁目5番";
  h.phone = "03-0000-0000";
  Person p;
  p.name = "佐藤 花子";
  p.kana = "さとう はなこ";
  p.dob = "1970-01-02";
  p.sex = "female";
  p.needs = {"ELD"};
  h.members.push_back(p);
  return h;
}

Person LoadPerson(Node& n, const Id16& id) {
  auto rec = n.state().Get(id);
  REQUIRE(rec.ok());
  REQUIRE(rec->has_value());
  return PersonFromRecord(**rec);
}

std::vector<FieldConflict> Conflicts(Node& n) {
  auto c = ListConflicts(n);
  REQUIRE_MESSAGE(c.ok(), c.error().ToString());
  return *c;
}

Id16 RegisterOne(Node& n, const Id16& shelter, const std::string& name, const std::string& kana) {
  Household h;
  Person p;
  p.name = name;
  p.kana = kana;
  h.members.push_back(p);
  auto r = RegisterHousehold(n, h, shelter, false);
  REQUIRE_MESSAGE(r.ok(), r.error().ToString());
  return r->persons[0];
}

}  // namespace

TEST_CASE("conflicts: two tablets editing one person field concurrently make one conflict") {
  TestShelter t(2);
  Node& a = t.tablet(0);
  Node& b = t.tablet(1);
  auto reg = RegisterHousehold(a, Family(), t.shelter_id(), true);
  REQUIRE(reg.ok());
  const Id16 id = reg->persons[0];
  Exchange(a, b);

  // Each editor loads the whole person and saves it with one field changed, as the app does.
  const Person on_a = LoadPerson(a, id), on_b = LoadPerson(b, id);
  Person ea = on_a, eb = on_b;
  ea.phone = "090-1111-1111";
  eb.phone = "090-2222-2222";
  auto wa = SavePersonEdit(a, on_a, ea);
  auto wb = SavePersonEdit(b, on_b, eb);
  REQUIRE_MESSAGE(wa.ok(), wa.error().ToString());
  REQUIRE(wb.ok());
  CHECK(*wa == 1);  // only the changed field is written
  CHECK(*wb == 1);
  Exchange(a, b);

  for (Node* n : {&a, &b}) {
    auto c = Conflicts(*n);
    REQUIRE(c.size() == 1);
    CHECK(c[0].record == id);
    CHECK(c[0].field == field::kPhone);
    CHECK(c[0].values.size() == 2);
    auto p = n->state().FindPerson(id);
    REQUIRE(p.ok());
    CHECK((*p)->conflict);
  }

  // Saving with nothing changed writes nothing.
  const Person again = LoadPerson(a, id);
  auto none = SavePersonEdit(a, again, again);
  REQUIRE(none.ok());
  CHECK(*none == 0);
}

TEST_CASE("conflicts: a household edited in one field on two tablets is one conflict, not nine") {
  TestShelter t(2);
  Node& a = t.tablet(0);
  Node& b = t.tablet(1);
  auto reg = RegisterHousehold(a, Family(), t.shelter_id(), false);
  REQUIRE(reg.ok());
  Exchange(a, b);
  auto ha = LoadHousehold(a, reg->household);
  auto hb = LoadHousehold(b, reg->household);
  REQUIRE(ha.ok());
  REQUIRE(hb.ok());
  Household ea = *ha, eb = *hb;
  ea.residence = "車中泊（校庭）";
  eb.residence = "親戚宅";
  REQUIRE(SaveHouseholdEdit(a, *ha, ea).ok());
  REQUIRE(SaveHouseholdEdit(b, *hb, eb).ok());
  Exchange(a, b);
  auto c = Conflicts(a);
  REQUIRE(c.size() == 1);
  CHECK(c[0].record == reg->household);
  CHECK(c[0].type == RecordType::kHousehold);
  CHECK(c[0].field == field::kResidence);
}

TEST_CASE("conflicts: equal concurrent values are never a conflict, all fields written or not") {
  TestShelter t(2);
  Node& a = t.tablet(0);
  Node& b = t.tablet(1);
  auto reg = RegisterHousehold(a, Family(), t.shelter_id(), false);
  REQUIRE(reg.ok());
  const Id16 id = reg->persons[0];
  Exchange(a, b);
  // Both write all 19 fields of the person (as older app versions did); only the note differs.
  Person pa = LoadPerson(a, id), pb = LoadPerson(b, id);
  pa.note = "杖を使用";
  pb.note = "車椅子";
  REQUIRE(EditRecord(a, id, PersonFields(pa)).ok());
  REQUIRE(EditRecord(b, id, PersonFields(pb)).ok());
  Exchange(a, b);
  auto rec = a.state().Get(id);
  REQUIRE(rec.ok());
  CHECK((*rec)->fields.at(field::kName).size() == 2);  // both writes are kept ...
  CHECK_FALSE((*rec)->InConflict(field::kName));       // ... and agree
  CHECK((*rec)->ConflictedFields() == std::vector<std::string>{field::kNote});
  CHECK(Conflicts(a).size() == 1);

  // The same value typed on both tablets: no conflict at all.
  Person qa = LoadPerson(a, id), qb = LoadPerson(b, id);
  Person ra = qa, rb = qb;
  ra.phone = rb.phone = "090-3333-3333";
  REQUIRE(SavePersonEdit(a, qa, ra).ok());
  REQUIRE(SavePersonEdit(b, qb, rb).ok());
  Exchange(a, b);
  auto again = a.state().Get(id);
  REQUIRE(again.ok());
  CHECK_FALSE((*again)->InConflict(field::kPhone));
  CHECK(Conflicts(a).size() == 1);  // still only the note
}

TEST_CASE("conflicts: a resolved field leaves the person out of conflict on every tablet") {
  TestShelter t(2);
  Node& a = t.tablet(0);
  Node& b = t.tablet(1);
  auto reg = RegisterHousehold(a, Family(), t.shelter_id(), false);
  REQUIRE(reg.ok());
  const Id16 id = reg->persons[0];
  Exchange(a, b);
  // Older app versions wrote every field: equal values of the other 18 must not keep it flagged.
  Person pa = LoadPerson(a, id), pb = LoadPerson(b, id);
  pa.kana = "さとう はなこ（あ）";
  pb.kana = "さとう はなこ（い）";
  REQUIRE(EditRecord(a, id, PersonFields(pa)).ok());
  REQUIRE(EditRecord(b, id, PersonFields(pb)).ok());
  Exchange(a, b);
  auto c = Conflicts(b);
  REQUIRE(c.size() == 1);
  REQUIRE(c[0].field == field::kKana);
  size_t keep = c[0].values[0].value == cbor::Item("さとう はなこ（い）") ? 1 : 2;
  CHECK(ResolveConflictKeep(b, id, field::kKana, 3).error().code == ErrorCode::kInvalidArgument);
  REQUIRE(ResolveConflictKeep(b, id, field::kKana, keep).ok());
  CHECK(ResolveConflictKeep(b, id, field::kKana, 1).error().code == ErrorCode::kInvalidArgument);
  Exchange(a, b);
  for (Node* n : {&a, &b}) {
    CHECK(Conflicts(*n).empty());
    auto p = n->state().FindPerson(id);
    REQUIRE(p.ok());
    CHECK_FALSE((*p)->conflict);
    CHECK((*p)->kana == "さとう はなこ（い）");
    auto counts = n->state().Counts(t.shelter_id());
    REQUIRE(counts.ok());
    CHECK(counts->conflicts == 0);
  }
}

TEST_CASE("conflicts: merging one person into two different people on two tablets is a conflict") {
  TestShelter t(2);
  Node& a = t.tablet(0);
  Node& b = t.tablet(1);
  const Id16 pa = RegisterOne(a, t.shelter_id(), "鈴木 一郎", "すずき いちろう");
  const Id16 pb = RegisterOne(a, t.shelter_id(), "鈴木 一朗", "すずき いちろう");
  const Id16 pc = RegisterOne(a, t.shelter_id(), "鈴木 市郎", "すずき いちろう");
  Exchange(a, b);
  REQUIRE(MergePersons(a, pa, pb).ok());  // B into A here
  REQUIRE(MergePersons(b, pc, pb).ok());  // B into C there
  Exchange(a, b);

  for (Node* n : {&a, &b}) {
    auto c = Conflicts(*n);
    REQUIRE(c.size() == 1);
    CHECK(c[0].record == pb);
    CHECK(c[0].field == field::kMergedInto);
    REQUIRE(c[0].values.size() == 2);
    std::set<Id16> into;
    for (auto& v : c[0].values) {
      auto* bytes = v.value.as_bytes();
      REQUIRE(bytes);
      into.insert(Id16::FromBytes(View(*bytes)).value());
    }
    CHECK(into == std::set<Id16>{pa, pc});
  }
  // Staff keep "B is A": B is then part of A only, and nothing is in conflict.
  auto c = Conflicts(a);
  size_t keep = 1;
  for (size_t i = 0; i < c[0].values.size(); ++i)
    if (*c[0].values[i].value.as_bytes() == Bytes(pa.b.begin(), pa.b.end())) keep = i + 1;
  REQUIRE(ResolveConflictKeep(a, pb, field::kMergedInto, keep).ok());
  Exchange(a, b);
  for (Node* n : {&a, &b}) {
    CHECK(Conflicts(*n).empty());
    auto canon = n->state().CanonicalPerson(pb);
    REQUIRE(canon.ok());
    CHECK(*canon == pa);
  }
}

TEST_CASE("conflicts: the same merge made on two tablets is not a conflict") {
  TestShelter t(2);
  Node& a = t.tablet(0);
  Node& b = t.tablet(1);
  const Id16 pa = RegisterOne(a, t.shelter_id(), "鈴木 一郎", "すずき いちろう");
  const Id16 pb = RegisterOne(a, t.shelter_id(), "鈴木 一朗", "すずき いちろう");
  Exchange(a, b);
  REQUIRE(MergePersons(a, pa, pb).ok());
  REQUIRE(MergePersons(b, pa, pb).ok());
  Exchange(a, b);
  CHECK(Conflicts(a).empty());
  CHECK(Conflicts(b).empty());
}

TEST_CASE("conflicts: an edit that arrives while the editor is open is kept beside staff's value") {
  TestShelter t(2);
  Node& a = t.tablet(0);
  Node& b = t.tablet(1);
  auto reg = RegisterHousehold(a, Family(), t.shelter_id(), true);
  REQUIRE(reg.ok());
  const Id16 id = reg->persons[0];
  Exchange(a, b);

  // B opens the editor (and takes its base); A's edit arrives while B's staff type.
  const Person on_b = LoadPerson(b, id);
  auto base = EditBaseOf(b, {id});
  REQUIRE(base.ok());
  Person ea = LoadPerson(a, id);
  ea.phone = "090-1111-1111";
  REQUIRE(SavePersonEdit(a, LoadPerson(a, id), ea).ok());
  Exchange(a, b);
  CHECK(ChangedSince(b, *base, id) == std::vector<std::string>{field::kPhone});
  CHECK(ChangedSince(b, *base, Id16::Random()).empty());

  Person eb = on_b;
  eb.phone = "090-2222-2222";
  REQUIRE(SavePersonEdit(b, on_b, eb, &*base).ok());
  auto c = Conflicts(b);
  REQUIRE(c.size() == 1);  // not overwritten unseen: both values stand, staff choose
  CHECK(c[0].field == field::kPhone);
  CHECK(c[0].values.size() == 2);
  Exchange(a, b);
  CHECK(Conflicts(a).size() == 1);

  // Without a base the same save supersedes what B shows (the CLI's one-shot edit).
  REQUIRE(ResolveConflictKeep(b, id, field::kPhone, 1).ok());
  Person shown = LoadPerson(b, id);
  Person ec = shown;
  ec.phone = "090-3333-3333";
  REQUIRE(SavePersonEdit(b, shown, ec).ok());
  CHECK(Conflicts(b).empty());
}
