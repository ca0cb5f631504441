// Specifies core/model/name_index and State's name search over it: the index walks (key, person)
// pairs in byte order across its runs, a renamed person leaves no old key behind, and
// SearchPersons returns exactly what a scan of every visible person's NameSearchKeys returns
// (ordered by the first matching key, then id), after bulk loads, renames, deletes and a reopen.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "core/model/name_index.hpp"
#include "core/ops/households.hpp"
#include "core/text/text_normalize.hpp"
#include "tests/support/test_shelter.hpp"
#include "tools/fixtures/population.hpp"

using namespace shelter::core;
using shelter::test::TestShelter;

namespace {

Id16 IdOf(int n) {
  Id16 id;
  id.b[0] = static_cast<uint8_t>(n >> 8);
  id.b[1] = static_cast<uint8_t>(n);
  return id;
}

std::vector<Id16> Prefix(NameIndex& ix, std::string_view p) {
  std::vector<Id16> out;
  ix.ForEachWithPrefix(p, [&](const Id16& id) {
    out.push_back(id);
    return true;
  });
  return out;
}

// What SearchPersons promises, computed the slow way: every visible person's keys as (key, id)
// pairs in order; a query takes the pairs whose key starts with it, each person once, at most
// `limit`.
using Pairs = std::vector<std::pair<std::string, Id16>>;

Pairs AllPairs(State& state) {
  Pairs pairs;
  const std::vector<PersonSummary> roster = state.Roster(Id16{}).value();
  for (const PersonSummary& p : roster) {
    std::set<std::string> keys;
    for (auto& k : NameSearchKeys(p.name)) keys.insert(k);
    for (auto& k : NameSearchKeys(p.kana)) keys.insert(k);
    for (auto& k : keys) pairs.push_back({k, p.id});
  }
  std::sort(pairs.begin(), pairs.end());
  return pairs;
}

std::vector<Id16> ScanSearch(const Pairs& pairs, std::string_view query, size_t limit) {
  const std::string q = FoldForSearch(query);
  std::vector<Id16> out;
  std::set<Id16> seen;
  auto it = std::lower_bound(pairs.begin(), pairs.end(), std::make_pair(q, Id16{}));
  for (; it != pairs.end() && it->first.starts_with(q) && out.size() < limit; ++it)
    if (seen.insert(it->second).second) out.push_back(it->second);
  return out;
}

std::vector<Id16> Search(State& state, std::string_view query, size_t limit) {
  std::vector<Id16> out;
  const std::vector<PersonSummary> found = state.SearchPersons(query, limit).value();
  for (auto& p : found) out.push_back(p.id);
  return out;
}

// Queries a clerk types for the people of `state`: 1..4-character prefixes of readings and names,
// in hiragana, katakana and half-width katakana, and the given name first.
std::vector<std::string> QueriesFor(State& state, size_t every) {
  std::vector<std::string> out;
  auto roster = state.Roster(Id16{}).value();
  for (size_t i = 0; i < roster.size(); i += every) {
    const std::u32string kana = DecodeUtf8Lossy(roster[i].kana);
    const std::u32string name = DecodeUtf8Lossy(roster[i].name);
    for (size_t n = 1; n <= 4; ++n) {
      const std::string k = EncodeUtf8(kana.substr(0, n));
      out.push_back(k);
      out.push_back(shelter::test::KatakanaOf(k));
      out.push_back(shelter::test::HalfWidthKatakanaOf(k));
      out.push_back(EncodeUtf8(name.substr(0, n)));
    }
    const auto keys = NameSearchKeys(roster[i].name);
    if (!keys.empty()) out.push_back(keys.back());  // the reversed order, for two parts
  }
  return out;
}

void CheckSearchMatchesScan(State& state, size_t every) {
  const Pairs pairs = AllPairs(state);
  for (const std::string& q : QueriesFor(state, every)) {
    if (FoldForSearch(q).empty()) continue;
    for (size_t limit : {1, 7, 50}) {
      INFO("limit " << limit);
      CHECK(Search(state, q, limit) == ScanSearch(pairs, q, limit));
    }
  }
}

}  // namespace

TEST_CASE("NameIndex walks (key, person) pairs in byte order, each pair once per key") {
  NameIndex ix;
  ix.Set(IdOf(3), "山田 太郎", "やまだ たろう");
  ix.Set(IdOf(1), "山田 花子", "やまだ はなこ");
  ix.Set(IdOf(2), "", "やまだ");
  // やまだ: 1, 2, 3; やまだたろう: 3; やまだはなこ: 1.
  CHECK(Prefix(ix, "やまだ") == std::vector<Id16>{IdOf(1), IdOf(2), IdOf(3), IdOf(3), IdOf(1)});
  CHECK(Prefix(ix, "た") == std::vector<Id16>{IdOf(3), IdOf(3)});  // たろう, たろうやまだ
  CHECK(Prefix(ix, "太郎山") == std::vector<Id16>{IdOf(3)});
  CHECK(Prefix(ix, "ん").empty());
  std::vector<Id16> exact;
  ix.ForEachWithKey("やまだ", [&](const Id16& id) {
    exact.push_back(id);
    return exact.size() < 2;  // stops when asked
  });
  CHECK(exact == std::vector<Id16>{IdOf(1), IdOf(2)});
}

