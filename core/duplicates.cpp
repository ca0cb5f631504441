// Duplicate detection and merges.
//
// [SECTION] index
//   Folding     the per-person keys compared (names both ways round, kana, dob, address)
//   Scoring     ScorePair: name match first, then birth date, address, sex and household
//   Loading     persons and households read from the State
//   Finders     FindAllDuplicates (blocking), FindDuplicatesOf, FindDuplicatesOfDraft
//   Merges      MergePersons, UnmergePerson
#include "core/duplicates.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <unordered_map>

#include "core/text_normalize.hpp"

namespace shelter::core {
namespace {

// [SECTION] Folding ------------------------------------------------------------------------------

struct Folded {
  const PersonFacts* facts = nullptr;
  std::string name, name_rev;  // FoldForSearch; *_rev: parts in reverse order ("" for one part)
  std::string kana, kana_rev;
  std::string name_plain;  // as typed, separators removed (for reasons)
  std::string kana_plain;
  std::string dob, address, sex;
  std::vector<std::string> keys;            // BlockingNameKeys
  std::vector<std::string> household_keys;  // the other members' keys, sorted
};

std::u32string Decode(std::string_view s);
std::string Encode(std::u32string_view s);
std::string MinRotation(const std::string& folded);

// Splits a name at ASCII and ideographic spaces, tabs and middle dots (・ ･).
std::vector<std::string> SplitName(std::string_view s) {
  static constexpr std::string_view kSeparators[] = {" ", "\t", "\u3000", "\u30FB", "\uFF65"};
  std::vector<std::string> parts;
  std::string cur;
  for (size_t i = 0; i < s.size();) {
    size_t sep = 0;
    for (std::string_view p : kSeparators)
      if (s.substr(i).starts_with(p)) sep = p.size();
    if (sep > 0) {
      if (!cur.empty()) parts.push_back(std::move(cur));
      cur.clear();
      i += sep;
    } else {
      cur.push_back(s[i++]);
    }
  }
  if (!cur.empty()) parts.push_back(std::move(cur));
  return parts;
}

std::string Join(const std::vector<std::string>& parts, bool reverse) {
  std::string out;
  if (reverse) {
    for (auto it = parts.rbegin(); it != parts.rend(); ++it) out += *it;
  } else {
    for (const auto& p : parts) out += p;
  }
  return out;
}

void FoldName(std::string_view raw, std::string& folded, std::string& folded_rev,
              std::string* plain) {
  const std::vector<std::string> parts = SplitName(raw);
  folded = FoldForSearch(Join(parts, false));
  folded_rev = parts.size() > 1 ? FoldForSearch(Join(parts, true)) : std::string();
  if (folded_rev == folded) folded_rev.clear();
  *plain = Join(parts, false);
}

std::vector<std::string> BlockingNameKeys(const Folded& f);

// `folded_address`: FoldAddress(f.address) when the caller has it already (one per household).
Folded Fold(const PersonFacts& f, const std::string* folded_address = nullptr) {
  Folded out;
  out.facts = &f;
  FoldName(f.name, out.name, out.name_rev, &out.name_plain);
  FoldName(f.kana, out.kana, out.kana_rev, &out.kana_plain);
  if (f.dob.size() == 10 || f.dob.empty()) {
    out.dob = f.dob;  // stored dates are already YYYY-MM-DD
  } else {
    auto d = NormalizeDate(f.dob, /*allow_partial=*/true);
    out.dob = d.ok() ? *d : std::string();
  }
  out.address = folded_address ? *folded_address : FoldAddress(f.address);
  out.sex = f.sex;
  out.keys = BlockingNameKeys(out);
  for (const auto& n : f.household_names) {
    std::string k = FoldForSearch(n);
    if (!k.empty()) out.household_keys.push_back(MinRotation(k));
  }
  std::sort(out.household_keys.begin(), out.household_keys.end());
  return out;
}

// The name keys a person is blocked and looked up under: both orders, kanji and kana.
std::vector<std::string> NameKeys(const Folded& f) {
  std::vector<std::string> keys;
  for (const std::string* k : {&f.name, &f.name_rev, &f.kana, &f.kana_rev})
    if (!k->empty() && std::find(keys.begin(), keys.end(), *k) == keys.end()) keys.push_back(*k);
  return keys;
}

// The smallest rotation of a folded name: equal for "山崎陽菜" and "陽菜山崎" (order swapped with no
// space between the parts), so such pairs share a blocking key.
std::string MinRotation(const std::string& folded) {
  const std::u32string s = Decode(folded);
  std::u32string best = s;
  for (size_t i = 1; i < s.size(); ++i) {
    std::u32string r = s.substr(i) + s.substr(0, i);
    if (r < best) best = std::move(r);
  }
  return Encode(best);
}

// Blocking keys: rotation-invariant forms of the kanji name and of the kana.
std::vector<std::string> BlockingNameKeys(const Folded& f) {
  std::vector<std::string> keys;
  for (const std::string* k : {&f.name, &f.kana}) {
    if (k->empty()) continue;
    std::string r = MinRotation(*k);
    if (std::find(keys.begin(), keys.end(), r) == keys.end()) keys.push_back(std::move(r));
  }
  return keys;
}

// True when one folded name is the other with its parts swapped and no separator between them.
bool IsRotation(const std::string& a, const std::string& b) {
  return !a.empty() && a != b && a.size() == b.size() && (b + b).find(a) != std::string::npos;
}

// [SECTION] Scoring ------------------------------------------------------------------------------

std::u32string Decode(std::string_view s) {
  std::u32string out;
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const int n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    char32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
    for (int k = 1; k < n && i + k < s.size(); ++k)
      cp = cp << 6 | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out.push_back(cp);
    i += static_cast<size_t>(n);
  }
  return out;
}

std::string Encode(std::u32string_view s) {
  std::string out;
  for (char32_t cp : s) {
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out.push_back(static_cast<char>(0xC0 | cp >> 6));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | cp >> 12));
      out.push_back(static_cast<char>(0x80 | (cp >> 6 & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | cp >> 18));
      out.push_back(static_cast<char>(0x80 | (cp >> 12 & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp >> 6 & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }
  return out;
}

// True when two spellings that fold equal (in any order) use different kanji: old or variant forms.
bool DiffersInKanji(std::string_view a, std::string_view b) {
  auto kanji = [](std::string_view s) {
    std::u32string k;
    for (char32_t c : Decode(s))
      if (c >= 0x3400 && (c < 0xFF00 || c > 0xFFEF)) k.push_back(c);
    std::sort(k.begin(), k.end());
    return k;
  };
  return kanji(a) != kanji(b);
}

// True when two folded readings differ by one kana more or less, or by one small kana written
// large (ゃゅょっぁぃぅぇぉ). A different kana in the same place (twins ゆうと/ゆうま) is not a slip.
bool IsKanaSlip(const std::string& a, const std::string& b) {
  if (a.empty() || b.empty() || a == b) return false;
  std::u32string x = Decode(a), y = Decode(b);
  if (x.size() < 3 || y.size() < 3) return false;
  if (x.size() == y.size()) {
    static constexpr std::u32string_view kSmall = U"ぁぃぅぇぉっゃゅょゎ";
    static constexpr std::u32string_view kLarge = U"あいうえおつやゆよわ";
    size_t diffs = 0, slips = 0;
    for (size_t i = 0; i < x.size(); ++i) {
      if (x[i] == y[i]) continue;
      ++diffs;
      const size_t sx = kSmall.find(x[i]), sy = kSmall.find(y[i]);
      if ((sx != std::u32string_view::npos && kLarge[sx] == y[i]) ||
          (sy != std::u32string_view::npos && kLarge[sy] == x[i]))
        ++slips;
    }
    return diffs == 1 && slips == 1;
  }
  if (x.size() + 1 == y.size()) std::swap(x, y);
  if (y.size() + 1 != x.size()) return false;
  size_t i = 0;
  while (i < y.size() && x[i] == y[i]) ++i;
  return std::u32string_view(x).substr(i + 1) == std::u32string_view(y).substr(i);
}

// One digit wrong, two adjacent digits swapped, or month and day swapped (YYYY-MM-DD).
bool DobSimilar(const std::string& a, const std::string& b) {
  if (a.size() != 10 || b.size() != 10) return false;
  if (a.substr(0, 4) == b.substr(0, 4) && a.substr(5, 2) == b.substr(8, 2) &&
      a.substr(8, 2) == b.substr(5, 2))
    return true;
  std::vector<size_t> diff;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i] != b[i]) diff.push_back(i);
  if (diff.size() == 1) return true;
  return diff.size() == 2 && diff[1] == diff[0] + 1 && a[diff[0]] == b[diff[1]] &&
         a[diff[1]] == b[diff[0]];
}

bool KnownSex(const std::string& s) { return s == "male" || s == "female"; }

bool SharesMember(const Folded& a, const Folded& b) {
  for (const auto& k : a.household_keys)
    if (std::binary_search(b.household_keys.begin(), b.household_keys.end(), k)) return true;
  return false;
}

DuplicateCandidate Score(const Folded& a, const Folded& b) {
  DuplicateCandidate c;
  c.a = a.facts->id;
  c.b = b.facts->id;
  c.shelter_a = a.facts->shelter;
  c.shelter_b = b.facts->shelter;
  auto& why = c.reasons;
  auto eq = [](const std::string& x, const std::string& y) { return !x.empty() && x == y; };

  const bool name_eq = eq(a.name, b.name);
  const bool name_swap = !name_eq && (eq(a.name, b.name_rev) || eq(a.name_rev, b.name) ||
                                      IsRotation(a.name, b.name));
  const bool kana_eq = eq(a.kana, b.kana);
  const bool kana_swap = !kana_eq && (eq(a.kana, b.kana_rev) || eq(a.kana_rev, b.kana) ||
                                      IsRotation(a.kana, b.kana));
  const bool cross = eq(a.name, b.kana) || eq(a.name, b.kana_rev) || eq(a.name_rev, b.kana) ||
                     eq(b.name, a.kana) || eq(b.name, a.kana_rev) || eq(b.name_rev, a.kana) ||
                     IsRotation(a.name, b.kana) || IsRotation(b.name, a.kana);
  const bool name_match = name_eq || name_swap;
  const bool kana_match = kana_eq || kana_swap;
  const bool both_kana = !a.kana.empty() && !b.kana.empty();
  const bool both_names = !a.name.empty() && !b.name.empty();
  // A slip in a reading (ゆうこ/ゆこ, きょう/きよう), between readings or names typed in kana.
  const bool kana_slip = !kana_match && IsKanaSlip(a.kana, b.kana);
  const bool near = !name_match && !kana_match && !cross &&
                    (kana_slip || IsKanaSlip(a.name, b.kana) || IsKanaSlip(b.name, a.kana) ||
                     IsKanaSlip(a.name, b.name));
  int score;
  if (name_match && kana_match) {
    score = 50;
  } else if (name_match) {
    score = both_kana && !kana_slip ? 30 : 45;
  } else if (kana_match) {
    score = both_names ? 30 : 40;
  } else if (cross) {
    score = 35;
  } else if (near) {
    score = 20;  // twins ゆうき/ゆき share a birth date and an address: keep them out
  } else {
    return c;  // the names do not match: not a candidate
  }
  if (name_match) {
    why.push_back(reason::kSameName);
    if (DiffersInKanji(a.name_plain, b.name_plain)) why.push_back(reason::kNameKanjiVariant);
  }
  if (kana_match) {
    why.push_back(reason::kSameKana);
    if (kana_eq && a.kana_plain != b.kana_plain) why.push_back(reason::kKanaScriptOrWidth);
  }
  if ((name_swap && !kana_eq) || (kana_swap && !name_eq) || (name_swap && kana_swap))
    why.push_back(reason::kNameOrderSwapped);
  if (cross && !name_match && !kana_match) why.push_back(reason::kNameMatchesKana);
  if (kana_slip || near) why.push_back(reason::kKanaSlip);
  if (name_match && both_kana && !kana_match && !kana_slip) why.push_back(reason::kKanaDiffers);
  if (kana_match && both_names && !name_match) why.push_back(reason::kKanjiDiffers);
  if (a.kana.empty() != b.kana.empty()) why.push_back(reason::kKanaMissing);

  if (a.dob.empty() || b.dob.empty()) {
    why.push_back(reason::kDobMissing);
  } else if (a.dob == b.dob) {
    score += 40, why.push_back(reason::kSameDob);
  } else if (DobSimilar(a.dob, b.dob)) {
    score += 5, why.push_back(reason::kDobSimilar);  // a namesake's date is often close too
  } else {
    score -= 60, why.push_back(reason::kDobDiffers);
  }
  if (!a.address.empty() && !b.address.empty()) {
    if (a.address == b.address) {
      score += 15, why.push_back(reason::kSameAddress);
    } else {
      score -= 10, why.push_back(reason::kAddressDiffers);
    }
  }
  if (KnownSex(a.sex) && KnownSex(b.sex) && a.sex != b.sex) {
    score -= 40, why.push_back(reason::kSexDiffers);
  }
  // One person twice in one household is rarer than a parent and child of the same name.
  if (!a.facts->household.IsZero() && a.facts->household == b.facts->household) {
    score -= 20, why.push_back(reason::kSameHousehold);
  } else if (SharesMember(a, b)) {
    score += 15, why.push_back(reason::kSameHouseholdMembers);
  }
  if (!a.facts->shelter.IsZero() && !b.facts->shelter.IsZero() &&
      a.facts->shelter != b.facts->shelter)
    why.push_back(reason::kOtherShelter);
  c.score = std::clamp(score, 0, 100);
  return c;
}

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

Id16 IdAt(Stmt& st, int col) {
  if (st.IsNull(col)) return Id16{};
  auto id = Id16::FromBytes(View(st.Blob(col)));
  return id.ok() ? *id : Id16{};
}

PersonFacts ReadFacts(Stmt& st) {
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
  SHELTER_ASSIGN_OR_RETURN(Stmt * st, state.db().Prepare(std::string(kFactsColumns) + "AND p.id=?"));
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
      f.household_names.push_back(m.name);
      f.household_names.push_back(m.kana);
    }
  }
  return std::optional<PersonFacts>(std::move(f));
}

