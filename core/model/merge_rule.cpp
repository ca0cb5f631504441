#include "core/model/merge_rule.hpp"

#include <algorithm>
#include <vector>

namespace shelter::core {

Result<bool> HiddenByMerge(const Id16& person, const MergeLinkView& link,
                           const MergeLinkLookup& lookup) {
  if (link.removed || link.into.IsZero()) return false;
  SHELTER_ASSIGN_OR_RETURN(auto target, lookup(link.into));
  bool hidden = target && !target->removed;
  std::vector<Id16> cycle = {person};
  Id16 cur = link.into;
  for (int i = 0; hidden && i < kMaxMergeChain; ++i) {
    if (cur == person)  // a cycle: its smallest id stays visible
      return person != *std::min_element(cycle.begin(), cycle.end());
    SHELTER_ASSIGN_OR_RETURN(auto next, lookup(cur));
    if (!next || next->removed || next->into.IsZero()) break;
    cycle.push_back(cur);
    cur = next->into;
  }
  return hidden;
}

}  // namespace shelter::core
