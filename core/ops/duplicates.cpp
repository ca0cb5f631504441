// Duplicate detection and merges.
//
// [SECTION] index
//   Loading     persons and households read from the State
//   Finders     FindAllDuplicates (blocking), FindDuplicatesOf, FindDuplicatesOfDraft
//   Merges      MergePersons, UnmergePerson
#include "core/ops/duplicates.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <unordered_map>

#include "core/base/stmt_rows.hpp"
#include "core/ops/person_match.hpp"
#include "core/text/text_normalize.hpp"

namespace shelter::core {
namespace {

void SortCandidates(std::vector<DuplicateCandidate>& v) {
  std::sort(v.begin(), v.end(), [](const DuplicateCandidate& x, const DuplicateCandidate& y) {
    if (x.score != y.score) return x.score > y.score;
    if (x.draft_member != y.draft_member) return x.draft_member < y.draft_member;
    return std::tie(x.a, x.b) < std::tie(y.a, y.b);
  });
}

// [SECTION] Loading ------------------------------------------------------------------------------

constexpr const char* kFactsColumns =
    "SELECT p.id, p.household, h.shelter, p.name, p.kana, p.dob, p.sex FROM person_index p "
    "LEFT JOIN household_index h ON h.id = p.household WHERE p.deleted=0 ";

Id16 IdAt(const Stmt& st, int col) {
  if (st.IsNull(col)) return Id16{};
  auto id = Id16::FromBytes(View(st.Blob(col)));
  return id.ok() ? *id : Id16{};
}

PersonFacts ReadFacts(const Stmt& st) {
  PersonFacts f;
  f.id = IdAt(st, 0);
  f.household = IdAt(st, 1);
  f.shelter = IdAt(st, 2);
  f.name = st.Text(3);
  f.kana = st.Text(4);
  f.dob = st.Text(5);
  f.sex = st.Text(6);
  return f;
}

Result<std::string> HouseholdAddress(State& state, const Id16& household) {
  if (household.IsZero()) return std::string();
  SHELTER_ASSIGN_OR_RETURN(auto rec, state.Get(household));
  if (!rec || rec->type != RecordType::kHousehold) return std::string();
  return rec->Text(field::kAddress);
}

// A stored person with its household's address and the other members' names; nullopt when the
// person is unknown or hidden.
Result<std::optional<PersonFacts>> LoadFacts(State& state, const Id16& person) {
  SHELTER_ASSIGN_OR_RETURN(Stmt * st,
                           state.db().Prepare(std::string(kFactsColumns) + "AND p.id=?"));
  st->Bind(1, person);
  auto row = st->Step();
  if (!row.ok() || !*row) {
    st->Reset();
    if (!row.ok()) return row.error();
    return std::optional<PersonFacts>();
  }
  PersonFacts f = ReadFacts(*st);
  st->Reset();
  SHELTER_ASSIGN_OR_RETURN(f.address, HouseholdAddress(state, f.household));
  if (!f.household.IsZero()) {
    SHELTER_ASSIGN_OR_RETURN(auto members, state.Members(f.household));
    for (auto& m : members) {
      if (m.id == f.id) continue;
      f.members.push_back({m.name, m.kana});
    }
  }
  return std::optional<PersonFacts>(std::move(f));
}

// Persons indexed under any of `keys` (exact name keys), at most `limit`.
Result<std::set<Id16>> PersonsByNameKeys(State& state, const std::vector<std::string>& keys,
                                         size_t limit) {
  std::set<Id16> out;
  for (const auto& k : keys) {
    for (const Id16& id : state.PersonsWithNameKey(k, limit)) {
      if (out.size() >= limit) break;
      out.insert(id);
    }
  }
  return out;
}

Result<std::vector<DuplicateCandidate>> CandidatesFor(State& state, const PersonFacts& facts,
                                                      int draft_member,
                                                      const DuplicateOptions& opts) {
  const MatchKeys me = FoldPerson(facts);
  SHELTER_ASSIGN_OR_RETURN(auto ids, PersonsByNameKeys(state, LookupNameKeys(me), opts.max_lookup));
  std::vector<DuplicateCandidate> out;
  for (const Id16& id : ids) {
    if (id == facts.id) continue;
    SHELTER_ASSIGN_OR_RETURN(auto other, LoadFacts(state, id));
    if (!other) continue;
    DuplicateCandidate c = ScoreMatch(me, FoldPerson(*other));
    c.draft_member = draft_member;
    if (!c.reasons.empty() && c.score >= opts.threshold) out.push_back(std::move(c));
  }
  return out;
}

}  // namespace

// [SECTION] Finders ------------------------------------------------------------------------------

Result<std::vector<DuplicateCandidate>> FindAllDuplicates(State& state,
                                                          const DuplicateOptions& opts) {
  std::vector<PersonFacts> facts;
  {
    SHELTER_ASSIGN_OR_RETURN(Stmt * st, state.db().Prepare(kFactsColumns));
    SHELTER_TRY(ForEachRow(*st, [&](const Stmt& row) { facts.push_back(ReadFacts(row)); }));
  }
  std::map<Id16, std::string> addresses;  // household -> folded address
  for (const auto& f : facts) addresses.emplace(f.household, std::string());
  for (auto& [household, address] : addresses) {
    SHELTER_ASSIGN_OR_RETURN(std::string raw, HouseholdAddress(state, household));
    address = FoldAddress(raw);
  }

  std::vector<MatchKeys> folded;
  folded.reserve(facts.size());
  for (const auto& f : facts) folded.push_back(FoldPerson(f, &addresses[f.household]));
  // Household members' keys from the folded records, not by folding every name again.
  std::unordered_map<std::string, std::vector<uint32_t>> by_household;
  for (uint32_t i = 0; i < facts.size(); ++i)
    if (!facts[i].household.IsZero())
      by_household[std::string(facts[i].household.b.begin(), facts[i].household.b.end())].push_back(
          i);
  for (auto& [household, members] : by_household) {
    for (uint32_t i : members) {
      for (uint32_t j : members) {
        if (i == j) continue;
        for (const std::string& k : folded[j].keys) folded[i].household_keys.push_back(k);
        folded[i].member_keys.push_back(folded[j].keys);
      }
      std::sort(folded[i].household_keys.begin(), folded[i].household_keys.end());
    }
  }

  // Blocks: (name key, dob), (name key, birth year), (name key, folded address), (name key, a
  // household member's name key), (dob, folded address). A true pair that shares none of these
  // scores below the threshold anyway.
  std::vector<std::pair<uint64_t, uint32_t>> blocks;
  std::hash<std::string> hash;
  for (uint32_t i = 0; i < folded.size(); ++i) {
    const MatchKeys& f = folded[i];
    for (const std::string& k : f.keys) {
      if (!f.dob.empty()) {
        blocks.push_back({hash(k +
                               "\x1f"
                               "d" +
                               f.dob),
                          i});
        blocks.push_back({hash(k +
                               "\x1f"
                               "y" +
                               f.dob.substr(0, 4)),
                          i});
      }
      if (!f.address.empty())
        blocks.push_back({hash(k +
                               "\x1f"
                               "a" +
                               f.address),
                          i});
      for (const std::string& member : f.household_keys)
        blocks.push_back({hash(k +
                               "\x1f"
                               "h" +
                               member),
                          i});
    }
    // Birth date with address: finds a pair whose names differ by a slip.
    if (!f.dob.empty() && !f.address.empty())
      blocks.push_back({hash("\x1f"
                             "da" +
                             f.dob + "\x1f" + f.address),
                        i});
  }
  std::sort(blocks.begin(), blocks.end());
  std::vector<uint64_t> pairs;
  for (size_t start = 0; start < blocks.size();) {
    size_t end = start;
    while (end < blocks.size() && blocks[end].first == blocks[start].first) ++end;
    if (end - start <= opts.max_block) {
      for (size_t x = start; x < end; ++x)
        for (size_t y = x + 1; y < end; ++y) {
          uint32_t i = blocks[x].second, j = blocks[y].second;
          if (i == j) continue;
          if (i > j) std::swap(i, j);
          pairs.push_back(uint64_t{i} << 32 | j);
        }
    }
    start = end;
  }
  std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());

