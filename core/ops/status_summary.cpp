// Summarize: the place counts from State::Counts, the breakdowns of the people in the shelter
// from its roster, the open flag and capacity from the shelter master data.
#include "core/ops/status_summary.hpp"

#include <set>

#include "core/model/entities.hpp"
#include "core/ops/master_data.hpp"

namespace shelter::core {

Result<StatusReport> Summarize(Node& node, const Id16& shelter, int64_t as_of_s) {
  SHELTER_ASSIGN_OR_RETURN(ShelterInfo info, FindShelter(node, shelter.Hex()));
  SHELTER_ASSIGN_OR_RETURN(ShelterCounts c, node.state().Counts(shelter));
  SHELTER_ASSIGN_OR_RETURN(auto roster, node.state().Roster(shelter));
  StatusReport r;
  r.shelter = shelter;
  r.as_of_s = as_of_s;
  r.open = ShelterIsOpen(info, c.in_shelter);
  r.capacity = info.capacity;
  r.in_shelter = c.in_shelter;
  r.out = c.out;
  r.at_home = c.at_home;
  r.in_car = c.in_car;
  r.elsewhere = c.elsewhere;
  r.never_arrived = c.never_arrived;  // people who left (退所, c.left) are in none of them
  std::set<Id16> households_in;       // 避難世帯数: households with someone in the shelter
  for (auto& p : roster) {
    if (!p.InShelter()) continue;
    households_in.insert(p.household);
    (p.sex == "male" ? r.male : p.sex == "female" ? r.female : r.sex_other)++;
    r.ages[AgeBand(p.dob, as_of_s)]++;
    for (auto& n : p.needs) r.needs[n]++;
  }
  r.households = static_cast<int64_t>(households_in.size());
  r.kid = crypto::KeyIdOf(node.device().sign_pk);
  return r;
}

}  // namespace shelter::core
