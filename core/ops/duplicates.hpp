// Duplicate detection: finds person records that may be the same human (re-registered at another
// shelter or tablet, with kana/kanji, old/new character, order, width and address variants), each
// with a score and machine-readable reasons; and the merge op that joins two such records.
// Thread-safety: the finders read a State and the merge ops write through a Node: one thread at a
// time, like those. ScorePair is a pure function.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/base/bytes.hpp"
#include "core/base/result.hpp"
#include "core/model/entities.hpp"
#include "core/model/state.hpp"
#include "core/node/node.hpp"

namespace shelter::core {

// What is compared for one person, as stored (the finders fold it).
struct PersonFacts {
  Id16 id, household, shelter;
  std::string name, kana, dob, sex, address;
  struct Member {
    std::string name, kana;
  };
  std::vector<Member> members;  // the other members of the household
};

// Reason codes (stable, for the UI to translate). A pair is only scored when the names match
// in one of the name_* / same_* ways; the others adjust the score.
namespace reason {
inline constexpr const char* kSameName = "same_name";                   // kanji name, folded
inline constexpr const char* kNameKanjiVariant = "name_kanji_variant";  // 髙/高, 﨑/崎, 邊/辺 ...
inline constexpr const char* kSameKana = "same_kana";                   // reading, folded
inline constexpr const char* kKanaScriptOrWidth = "kana_script_or_width";  // カタカナ, ｶﾀｶﾅ
inline constexpr const char* kNameOrderSwapped = "name_order_swapped";
inline constexpr const char* kNameMatchesKana = "name_matches_kana";  // name typed in kana
inline constexpr const char* kKanjiDiffers = "kanji_differs";         // same kana, other kanji
inline constexpr const char* kKanaDiffers = "kana_differs";           // same kanji, other kana
inline constexpr const char* kKanaSlip = "kana_slip";  // ゆうこ/ゆこ, きょう/きよう
inline constexpr const char* kKanaMissing = "kana_missing";
inline constexpr const char* kSameDob = "same_dob";
inline constexpr const char* kDobSimilar = "dob_similar";  // one digit off or month/day swapped
inline constexpr const char* kDobMissing = "dob_missing";
inline constexpr const char* kDobDiffers = "dob_differs";
inline constexpr const char* kSameAddress = "same_address";  // after FoldAddress
inline constexpr const char* kAddressDiffers = "address_differs";
inline constexpr const char* kSexDiffers = "sex_differs";
inline constexpr const char* kSameHouseholdMembers = "same_household_members";
inline constexpr const char* kSameHousehold = "same_household";
inline constexpr const char* kOtherShelter = "other_shelter";
}  // namespace reason

struct DuplicateCandidate {
  Id16 a, b;  // FindAllDuplicates: a < b. FindDuplicatesOf*: a is the person asked about.
  Id16 shelter_a, shelter_b;
  int draft_member = -1;  // FindDuplicatesOfDraft: index of the draft member `a` stands for
  int score = 0;          // 0..100
  std::vector<std::string> reasons;
};

struct DuplicateOptions {
  int threshold = 60;        // report pairs scoring at least this
  size_t max_block = 500;    // FindAllDuplicates skips blocking groups larger than this
  size_t max_lookup = 2000;  // FindDuplicatesOf* compares at most this many records
};

// Scores a pair: 0 with no reasons when the names do not match at all.
DuplicateCandidate ScorePair(const PersonFacts& a, const PersonFacts& b);

// Every candidate pair among the visible persons of `state`, best score first. Blocking by folded
// name (either order, kanji or kana) combined with birth date, birth year, folded address or a
// household member's name, and by birth date with address. kIo/kCorrupt when the state fails.
Result<std::vector<DuplicateCandidate>> FindAllDuplicates(State& state,
                                                          const DuplicateOptions& opts = {});
// Candidates for one stored person. kNotFound for an unknown person.
Result<std::vector<DuplicateCandidate>> FindDuplicatesOf(State& state, const Id16& person,
                                                         const DuplicateOptions& opts = {});
// Candidates for the members of a household draft before it is saved (registration screen).
Result<std::vector<DuplicateCandidate>> FindDuplicatesOfDraft(State& state, const Household& draft,
                                                              const Id16& shelter,
                                                              const DuplicateOptions& opts = {});

// Lead or admin: merges `duplicate` into `keep` by writing `_merged = keep` on `duplicate` (one op
// in its scope; both records and their stays stay in the log). Merging into a person that is
// itself merged merges into the person it resolves to. Idempotent: nothing is written when
// `duplicate` already resolves to `keep`. Returns kInvalidArgument when `keep` resolves to
// `duplicate` or is `duplicate`, kNotFound when either is not a live person here,
// kPermissionDenied for other roles or when this device holds no key for `duplicate`'s scope.
Status MergePersons(Node& node, const Id16& keep, const Id16& duplicate);
// Lead or admin: clears `_merged` on `person` (a later op), so it shows again; nothing is written
// when it is not merged. kNotFound / kPermissionDenied as for MergePersons.
Status UnmergePerson(Node& node, const Id16& person);

}  // namespace shelter::core
