// Person matching for duplicate detection.
//
// [SECTION] index
//   Helpers     UTF-8, name parts, rotations, reading slips, similar dates
//   Folding     FoldPerson, LookupNameKeys: the keys compared and looked up
//   Scoring     ScoreMatch: name match first, then birth date, address, sex and household
#include "core/ops/person_match.hpp"

#include <algorithm>
#include <string_view>

#include "core/text/text_normalize.hpp"

namespace shelter::core {
namespace {

// [SECTION] Helpers ------------------------------------------------------------------------------

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

struct FoldedName {
  std::string folded, reversed, plain;  // reversed: "" for a single part
};

FoldedName FoldName(std::string_view raw) {
  const std::vector<std::string> parts = SplitName(raw);
  FoldedName out;
  out.plain = Join(parts, false);
  out.folded = FoldForSearch(out.plain);
  if (parts.size() > 1) out.reversed = FoldForSearch(Join(parts, true));
  if (out.reversed == out.folded) out.reversed.clear();
  return out;
}

// The smallest rotation of a folded name: equal for "山崎陽菜" and "陽菜山崎" (order swapped with
// no space between the parts), so such pairs share a blocking key.
std::string MinRotation(const std::string& folded) {
  const std::u32string s = DecodeUtf8Lossy(folded);
  std::u32string best = s;
  for (size_t i = 1; i < s.size(); ++i) {
    std::u32string r = s.substr(i) + s.substr(0, i);
    if (r < best) best = std::move(r);
  }
  return EncodeUtf8(best);
}

// Blocking keys: rotation-invariant forms of the kanji name and of the kana.
std::vector<std::string> BlockingNameKeys(const MatchKeys& f) {
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

// True when two spellings that fold equal (in any order) use different kanji: old or variant forms.
bool DiffersInKanji(std::string_view a, std::string_view b) {
  auto kanji = [](std::string_view s) {
    std::u32string k;
    for (char32_t c : DecodeUtf8Lossy(s))
      if (c >= 0x3400 && (c < 0xFF00 || c > 0xFFEF)) k.push_back(c);
    std::sort(k.begin(), k.end());
    return k;
  };
  return kanji(a) != kanji(b);
}

// True when two folded readings differ by one kana more or less, or by one small kana written
// large (ゃゅょっぁぃぅぇぉ). A different kana in the same place (twins ゆうと/ゆうま) is not a
// slip.
bool IsKanaSlip(const std::string& a, const std::string& b) {
  if (a.empty() || b.empty() || a == b) return false;
  std::u32string x = DecodeUtf8Lossy(a), y = DecodeUtf8Lossy(b);
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

// How many of a's other household members also appear in b's household.
int SharedMembers(const MatchKeys& a, const MatchKeys& b) {
  int shared = 0;
  for (const auto& member : a.member_keys)
    for (const auto& k : member)
      if (std::binary_search(b.household_keys.begin(), b.household_keys.end(), k)) {
        ++shared;
        break;
      }
  return shared;
}

}  // namespace

// [SECTION] Folding ------------------------------------------------------------------------------

MatchKeys FoldPerson(const PersonFacts& f, const std::string* folded_address) {
  MatchKeys out;
  out.facts = &f;
  FoldedName name = FoldName(f.name), kana = FoldName(f.kana);
  out.name = std::move(name.folded), out.name_rev = std::move(name.reversed);
  out.name_plain = std::move(name.plain);
  out.kana = std::move(kana.folded), out.kana_rev = std::move(kana.reversed);
  out.kana_plain = std::move(kana.plain);
  if (f.dob.size() == 10 || f.dob.empty()) {
    out.dob = f.dob;  // stored dates are already YYYY-MM-DD
  } else {
    auto d = NormalizeDate(f.dob, /*allow_partial=*/true);
    out.dob = d.ok() ? *d : std::string();
  }
  out.address = folded_address ? *folded_address : FoldAddress(f.address);
  out.sex = f.sex;
  out.keys = BlockingNameKeys(out);
  for (const auto& m : f.members) {
    std::vector<std::string> keys;
    for (const std::string* text : {&m.name, &m.kana}) {
      std::string k = FoldForSearch(*text);
      if (!k.empty()) keys.push_back(MinRotation(k));
    }
    out.household_keys.insert(out.household_keys.end(), keys.begin(), keys.end());
    out.member_keys.push_back(std::move(keys));
  }
  std::sort(out.household_keys.begin(), out.household_keys.end());
  return out;
}

std::vector<std::string> LookupNameKeys(const MatchKeys& f) {
  std::vector<std::string> keys;
  for (const std::string* k : {&f.name, &f.name_rev, &f.kana, &f.kana_rev})
    if (!k->empty() && std::find(keys.begin(), keys.end(), *k) == keys.end()) keys.push_back(*k);
  return keys;
}

// [SECTION] Scoring ------------------------------------------------------------------------------

DuplicateCandidate ScoreMatch(const MatchKeys& a, const MatchKeys& b) {
  DuplicateCandidate c;
  c.a = a.facts->id;
  c.b = b.facts->id;
  c.shelter_a = a.facts->shelter;
  c.shelter_b = b.facts->shelter;
  auto& why = c.reasons;
  auto eq = [](const std::string& x, const std::string& y) { return !x.empty() && x == y; };

  const bool name_eq = eq(a.name, b.name);
  const bool name_swap =
      !name_eq && (eq(a.name, b.name_rev) || eq(a.name_rev, b.name) || IsRotation(a.name, b.name));
  const bool kana_eq = eq(a.kana, b.kana);
  const bool kana_swap =
      !kana_eq && (eq(a.kana, b.kana_rev) || eq(a.kana_rev, b.kana) || IsRotation(a.kana, b.kana));
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
  } else if (const int shared = SharedMembers(a, b); shared > 0) {
    // Namesakes may share one relative's name too; two shared members is a family registered twice.
    score += shared >= 2 ? 15 : 8, why.push_back(reason::kSameHouseholdMembers);
  }
  if (!a.facts->shelter.IsZero() && !b.facts->shelter.IsZero() &&
      a.facts->shelter != b.facts->shelter)
    why.push_back(reason::kOtherShelter);
  c.score = std::clamp(score, 0, 100);
  return c;
}

DuplicateCandidate ScorePair(const PersonFacts& a, const PersonFacts& b) {
  return ScoreMatch(FoldPerson(a), FoldPerson(b));
}

}  // namespace shelter::core