TEST_CASE("NameIndex: a renamed person is found under its new keys only, across merges of runs") {
  NameIndex ix;
  for (int i = 0; i < 5000; ++i) ix.Set(IdOf(i), "", i % 2 ? "さとう" : "すずき");
  CHECK(Prefix(ix, "さとう").size() == 2500);  // the first walk sorts them into the main run
  ix.Set(IdOf(7), "", "たなか");               // then a small delta
  for (int i = 5000; i < 8000; ++i) ix.Set(IdOf(i), "", "さとう");
  ix.Set(IdOf(9), "", "たなか");
  CHECK(Prefix(ix, "たなか") == std::vector<Id16>{IdOf(7), IdOf(9)});
  CHECK(Prefix(ix, "さとう").size() == 2500 - 2 + 3000);
  for (int i = 8000; i < 10000; ++i) ix.Set(IdOf(i), "", "すずき");
  for (int i = 0; i < 8000; i += 2) ix.Set(IdOf(i), "", "たなか");  // many renames at once
  CHECK(Prefix(ix, "").size() == ix.live_entries());
  CHECK(ix.live_entries() == 10000);
  CHECK(Prefix(ix, "すずき").size() == 2000);
  CHECK(Prefix(ix, "さとう").size() == 5498 - 1500);
  auto ids = Prefix(ix, "たなか");
  CHECK(ids.size() == 4000 + 2);
  CHECK(std::is_sorted(ids.begin(), ids.end()));
}

TEST_CASE("SearchPersons equals a scan of every person's name keys, after bulk loads and edits") {
  TestShelter t(1);
  Node& n = t.tablet(0);
  shelter::test::HouseholdOptions opts;
  opts.seed = 7;
  opts.max_members = 5;
  shelter::test::HouseholdGenerator gen(opts);
  for (int round = 0; round < 3; ++round) {
    std::vector<Household> hs;
    for (int i = 0; i < 300; ++i) hs.push_back(gen.Next());
    auto saved = RegisterHouseholds(n, std::move(hs), t.shelter_id(), false);
    REQUIRE(saved.ok());
    if (round == 0) CheckSearchMatchesScan(n.state(), 37);
  }
  auto roster = n.state().Roster(Id16{}).value();
  REQUIRE(roster.size() > 1000);
  // Spellings staff type, a renamed person and deleted persons.
  Household odd;
  for (const char* spelled : {"ﾔﾏﾀﾞ ﾀﾛｳ", "ジョン・スミス", "SMITH John Paul", "髙橋　一郎"}) {
    Person p;
    p.name = spelled;
    if (odd.members.size() < 2) p.kana = spelled;  // kana spellings: half-width, katakana
    odd.members.push_back(p);
  }
  REQUIRE(RegisterHousehold(n, odd, t.shelter_id(), false).ok());
  REQUIRE(EditRecord(n, roster[5].id, {{field::kKana, cbor::Item("ん ん")}}).ok());
  for (size_t i = 10; i < 40; ++i)
    REQUIRE(n.Commit(t.shelter_id(),
                     {{roster[i].id, RecordType::kPerson, {{field::kDeleted, cbor::Item(true)}}}})
                .ok());
  CHECK(Search(n.state(), "んん", 50) == std::vector<Id16>{roster[5].id});
  CheckSearchMatchesScan(n.state(), 23);
}

TEST_CASE("SearchPersons finds a file-backed state's persons after it is opened again") {
  TestShelter t(1);
  NodeOptions opts = t.options();
  opts.state_path = t.root() + "/state.db";
  t.Reopen(0, opts);
  Household h;
  Person p;
  p.name = "渡邊 一";
  p.kana = "わたなべ はじめ";
  h.members.push_back(p);
  REQUIRE(RegisterHousehold(t.tablet(0), h, t.shelter_id(), false).ok());
  CHECK(t.tablet(0).state().SearchPersons("ワタナベ").value().size() == 1);
  t.Reopen(0, opts);  // the index is not on disk: it is rebuilt from the person rows
  CHECK(t.tablet(0).state().SearchPersons("ワタナベ").value().size() == 1);
  CHECK(t.tablet(0).state().SearchPersons("渡辺").value().size() == 1);
  CHECK(t.tablet(0).state().PersonsWithNameKey("はじめ", 10).size() == 1);
}
