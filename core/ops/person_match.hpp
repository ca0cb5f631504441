// Folding and scoring of person records for duplicate detection: the keys compared (names in
// either order, kana, birth date, address, household members) and the score with its reasons.
// Used by core/ops/duplicates.cpp. Pure functions over value types; safe from any thread.
#pragma once

#include <string>
#include <vector>

#include "core/ops/duplicates.hpp"

namespace shelter::core {

// One person folded for comparison; `facts` must outlive it.
struct MatchKeys {
  const PersonFacts* facts = nullptr;
  std::string name, name_rev;  // FoldForSearch; *_rev: parts in reverse order ("" for one part)
  std::string kana, kana_rev;
  std::string name_plain;  // as typed, separators removed (for reasons)
  std::string kana_plain;
  std::string dob, address, sex;
  std::vector<std::string> keys;            // blocking keys: rotation-invariant name and kana
  std::vector<std::string> household_keys;  // the other members' keys, sorted
  std::vector<std::vector<std::string>> member_keys;  // the same, member by member
};

// `folded_address`: FoldAddress(f.address) when the caller has it already (one per household).
MatchKeys FoldPerson(const PersonFacts& f, const std::string* folded_address = nullptr);
// The exact name keys to look a person up under (State::PersonsWithNameKey): both orders, kanji
// and kana.
std::vector<std::string> LookupNameKeys(const MatchKeys& f);
// Scores a pair: no reasons and score 0 when the names do not match at all.
DuplicateCandidate ScoreMatch(const MatchKeys& a, const MatchKeys& b);

}  // namespace shelter::core
