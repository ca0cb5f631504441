// Specifies core/ops/duplicates, with core/ops/person_match.
// Duplicate detection: each spelling variant is found with its reason, look-alikes are not,
// merges converge across tablets (also when two tablets merge in opposite directions), and on a
// generated population precision and recall stay above measured floors.
#include "core/ops/duplicates.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "core/ops/households.hpp"
#include "tests/support/test_shelter.hpp"
#include "tools/fixtures/population.hpp"

using namespace shelter::core;
using shelter::test::TestShelter;

namespace {

PersonFacts Base() {
  PersonFacts f;
  f.id = Id16::Random();
  f.name = "高橋 一郎";
  f.kana = "たかはし いちろう";
  f.dob = "1950-04-01";
  f.sex = "male";
  f.address = "宮城県石巻市中央2丁目3番4号";
  return f;
}

bool Has(const DuplicateCandidate& c, const char* reason) {
  return std::find(c.reasons.begin(), c.reasons.end(), std::string(reason)) != c.reasons.end();
}

std::string Reasons(const DuplicateCandidate& c) {
  std::string out;
  for (auto& r : c.reasons) out += r + " ";
  return out + "score " + std::to_string(c.score);
}

// Delivers the segments `from` holds (only those it wrote itself when `own_only`) to `to`.
void Deliver(Node& from, Node& to, bool own_only = false) {
  std::vector<Bytes> wires;
  REQUIRE(from.log()
              .ForEachSegment([&](const Segment& s) {
                if (!own_only || s.header.device == from.device().device) wires.push_back(s.wire);
                return Ok();
              })
              .ok());
  for (auto& w : wires) REQUIRE(to.Ingest(View(w)).ok());
}

Hash32 HashOf(Node& n) {
  auto h = n.state().StateHash();
  REQUIRE(h.ok());
  return *h;
}

Household OneMember(const std::string& name, const std::string& kana, const std::string& dob,
                    const std::string& address) {
  Household h;
  h.address = address;
  Person p;
  p.name = name;
  p.kana = kana;
  p.dob = dob;
  p.sex = "male";
  h.members.push_back(p);
  return h;
}

constexpr int kThreshold = DuplicateOptions{}.threshold;

}  // namespace

