// A shelter's facilities (toilets, baths, floor area, beds, power, water) as fields of its
// master-data record, and the living-condition ratios against the Sphere figures the national
// guideline adopted (core/FORMATS.md "Shelter facilities"). The ratios are a pure function of the
// facilities and who is in the shelter; LivingConditions reads both from a Node (one thread at a
// time, like the Node).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.hpp"
#include "core/node/node.hpp"

namespace shelter::core {

namespace field {
inline constexpr const char* kToiletsWomen = "fac_toilet_w";
inline constexpr const char* kToiletsMen = "fac_toilet_m";
inline constexpr const char* kToiletsAccessible = "fac_toilet_a";
inline constexpr const char* kBaths = "fac_baths";
inline constexpr const char* kFloorM2 = "fac_floor_m2";
inline constexpr const char* kBeds = "fac_beds";
inline constexpr const char* kPower = "fac_power";
inline constexpr const char* kWater = "fac_water";
}  // namespace field

// Counts never recorded are nullopt (unknown), not 0: a ratio over an unknown count is unknown,
// not an alarm. Toilets are usable ones (fixed and 仮設) by who uses them; 多目的 (accessible)
// toilets are for anyone; 携帯トイレ (bags) are supplies, not counted.
struct Facilities {
  std::optional<int64_t> toilets_women, toilets_men, toilets_accessible;
  std::optional<int64_t> baths;     // baths and showers in use
  std::optional<int64_t> floor_m2;  // floor area for living, whole m²
  std::optional<int64_t> beds;      // beds (段ボールベッド etc.)
  std::string power;                // "", grid, generator, none
  std::string water;                // "", mains, tank, none
};
inline constexpr int64_t kMaxFacilityCount = 1'000'000;
inline constexpr const char* kPowerKinds[] = {"grid", "generator", "none"};
inline constexpr const char* kWaterKinds[] = {"mains", "tank", "none"};

// Only what is set in `changes` is written (nullopt / "" keep their value): one field per item,
// so two leads editing different items offline do not conflict.
struct FacilitiesChange {
  std::optional<int64_t> toilets_women, toilets_men, toilets_accessible, baths, floor_m2, beds;
  std::optional<std::string> power, water;
  bool Empty() const;
};

Facilities FacilitiesFromRecord(const RecordState& r);
// The shelter lead or an admin: writes the changed items into the shelter's record, in its scope.
// kPermissionDenied for anyone else (the detail says who may), kInvalidArgument for a count
// outside 0..kMaxFacilityCount, an unknown power or water kind, or nothing to change;
// kNotFound for an unknown shelter.
Status SetFacilities(Node& node, const Id16& shelter, const FacilitiesChange& changes);
Result<Facilities> GetFacilities(Node& node, const Id16& shelter);

// Who is in the shelter now (Whereabouts in_shelter); women and men by recorded sex, the rest
// are counted in people only.
struct Occupants {
  int64_t people = 0, women = 0, men = 0;
};

enum class RatioState { kMet, kMissed, kUnknown };
const char* RatioStateName(RatioState s);  // met, missed, unknown

// One figure against its target. `value` is nullopt when it has none (nobody in the shelter, or
// a division by zero: 3 people and 0 toilets is missed with no value). at_most: the value must
// not exceed the target (people per toilet); else it must reach it (m² per person).
struct LivingRatio {
  std::string key;  // people_per_toilet, women_toilet_ratio, m2_per_person, people_per_bath,
                    // bed_coverage (stable: JSON and translations use it)
  std::optional<double> value;
  double target = 0;
  bool at_most = false;
  RatioState state = RatioState::kUnknown;
  bool Alarm() const { return state == RatioState::kMissed; }
};

// Sphere figures: a toilet per 50 people in the first days, per 20 after; women's toilets 3×
// men's, per person of each sex; ≥ 3.5 m² of living floor per person; a bath or shower per 50
// people; a bed for everyone (TKB48).
inline constexpr int64_t kPeoplePerToiletFirstDays = 50;
inline constexpr int64_t kPeoplePerToiletLater = 20;
inline constexpr int64_t kWomenToiletFactor = 3;
inline constexpr double kM2PerPerson = 3.5;
inline constexpr int64_t kPeoplePerBath = 50;
// The first days are the disaster's date and the next two (Japan time): days 0..2.
inline constexpr int kFirstDays = 3;

// The five ratios, always in the order of LivingRatio::key above. Exact comparisons in integers:
// exactly at the line is met.
std::vector<LivingRatio> ComputeLivingRatios(const Facilities& f, const Occupants& o,
                                             bool first_days);
// Whether `now_s` (Unix seconds) falls in the first kFirstDays Japan-time days from
// `disaster_date` (YYYY-MM-DD); false for an empty or bad date or a date in the future.
bool InFirstDays(std::string_view disaster_date, int64_t now_s);

struct LivingConditions {
  Facilities facilities;
  Occupants occupants;
  std::string disaster_date;  // the latest recorded disaster's date, "" when none
  bool first_days = false;    // no disaster recorded: the later (stricter) toilet figure
  std::vector<LivingRatio> ratios;
  int Alarms() const;
};
// The facilities, the roster in the shelter now and the ratios at `now_s`. kNotFound for an
// unknown shelter.
Result<LivingConditions> GetLivingConditions(Node& node, const Id16& shelter, int64_t now_s);

}  // namespace shelter::core
