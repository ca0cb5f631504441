// The domain model (DESIGN §3) as typed views over op-log records: field names, value codecs, and
// conversions between typed structs and field writes / materialized records. Value types.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/base/bytes.hpp"
#include "core/base/result.hpp"
#include "core/log/op.hpp"
#include "core/model/record_state.hpp"

namespace shelter::core {

// Field names are stable wire identifiers: never rename one (core/FORMATS.md lists them).
namespace field {
inline constexpr const char* kDeleted = "_del";
inline constexpr const char* kMergedInto = "_merged";
// municipality
inline constexpr const char* kCode = "code";
// shared
inline constexpr const char* kName = "name";
inline constexpr const char* kKana = "kana";
inline constexpr const char* kAddress = "addr";
inline constexpr const char* kPhone = "phone";
inline constexpr const char* kNote = "note";
// shelter
inline constexpr const char* kCommonId = "common_id";
inline constexpr const char* kMunicipality = "muni";
inline constexpr const char* kLat = "lat";
inline constexpr const char* kLon = "lon";
inline constexpr const char* kCapacity = "capacity";
inline constexpr const char* kKind = "kind";
inline constexpr const char* kHazards = "hazards";
inline constexpr const char* kStatus = "status";
// disaster
inline constexpr const char* kDate = "date";
// household
inline constexpr const char* kShelter = "shelter";
inline constexpr const char* kHead = "head";
inline constexpr const char* kResidence = "residence";
inline constexpr const char* kPets = "pets";
inline constexpr const char* kVehicle = "vehicle";
inline constexpr const char* kHouseDamage = "damage";
// person
inline constexpr const char* kHousehold = "household";
inline constexpr const char* kDob = "dob";
inline constexpr const char* kSex = "sex";
inline constexpr const char* kRelationship = "rel";
inline constexpr const char* kNationality = "nat";
inline constexpr const char* kLanguage = "lang";
inline constexpr const char* kNeeds = "needs";
inline constexpr const char* kAllergies = "allergies";
inline constexpr const char* kCareLevel = "care";
inline constexpr const char* kEvacSupport = "evac_support";
inline constexpr const char* kConsentFamily = "c_family";
inline constexpr const char* kConsentAcquaintance = "c_acq";
inline constexpr const char* kConsentPublic = "c_public";
inline constexpr const char* kConsentThirdParty = "c_third";
inline constexpr const char* kSource = "source";
// stay event
inline constexpr const char* kPerson = "person";
inline constexpr const char* kEvent = "event";
inline constexpr const char* kPlace = "place";
inline constexpr const char* kTo = "to";
inline constexpr const char* kAt = "at";
inline constexpr const char* kUndoes = "undoes";
}  // namespace field

// 要配慮者 codes (reference datamodel §1.3).
const std::vector<std::string>& NeedCodes();
bool IsNeedCode(std::string_view code);
// The 8 labelled allergens and others: egg, milk, wheat, buckwheat, peanut, shrimp, crab, walnut.
const std::vector<std::string>& AllergenCodes();
bool IsSex(std::string_view s);  // male, female, other, unanswered

struct Consent {
  bool family = true;        // 安否 to family: answered unless refused
  bool acquaintance = true;  // 安否 to acquaintances: name + condition only, unless refused
  bool to_public = false;    // to anyone / public: only with consent
  bool third_party = false;  // sharing with outside supporters
};

struct Person {
  Id16 id;
  Id16 household;
  std::string name, kana;  // 氏名 (kanji), ふりがな
  std::string dob;         // YYYY-MM-DD or empty
  std::string sex = "unanswered";
  std::string relationship, nationality, language, phone, note;
  std::vector<std::string> needs;      // codes from NeedCodes()
  std::vector<std::string> allergies;  // codes from AllergenCodes() or free text
  int care_level = 0;                  // 要介護度 1..5, 0 = none
  bool evac_support = false;           // on the 避難行動要支援者名簿
  Consent consent;
  std::string source = "manual";  // card, qr, manual, paper
};

struct Pet {
  std::string kind;
  int count = 1;
  std::string mode;  // "with" (同行, kept apart) or "together" (同伴)
};

struct Household {
  Id16 id;
  Id16 shelter;
  Id16 head;
  std::string address;    // 住所 (registered)
  std::string residence;  // 居所 (now)
  std::string phone, vehicle, house_damage, note;
  std::vector<Pet> pets;
  std::vector<Person> members;
};

// Wire values only grow (HQ stores their index): append, never reorder.
// kUndone cancels the stay named by Stay::undoes (core/model/stay_status.hpp).
enum class StayEvent { kArrive, kLeave, kOvernightOut, kMoved, kHospital, kReturnedHome, kUndone };
enum class Place {
  kShelter,
  kWelfareShelter,
  kHome,
  kCar,
  kTent,
  kRelatives,
  kHospital,
  kElsewhere,
  kOutForDay,  // 外出: out for the day, comes back
  kOvernight,  // 外泊: away for the night
  kLeft,       // 退所: left the shelter
};
inline constexpr int kStayEventCount = 7;  // StayEvent values are 0 .. kStayEventCount - 1
inline constexpr int kPlaceCount = 11;     // Place values are 0 .. kPlaceCount - 1
const char* StayEventName(StayEvent e);
const char* PlaceName(Place p);
Result<StayEvent> ParseStayEvent(std::string_view s);
Result<Place> ParsePlace(std::string_view s);

struct Stay {
  Id16 id;
  Id16 person;
  StayEvent event = StayEvent::kArrive;
  Place place = Place::kShelter;
  Id16 to_shelter;  // for kMoved
  int64_t at_ms = 0;
  Id16 undoes;  // for kUndone: the stay it cancels
};

struct ShelterInfo {
  Id16 id;
  std::string common_id, municipality_code, name, kana, address;
  std::string lat, lon;  // decimal degrees as text (no floats in the op log)
  int64_t capacity = 0;
  std::string kind;  // designated, welfare, emergency_site, other
  int64_t hazards = 0;
  std::string status = "closed";
};

// Typed struct -> field writes (all fields, empty ones as null so edits can clear them).
std::vector<FieldWrite> PersonFields(const Person& p);
std::vector<FieldWrite> HouseholdFields(const Household& h);
std::vector<FieldWrite> StayFields(const Stay& s);
std::vector<FieldWrite> ShelterFields(const ShelterInfo& s);

// Materialized record -> typed struct, taking each field's winning value.
Person PersonFromRecord(const RecordState& r);
Household HouseholdFromRecord(const RecordState& r);
Stay StayFromRecord(const RecordState& r);
ShelterInfo ShelterFromRecord(const RecordState& r);

// One thing wrong with one field of a household draft, for a form to show beside that field
// (core/model/household_check.cpp). `code` is stable (the UI maps it to a translated message):
// no_members, too_many_members, required (a name or kana), too_long, not_utf8, not_kana,
// bad_date, future_date, unknown_code (sex, need, pet mode), out_of_range (care level, pet
// count). `detail` is English for staff and never holds the value.
struct FieldProblem {
  int member = -1;  // index in members; -1: the household itself
  int pet = -1;     // index in pets for a pet field, else -1
  std::string
      field;  // a field name (field::kName, ..., "members"; a pet's "kind", "count", "mode")
  std::string code;
  std::string detail;
};

// Every problem of a household draft, in form order (household fields, then each member's,
// then the pets'); empty when it is valid: at least one and at most 50 members, each with a
// name or kana, kana only in hiragana/katakana, known sex / need codes, a valid date of birth not
// after today (Japan time), care level 0..5; pets with a kind, a count 1..99 and a mode "with",
// "together" or none.
std::vector<FieldProblem> HouseholdProblems(const Household& h);
// A problem in English for staff, with where it is and never the value: "member 1: name or kana
// is required", "pet 2: pet count must be 1..99", "household text is not valid UTF-8".
std::string DescribeProblem(const FieldProblem& p);
// The first of HouseholdProblems (DescribeProblem) as kInvalidArgument naming the member (from 1)
// and field, never the value ("member 1: name or kana is required"); Ok when there is none.
Status ValidateHousehold(const Household& h);

}  // namespace shelter::core