TEST_CASE("every variant kind from the field is a candidate, with its reason") {
  struct Variant {
    const char* what;
    void (*edit)(PersonFacts&);
    const char* reason;
  };
  const Variant variants[] = {
      {"old form 髙", [](PersonFacts& f) { f.name = "髙橋 一郎"; }, reason::kNameKanjiVariant},
      {"old form 﨑", [](PersonFacts& f) { f.name = "山\uFA11 一郎"; }, reason::kNameKanjiVariant},
      {"old form 邊", [](PersonFacts& f) { f.name = "渡邊 一郎"; }, reason::kNameKanjiVariant},
      {"old form 齋", [](PersonFacts& f) { f.name = "齋藤 一郎"; }, reason::kNameKanjiVariant},
      {"katakana", [](PersonFacts& f) { f.kana = "タカハシ イチロウ"; },
       reason::kKanaScriptOrWidth},
      {"half-width", [](PersonFacts& f) { f.kana = "ﾀｶﾊｼ ｲﾁﾛｳ"; }, reason::kKanaScriptOrWidth},
      {"order", [](PersonFacts& f) { f.name = "一郎 高橋", f.kana = "いちろう たかはし"; },
       reason::kNameOrderSwapped},
      {"ideographic space", [](PersonFacts& f) { f.name = "高橋\u3000一郎"; }, reason::kSameName},
      {"no space", [](PersonFacts& f) { f.name = "高橋一郎", f.kana = "たかはしいちろう"; },
       reason::kSameKana},
      {"full-width digits and hyphens",
       [](PersonFacts& f) { f.address = "宮城県石巻市中央２－３－４"; }, reason::kSameAddress},
      {"kanji numerals", [](PersonFacts& f) { f.address = "宮城県石巻市中央二丁目三番四号"; },
       reason::kSameAddress},
      {"番地", [](PersonFacts& f) { f.address = "宮城県石巻市中央2丁目3番地4"; },
       reason::kSameAddress},
      {"hyphens", [](PersonFacts& f) { f.address = "宮城県石巻市中央2-3-4"; },
       reason::kSameAddress},
      {"no kana", [](PersonFacts& f) { f.kana.clear(); }, reason::kKanaMissing},
      {"no dob", [](PersonFacts& f) { f.dob.clear(); }, reason::kDobMissing},
      {"month and day swapped", [](PersonFacts& f) { f.dob = "1950-01-04"; }, reason::kDobSimilar},
      {"name written in kana", [](PersonFacts& f) { f.name = "たかはし いちろう", f.kana.clear(); },
       reason::kNameMatchesKana},
      {"long vowel dropped in the reading", [](PersonFacts& f) { f.kana = "たかはし いちろ"; },
       reason::kKanaSlip},
      {"small kana written large",
       [](PersonFacts& f) { f.name = "高橋 京子", f.kana = "たかはし きようこ"; },
       reason::kKanaSlip},
      {"other kanji, same reading", [](PersonFacts& f) { f.name = "高橋 一朗"; },
       reason::kKanjiDiffers},
  };
  for (const Variant& v : variants) {
    CAPTURE(v.what);
    PersonFacts a = Base(), b = Base();
    b.id = Id16::Random();
    if (std::string(v.what).starts_with("old form ")) {
      a.name = std::string(v.what) == "old form 髙"   ? "高橋 一郎"
               : std::string(v.what) == "old form 﨑" ? "山崎 一郎"
               : std::string(v.what) == "old form 邊" ? "渡辺 一郎"
                                                      : "斎藤 一郎";
      a.kana = b.kana = "";  // the kanji alone must match
    }
    if (std::string(v.what) == "small kana written large")
      a.name = "高橋 京子", a.kana = "たかはし きょうこ";
    v.edit(b);
    DuplicateCandidate c = ScorePair(a, b);
    CAPTURE(Reasons(c));
    CHECK(Has(c, v.reason));
    CHECK(c.score >= kThreshold);
  }
  // The strongest case: everything equal.
  CHECK(ScorePair(Base(), Base()).score == 100);
}

TEST_CASE("look-alikes are not candidates") {
  SUBCASE("a namesake born on another day, living elsewhere") {
    PersonFacts a = Base(), b = Base();
    a.name = b.name = "佐藤 花子";
    a.kana = b.kana = "さとう はなこ";
    a.sex = b.sex = "female";
    b.dob = "1962-11-23";
    b.address = "岩手県陸前高田市高田町1-2-3";
    DuplicateCandidate c = ScorePair(a, b);
    CAPTURE(Reasons(c));
    CHECK(Has(c, reason::kDobDiffers));
    CHECK(c.score < kThreshold);
  }
  SUBCASE("twins: one birth date and address, other given names") {
    PersonFacts a = Base(), b = Base();
    a.household = b.household = Id16::Random();
    a.name = "高橋 翔太", a.kana = "たかはし しょうた";
    b.name = "高橋 大輝", b.kana = "たかはし だいき";
    DuplicateCandidate c = ScorePair(a, b);
    CHECK(c.reasons.empty());
    CHECK(c.score == 0);
  }
  SUBCASE("twins whose names differ by one kana") {
    PersonFacts a = Base(), b = Base();
    a.household = b.household = Id16::Random();
    a.name = "高橋 勇希", a.kana = "たかはし ゆうき";
    b.name = "高橋 由紀", b.kana = "たかはし ゆき";
    DuplicateCandidate c = ScorePair(a, b);
    CAPTURE(Reasons(c));
    CHECK(c.score < kThreshold);
    b.name = "高橋 勇真", b.kana = "たかはし ゆうま";  // another kana in the same place: no slip
    CHECK(ScorePair(a, b).reasons.empty());
  }
  SUBCASE("a son named after his father") {
    PersonFacts father = Base(), son = Base();
    father.household = son.household = Id16::Random();
    son.dob = "1978-09-12";
    father.members = {{"高橋 一郎", ""}, {"高橋 和子", ""}};  // the son and the mother
    son.members = {{"高橋 一郎", ""}, {"高橋 和子", ""}};     // the father and the mother
    DuplicateCandidate c = ScorePair(father, son);
    CAPTURE(Reasons(c));
    CHECK(c.score < kThreshold);
    son.dob.clear();  // even when the son's birth date was not written down
    c = ScorePair(father, son);
    CAPTURE(Reasons(c));
    CHECK(c.score < kThreshold);
  }
  SUBCASE("same name and birth date but the other sex") {
    PersonFacts a = Base(), b = Base();
    a.name = b.name = "高橋 真";
    a.kana = b.kana = "たかはし まこと";
    b.sex = "female";
    b.address = "";
    CHECK(ScorePair(a, b).score < kThreshold);
  }
}