  std::vector<DuplicateCandidate> out;
  for (uint64_t p : pairs) {
    const MatchKeys& x = folded[p >> 32];
    const MatchKeys& y = folded[p & 0xFFFFFFFF];
    const bool swap = y.facts->id < x.facts->id;
    DuplicateCandidate c = swap ? ScoreMatch(y, x) : ScoreMatch(x, y);
    if (!c.reasons.empty() && c.score >= opts.threshold) out.push_back(std::move(c));
  }
  SortCandidates(out);
  return out;
}

Result<std::vector<DuplicateCandidate>> FindDuplicatesOf(State& state, const Id16& person,
                                                         const DuplicateOptions& opts) {
  SHELTER_ASSIGN_OR_RETURN(auto facts, LoadFacts(state, person));
  if (!facts) return MakeError(ErrorCode::kNotFound, "no such person");
  SHELTER_ASSIGN_OR_RETURN(auto out, CandidatesFor(state, *facts, -1, opts));
  SortCandidates(out);
  return out;
}

Result<std::vector<DuplicateCandidate>> FindDuplicatesOfDraft(State& state, const Household& draft,
                                                              const Id16& shelter,
                                                              const DuplicateOptions& opts) {
  std::vector<DuplicateCandidate> out;
  for (size_t i = 0; i < draft.members.size(); ++i) {
    const Person& p = draft.members[i];
    PersonFacts f{p.id, draft.id, shelter, p.name, p.kana, p.dob, p.sex, draft.address, {}};
    for (size_t j = 0; j < draft.members.size(); ++j) {
      if (j == i) continue;
      f.members.push_back({draft.members[j].name, draft.members[j].kana});
    }
    SHELTER_ASSIGN_OR_RETURN(auto found, CandidatesFor(state, f, static_cast<int>(i), opts));
    for (auto& c : found) out.push_back(std::move(c));
  }
  SortCandidates(out);
  return out;
}

