// Facilities as fields of the shelter record (written only by a lead or admin) and the
// living-condition ratios: integer comparisons so that exactly at the line is met.
#include "core/ops/facilities.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "core/model/entities.hpp"
#include "core/ops/assessment.hpp"

namespace shelter::core {

bool FacilitiesChange::Empty() const {
  return !toilets_women && !toilets_men && !toilets_accessible && !baths && !floor_m2 && !beds &&
         !power && !water;
}

static std::optional<int64_t> Count(const RecordState& r, const char* name) {
  if (auto* i = r.Get(name).as_int()) return *i;
  return std::nullopt;
}

Facilities FacilitiesFromRecord(const RecordState& r) {
  Facilities f;
  f.toilets_women = Count(r, field::kToiletsWomen);
  f.toilets_men = Count(r, field::kToiletsMen);
  f.toilets_accessible = Count(r, field::kToiletsAccessible);
  f.baths = Count(r, field::kBaths);
  f.floor_m2 = Count(r, field::kFloorM2);
  f.beds = Count(r, field::kBeds);
  f.power = r.Text(field::kPower);
  f.water = r.Text(field::kWater);
  return f;
}

static Result<RecordState> ShelterRecordOf(Node& node, const Id16& shelter) {
  SHELTER_ASSIGN_OR_RETURN(auto rec, node.state().Get(shelter));
  if (!rec || rec->type != RecordType::kShelter || rec->Deleted())
    return MakeError(ErrorCode::kNotFound, "no such shelter (see `shelter list`)");
  return *rec;
}

template <size_t N>
static bool OneOf(const std::string& v, const char* const (&kinds)[N]) {
  return std::find(std::begin(kinds), std::end(kinds), v) != std::end(kinds);
}

Status SetFacilities(Node& node, const Id16& shelter, const FacilitiesChange& c) {
  if (auto allowed = node.Require({StaffRole::kLead, StaffRole::kAdmin}); !allowed.ok()) {
    if (allowed.error().code != ErrorCode::kPermissionDenied) return allowed;
    return MakeError(ErrorCode::kPermissionDenied,
                     "only the shelter lead or an admin may edit its facilities (" +
                         allowed.error().detail + ")");
  }
  if (c.Empty())
    return MakeError(ErrorCode::kInvalidArgument, "no facility to change (see --help)");
  std::vector<FieldWrite> fields;
  auto count = [&](const char* name, const char* what, const std::optional<int64_t>& v) -> Status {
    if (!v) return Ok();
    if (*v < 0 || *v > kMaxFacilityCount)
      return MakeError(ErrorCode::kInvalidArgument,
                       std::string(what) + " must be 0.." + std::to_string(kMaxFacilityCount));
    fields.push_back({name, cbor::Item(*v)});
    return Ok();
  };
  SHELTER_TRY(count(field::kToiletsWomen, "women's toilets", c.toilets_women));
  SHELTER_TRY(count(field::kToiletsMen, "men's toilets", c.toilets_men));
  SHELTER_TRY(count(field::kToiletsAccessible, "accessible toilets", c.toilets_accessible));
  SHELTER_TRY(count(field::kBaths, "baths", c.baths));
  SHELTER_TRY(count(field::kFloorM2, "floor area (m²)", c.floor_m2));
  SHELTER_TRY(count(field::kBeds, "beds", c.beds));
  if (c.power) {
    if (!OneOf(*c.power, kPowerKinds))
      return MakeError(ErrorCode::kInvalidArgument, "power is grid, generator or none");
    fields.push_back({field::kPower, cbor::Item(*c.power)});
  }
  if (c.water) {
    if (!OneOf(*c.water, kWaterKinds))
      return MakeError(ErrorCode::kInvalidArgument, "water is mains, tank or none");
    fields.push_back({field::kWater, cbor::Item(*c.water)});
  }
  std::sort(fields.begin(), fields.end(),
            [](const FieldWrite& a, const FieldWrite& b) { return a.field < b.field; });
  SHELTER_ASSIGN_OR_RETURN(RecordState rec, ShelterRecordOf(node, shelter));
  SHELTER_TRY(node.Commit(rec.scope, {{shelter, RecordType::kShelter, std::move(fields)}}));
  return Ok();
}

Result<Facilities> GetFacilities(Node& node, const Id16& shelter) {
  SHELTER_ASSIGN_OR_RETURN(RecordState rec, ShelterRecordOf(node, shelter));
  return FacilitiesFromRecord(rec);
}

const char* RatioStateName(RatioState s) {
  switch (s) {
    case RatioState::kMet: return "met";
    case RatioState::kMissed: return "missed";
    case RatioState::kUnknown: return "unknown";
  }
  return "unknown";
}

static LivingRatio Line(const char* key, double target, bool at_most) {
  LivingRatio r;
  r.key = key;
  r.target = target;
  r.at_most = at_most;
  return r;
}

static RatioState MetIf(bool ok) { return ok ? RatioState::kMet : RatioState::kMissed; }

std::vector<LivingRatio> ComputeLivingRatios(const Facilities& f, const Occupants& o,
                                             bool first_days) {
  const int64_t people = std::max<int64_t>(o.people, 0);
  std::vector<LivingRatio> out;
  // people per toilet (every toilet: women's, men's and accessible)
  {
    LivingRatio r = Line(
        "people_per_toilet",
        static_cast<double>(first_days ? kPeoplePerToiletFirstDays : kPeoplePerToiletLater), true);
    if (f.toilets_women || f.toilets_men || f.toilets_accessible) {
      const int64_t toilets = f.toilets_women.value_or(0) + f.toilets_men.value_or(0) +
                              f.toilets_accessible.value_or(0);
      const int64_t per = first_days ? kPeoplePerToiletFirstDays : kPeoplePerToiletLater;
      if (toilets > 0) r.value = static_cast<double>(people) / static_cast<double>(toilets);
      r.state = MetIf(people <= per * toilets);
    }
    out.push_back(r);
  }
  // women's toilets per woman against men's per man: at least 3 (Sphere's 3:1)
  {
    LivingRatio r = Line("women_toilet_ratio", kWomenToiletFactor, false);
    if (f.toilets_women && f.toilets_men) {
      const int64_t tw = *f.toilets_women, tm = *f.toilets_men;
      if (o.women <= 0 || o.men <= 0 || tm == 0) {
        r.state = tw == 0 && o.women > 0 ? RatioState::kMissed : RatioState::kMet;
        if (tw == 0 && o.women > 0) r.value = 0;
      } else {
        r.value = static_cast<double>(tw * o.men) / static_cast<double>(tm * o.women);
        r.state = MetIf(tw * o.men >= kWomenToiletFactor * tm * o.women);
      }
    }
    out.push_back(r);
  }
  // living floor per person: at least 3.5 m² (2·area ≥ 7·people)
  {
    LivingRatio r = Line("m2_per_person", kM2PerPerson, false);
    if (f.floor_m2) {
      if (people > 0) r.value = static_cast<double>(*f.floor_m2) / static_cast<double>(people);
      r.state = MetIf(2 * *f.floor_m2 >= 7 * people);
    }
    out.push_back(r);
  }
  // people per bath or shower: at most 50
  {
    LivingRatio r = Line("people_per_bath", kPeoplePerBath, true);
    if (f.baths) {
      if (*f.baths > 0) r.value = static_cast<double>(people) / static_cast<double>(*f.baths);
      r.state = MetIf(people <= kPeoplePerBath * *f.baths);
    }
    out.push_back(r);
  }
  // beds for the people in the shelter: all of them (1.0)
  {
    LivingRatio r = Line("bed_coverage", 1.0, false);
    if (f.beds) {
      if (people > 0) r.value = static_cast<double>(*f.beds) / static_cast<double>(people);
      r.state = MetIf(*f.beds >= people);
    }
    out.push_back(r);
  }
  return out;
}

bool InFirstDays(std::string_view date, int64_t now_s) {
  int y = 0;
  unsigned m = 0, d = 0;
  if (date.size() != 10 || std::sscanf(std::string(date).c_str(), "%4d-%2u-%2u", &y, &m, &d) != 3)
    return false;
  const std::chrono::year_month_day ymd{std::chrono::year(y), std::chrono::month(m),
                                        std::chrono::day(d)};
  if (!ymd.ok()) return false;
  using namespace std::chrono;
  const auto today = floor<days>(sys_seconds(seconds(now_s)) + hours(9));  // Japan date
  const auto since = (today - sys_days(ymd)).count();
  return since >= 0 && since < kFirstDays;
}

int LivingConditions::Alarms() const {
  return static_cast<int>(
      std::count_if(ratios.begin(), ratios.end(), [](const LivingRatio& r) { return r.Alarm(); }));
}

Result<LivingConditions> GetLivingConditions(Node& node, const Id16& shelter, int64_t now_s) {
  LivingConditions lc;
  SHELTER_ASSIGN_OR_RETURN(lc.facilities, GetFacilities(node, shelter));
  SHELTER_ASSIGN_OR_RETURN(auto roster, node.state().Roster(shelter));
  for (auto& p : roster) {
    if (!p.InShelter()) continue;
    ++lc.occupants.people;
    if (p.sex == "female") ++lc.occupants.women;
    if (p.sex == "male") ++lc.occupants.men;
  }
  SHELTER_ASSIGN_OR_RETURN(auto disasters, ListDisasters(node));
  for (auto& d : disasters)
    if (d.date > lc.disaster_date) lc.disaster_date = d.date;
  lc.first_days = InFirstDays(lc.disaster_date, now_s);
  lc.ratios = ComputeLivingRatios(lc.facilities, lc.occupants, lc.first_days);
  return lc;
}

}  // namespace shelter::core