TEST_CASE("finders read the state: the whole list, one person and a draft before saving") {
  TestShelter t(2);
  auto a = RegisterHousehold(
      t.tablet(0),
      OneMember("髙橋 一郎", "タカハシ イチロウ", "1950-04-01", "宮城県石巻市中央2丁目3番4号"),
      t.shelter_id(), true);
  REQUIRE(a.ok());
  auto namesake = RegisterHousehold(
      t.tablet(0),
      OneMember("高橋 一郎", "たかはし いちろう", "1980-07-07", "宮城県石巻市蛇田1-1-1"),
      t.shelter_id(), false);
  REQUIRE(namesake.ok());
  auto b = RegisterHousehold(
      t.tablet(1), OneMember("高橋　一郎", "ﾀｶﾊｼ ｲﾁﾛｳ", "1950-04-01", "宮城県石巻市中央２－３－４"),
      t.shelter_id(), true);
  REQUIRE(b.ok());
  Deliver(t.tablet(1), t.tablet(0));
  State& state = t.tablet(0).state();

  auto all = FindAllDuplicates(state);
  REQUIRE(all.ok());
  REQUIRE(all->size() == 1);
  CHECK(std::minmax(all->front().a, all->front().b) == std::minmax(a->persons[0], b->persons[0]));
  CHECK(Has(all->front(), reason::kNameKanjiVariant));
  CHECK(Has(all->front(), reason::kSameAddress));

  auto of = FindDuplicatesOf(state, a->persons[0]);
  REQUIRE(of.ok());
  REQUIRE(of->size() == 1);
  CHECK(of->front().a == a->persons[0]);
  CHECK(of->front().b == b->persons[0]);

  Household draft =
      OneMember("たかはし いちろう", "", "1950-04-01", "宮城県石巻市中央二丁目三番四号");
  auto d = FindDuplicatesOfDraft(state, draft, t.shelter_id());
  REQUIRE(d.ok());
  REQUIRE(d->size() == 2);  // both records of that man, not his namesake
  for (auto& c : *d) CHECK(c.draft_member == 0);
  CHECK(FindDuplicatesOf(state, Id16::Random()).error().code == ErrorCode::kNotFound);
}