// [SECTION] Merges -------------------------------------------------------------------------------

namespace {

Result<RecordState> LivePerson(Node& node, const Id16& id) {
  SHELTER_ASSIGN_OR_RETURN(auto rec, node.state().Get(id));
  if (!rec || rec->type != RecordType::kPerson || rec->Deleted())
    return MakeError(ErrorCode::kNotFound, "no such person");
  return std::move(*rec);
}

}  // namespace

Status MergePersons(Node& node, const Id16& keep, const Id16& duplicate) {
  SHELTER_TRY(node.Require({StaffRole::kLead, StaffRole::kAdmin}));
  if (keep == duplicate)
    return MakeError(ErrorCode::kInvalidArgument, "cannot merge a person into itself");
  SHELTER_ASSIGN_OR_RETURN(RecordState dup, LivePerson(node, duplicate));
  SHELTER_TRY(LivePerson(node, keep));
  SHELTER_ASSIGN_OR_RETURN(Id16 target, node.state().CanonicalPerson(keep));
  SHELTER_ASSIGN_OR_RETURN(Id16 dup_now, node.state().CanonicalPerson(duplicate));
  if (target == duplicate)
    return MakeError(ErrorCode::kInvalidArgument,
                     "the person to keep is merged into the other one; unmerge it first");
  if (dup_now == target) return Ok();  // already merged: nothing to write
  cbor::Item value(Bytes(target.b.begin(), target.b.end()));
  SHELTER_TRY(node.Commit(
      dup.scope, {{duplicate, RecordType::kPerson, {{field::kMergedInto, std::move(value)}}}}));
  return Ok();
}

Status UnmergePerson(Node& node, const Id16& person) {
  SHELTER_TRY(node.Require({StaffRole::kLead, StaffRole::kAdmin}));
  SHELTER_ASSIGN_OR_RETURN(RecordState rec, LivePerson(node, person));
  if (rec.Get(field::kMergedInto).is_null()) return Ok();
  SHELTER_TRY(node.Commit(rec.scope, {{person, RecordType::kPerson, {{field::kMergedInto, {}}}}}));
  return Ok();
}

}  // namespace shelter::core