// Persons indexed under any of `keys` (exact name keys), at most `limit`.
Result<std::set<Id16>> PersonsByNameKeys(State& state, const std::vector<std::string>& keys,
                                         size_t limit) {
  SHELTER_ASSIGN_OR_RETURN(Stmt * st,
                           state.db().Prepare("SELECT person FROM name_keys WHERE key=? LIMIT ?"));
  std::set<Id16> out;
  for (const auto& k : keys) {
    st->Bind(1, k).Bind(2, static_cast<int64_t>(limit));
    while (out.size() < limit) {
      auto row = st->Step();
      if (!row.ok()) {
        st->Reset();
        return row.error();
      }
      if (!*row) break;
      out.insert(IdAt(*st, 0));
    }
    st->Reset();
  }
  return out;
}

Result<std::vector<DuplicateCandidate>> CandidatesFor(State& state, const PersonFacts& facts,
                                                      int draft_member,
                                                      const DuplicateOptions& opts) {
  const Folded me = Fold(facts);
  SHELTER_ASSIGN_OR_RETURN(auto ids, PersonsByNameKeys(state, NameKeys(me), opts.max_lookup));
  std::vector<DuplicateCandidate> out;
  for (const Id16& id : ids) {
    if (id == facts.id) continue;
    SHELTER_ASSIGN_OR_RETURN(auto other, LoadFacts(state, id));
    if (!other) continue;
    DuplicateCandidate c = Score(me, Fold(*other));
    c.draft_member = draft_member;
    if (!c.reasons.empty() && c.score >= opts.threshold) out.push_back(std::move(c));
  }
  return out;
}

}  // namespace