TEST_CASE("a merge keeps both histories and converges across tablets, unmerge shows both again") {
  TestShelter t(2);
  Node& t0 = t.tablet(0);
  Node& t1 = t.tablet(1);
  auto a = RegisterHousehold(t0, OneMember("渡辺 誠", "わたなべ まこと", "1970-01-02", ""),
                             t.shelter_id(), true);
  auto b = RegisterHousehold(t1, OneMember("渡邊 誠", "ワタナベ マコト", "1970-01-02", ""),
                             t.shelter_id(), true);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  const Id16 keep = a->persons[0], dup = b->persons[0];
  Deliver(t0, t1);
  Deliver(t1, t0);
  REQUIRE(CheckOut(t1, dup).ok());

  REQUIRE(MergePersons(t0, keep, dup).ok());
  Deliver(t0, t1);
  Deliver(t1, t0);
  for (Node* n : {&t0, &t1}) {
    auto found = n->state().SearchPersons("わたなべ");
    REQUIRE(found.ok());
    REQUIRE(found->size() == 1);
    CHECK(found->front().id == keep);
    CHECK(found->front().event == "leave");  // the latest stay of either record
    CHECK(n->state().CanonicalPerson(dup).value() == keep);
    CHECK(n->state().MergedFrom(keep).value() == std::vector<Id16>{dup});
    auto stays = n->state().Stays(keep);
    REQUIRE(stays.ok());
    CHECK(stays->size() == 3);  // keep's arrival, dup's arrival and departure
    auto dup_record = n->state().Get(dup).value();
    REQUIRE(dup_record.has_value());  // the merged record itself stays in the log
    CHECK(dup_record->Text(field::kName) == "渡邊 誠");
    CHECK(FindAllDuplicates(n->state()).value().empty());
  }
  CHECK(HashOf(t0) == HashOf(t1));

  // Idempotent: merging again writes nothing.
  size_t segments = 0;
  REQUIRE(t1.log().ForEachSegment([&](const Segment&) { return ++segments, Ok(); }).ok());
  REQUIRE(MergePersons(t1, keep, dup).ok());
  size_t after = 0;
  REQUIRE(t1.log().ForEachSegment([&](const Segment&) { return ++after, Ok(); }).ok());
  CHECK(after == segments);
  CHECK(MergePersons(t1, dup, keep).error().code == ErrorCode::kInvalidArgument);
  CHECK(MergePersons(t1, keep, keep).error().code == ErrorCode::kInvalidArgument);

  REQUIRE(UnmergePerson(t1, dup).ok());
  Deliver(t1, t0);
  for (Node* n : {&t0, &t1}) {
    auto found = n->state().SearchPersons("わたなべ").value();
    REQUIRE(found.size() == 2);
    for (auto& p : found) CHECK(p.event == (p.id == keep ? "arrive" : "leave"));
    CHECK(n->state().CanonicalPerson(dup).value() == dup);
    CHECK(FindAllDuplicates(n->state()).value().size() == 1);
  }
  CHECK(HashOf(t0) == HashOf(t1));
  // A rebuild from the log gives the same visible persons.
  REQUIRE(t0.Rebuild().ok());
  CHECK(t0.state().SearchPersons("わたなべ").value().size() == 2);
}

TEST_CASE("opposite merges on two tablets converge: the smaller id stays visible") {
  TestShelter t(2);
  Node& t0 = t.tablet(0);
  Node& t1 = t.tablet(1);
  auto a = RegisterHousehold(t0, OneMember("齋藤 茂", "さいとう しげる", "1944-05-05", ""),
                             t.shelter_id(), false);
  auto b = RegisterHousehold(t0, OneMember("斎藤 茂", "サイトウ シゲル", "1944-05-05", ""),
                             t.shelter_id(), false);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  const Id16 x = a->persons[0], y = b->persons[0];
  Deliver(t0, t1);
  REQUIRE(MergePersons(t0, x, y).ok());  // y into x
  REQUIRE(MergePersons(t1, y, x).ok());  // x into y, concurrently
  Deliver(t0, t1);
  Deliver(t1, t0);
  CHECK(HashOf(t0) == HashOf(t1));
  const Id16 winner = std::min(x, y), loser = std::max(x, y);
  for (Node* n : {&t0, &t1}) {
    auto found = n->state().SearchPersons("さいとう");
    REQUIRE(found.ok());
    REQUIRE(found->size() == 1);
    CHECK(found->front().id == winner);
    CHECK(n->state().CanonicalPerson(x).value() == winner);
    CHECK(n->state().CanonicalPerson(y).value() == winner);
    CHECK(n->state().MergedFrom(winner).value() == std::vector<Id16>{loser});
  }
  // The same answer after rebuilding from the log, whatever order it holds the segments in.
  REQUIRE(t1.Rebuild().ok());
  CHECK(t1.state().SearchPersons("さいとう").value().front().id == winner);
  CHECK(HashOf(t0) == HashOf(t1));
}

TEST_CASE("the same merge made on two tablets at once converges") {
  TestShelter t(2);
  Node& t0 = t.tablet(0);
  Node& t1 = t.tablet(1);
  auto a = RegisterHousehold(t0, OneMember("濱田 進", "はまだ すすむ", "1950-03-03", ""),
                             t.shelter_id(), false);
  auto b = RegisterHousehold(t0, OneMember("浜田 進", "ﾊﾏﾀﾞ ｽｽﾑ", "1950-03-03", ""), t.shelter_id(),
                             false);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  Deliver(t0, t1);
  REQUIRE(MergePersons(t0, a->persons[0], b->persons[0]).ok());
  REQUIRE(MergePersons(t1, a->persons[0], b->persons[0]).ok());
  Deliver(t0, t1);
  Deliver(t1, t0);
  CHECK(HashOf(t0) == HashOf(t1));
  for (Node* n : {&t0, &t1}) {
    auto found = n->state().SearchPersons("はまだ").value();
    REQUIRE(found.size() == 1);
    CHECK(found.front().id == a->persons[0]);
  }
  // One unmerge supersedes both merge values.
  REQUIRE(UnmergePerson(t1, b->persons[0]).ok());
  Deliver(t1, t0);
  for (Node* n : {&t0, &t1}) CHECK(n->state().SearchPersons("はまだ").value().size() == 2);
  CHECK(HashOf(t0) == HashOf(t1));
}

TEST_CASE("a person merged into one this device has not seen yet stays visible until it arrives") {
  TestShelter t(3);
  auto a = RegisterHousehold(t.tablet(1), OneMember("関 勝", "せき まさる", "1940-08-08", ""),
                             t.shelter_id(), true);
  auto b = RegisterHousehold(t.tablet(0), OneMember("關 勝", "セキ マサル", "1940-08-08", ""),
                             t.shelter_id(), true);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  Deliver(t.tablet(1), t.tablet(0));
  REQUIRE(MergePersons(t.tablet(0), a->persons[0], b->persons[0]).ok());
  // Tablet 2 gets tablet 0's log (B and the merge) but not yet tablet 1's (A).
  Node& late = t.tablet(2);
  Deliver(t.tablet(0), late, /*own_only=*/true);
  CHECK(late.state().SearchPersons("せき").value().size() == 1);
  CHECK(late.state().CanonicalPerson(b->persons[0]).value() == b->persons[0]);
  Deliver(t.tablet(1), late);
  auto found = late.state().SearchPersons("せき").value();
  REQUIRE(found.size() == 1);
  CHECK(found.front().id == a->persons[0]);
  CHECK(late.state().CanonicalPerson(b->persons[0]).value() == a->persons[0]);
  CHECK(HashOf(late) == HashOf(t.tablet(0)));
}

TEST_CASE("only leads and admins merge") {
  TestShelter t(1);
  Node& n = t.tablet(0);
  auto a = RegisterHousehold(n, OneMember("林 修", "はやし おさむ", "1960-02-02", ""),
                             t.shelter_id(), false);
  auto b = RegisterHousehold(n, OneMember("林 修", "はやし おさむ", "1960-02-02", ""),
                             t.shelter_id(), false);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  REQUIRE(n.AddStaff("clerk", StaffRole::kStaff, "1111").ok());
  REQUIRE(n.Login("clerk", "1111").ok());
  CHECK(MergePersons(n, a->persons[0], b->persons[0]).error().code == ErrorCode::kPermissionDenied);
  CHECK(UnmergePerson(n, b->persons[0]).error().code == ErrorCode::kPermissionDenied);
}

TEST_CASE("precision and recall on a generated population stay above their floors") {
  shelter::test::PopulationOptions opts;
  opts.records = 2000;
  opts.seed = 7;
  const auto pop = shelter::test::GeneratePopulation(opts);
  REQUIRE(pop.records >= 2000);
  REQUIRE(pop.duplicates >= 100);
  TestShelter t(0);
  auto shelters =
      shelter::test::RegisterPopulation(t.admin(), pop, opts.shelters, t.root() + "/pop");
  if (!shelters.ok()) FAIL(shelters.error().ToString());
  auto found = FindAllDuplicates(t.admin().state());
  if (!found.ok()) FAIL(found.error().ToString());
  const auto q = shelter::test::MeasureDuplicates(pop, *found);
  MESSAGE("pairs " << q.true_pairs << " reported " << q.reported << " tp " << q.tp << " fp " << q.fp
                   << " fn " << q.fn << " precision " << q.precision << " recall " << q.recall);
  CHECK(q.precision >= 0.95);
  CHECK(q.recall >= 0.90);
}