DuplicateCandidate ScorePair(const PersonFacts& a, const PersonFacts& b) {
  return Score(Fold(a), Fold(b));
}

// [SECTION] Finders ------------------------------------------------------------------------------

Result<std::vector<DuplicateCandidate>> FindAllDuplicates(State& state,
                                                          const DuplicateOptions& opts) {
  std::vector<PersonFacts> facts;
  {
    SHELTER_ASSIGN_OR_RETURN(Stmt * st, state.db().Prepare(kFactsColumns));
    while (true) {
      auto row = st->Step();
      if (!row.ok()) {
        st->Reset();
        return row.error();
      }
      if (!*row) break;
      facts.push_back(ReadFacts(*st));
    }
    st->Reset();
  }
  std::map<Id16, std::string> addresses;  // household -> folded address
  for (const auto& f : facts) addresses.emplace(f.household, std::string());
  for (auto& [household, address] : addresses) {
    SHELTER_ASSIGN_OR_RETURN(std::string raw, HouseholdAddress(state, household));
    address = FoldAddress(raw);
  }

  std::vector<Folded> folded;
  folded.reserve(facts.size());
  for (const auto& f : facts) folded.push_back(Fold(f, &addresses[f.household]));
  // Household members' keys from the folded records, not by folding every name again.
  std::unordered_map<std::string, std::vector<uint32_t>> by_household;
  for (uint32_t i = 0; i < facts.size(); ++i)
    if (!facts[i].household.IsZero())
      by_household[std::string(facts[i].household.b.begin(), facts[i].household.b.end())]
          .push_back(i);
  for (auto& [household, members] : by_household) {
    for (uint32_t i : members) {
      for (uint32_t j : members) {
        if (i == j) continue;
        for (const std::string& k : folded[j].keys) folded[i].household_keys.push_back(k);
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
    const Folded& f = folded[i];
    for (const std::string& k : f.keys) {
      if (!f.dob.empty()) {
        blocks.push_back({hash(k + "\x1f" "d" + f.dob), i});
        blocks.push_back({hash(k + "\x1f" "y" + f.dob.substr(0, 4)), i});
      }
      if (!f.address.empty()) blocks.push_back({hash(k + "\x1f" "a" + f.address), i});
      for (const std::string& member : f.household_keys)
        blocks.push_back({hash(k + "\x1f" "h" + member), i});
    }
    // Birth date with address: finds a pair whose names differ by a slip.
    if (!f.dob.empty() && !f.address.empty())
      blocks.push_back({hash("\x1f" "da" + f.dob + "\x1f" + f.address), i});
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
    const Folded& x = folded[p >> 32];
    const Folded& y = folded[p & 0xFFFFFFFF];
    const bool swap = y.facts->id < x.facts->id;
    DuplicateCandidate c = swap ? Score(y, x) : Score(x, y);
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
      f.household_names.push_back(draft.members[j].name);
      f.household_names.push_back(draft.members[j].kana);
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
  if (keep == duplicate) return MakeError(ErrorCode::kInvalidArgument, "cannot merge a person into itself");
  SHELTER_ASSIGN_OR_RETURN(RecordState dup, LivePerson(node, duplicate));
  SHELTER_TRY(LivePerson(node, keep));
  SHELTER_ASSIGN_OR_RETURN(Id16 target, node.state().CanonicalPerson(keep));
  SHELTER_ASSIGN_OR_RETURN(Id16 dup_now, node.state().CanonicalPerson(duplicate));
  if (target == duplicate)
    return MakeError(ErrorCode::kInvalidArgument,
                     "the person to keep is merged into the other one; unmerge it first");
  if (dup_now == target) return Ok();  // already merged: nothing to write
  cbor::Item value(Bytes(target.b.begin(), target.b.end()));
  SHELTER_TRY(node.Commit(dup.scope, {{duplicate, RecordType::kPerson,
                                       {{field::kMergedInto, std::move(value)}}}}));
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
