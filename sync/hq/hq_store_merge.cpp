// HqStore: which merged persons are hidden, by core's rule (core/model/merge_rule.hpp), and the
// re-counting of the persons whose visibility follows a changed merge link.
#include <set>

#include "core/model/merge_rule.hpp"
#include "sync/hq/hq_store.hpp"
#include "sync/hq/hq_store_records.hpp"

namespace shelter::hq {

bool HqStore::HiddenByMerge(const Id16& id, const PersonRec& p) const {
  if (!(p.flags & kFlagMergeLink)) return false;
  if (p.merged_into.IsZero()) return !(p.flags & kFlagDeleted);  // before schema 4: as stored
  auto lookup = [this](const Id16& who) -> Result<std::optional<core::MergeLinkView>> {
    auto it = impl_->persons.find(who);
    if (it == impl_->persons.end() || !(it->second.flags & kFlagPresent))
      return std::optional<core::MergeLinkView>();
    return std::optional<core::MergeLinkView>(
        core::MergeLinkView{(it->second.flags & kFlagDeleted) != 0, it->second.merged_into});
  };
  auto hidden = core::HiddenByMerge(
      id, core::MergeLinkView{(p.flags & kFlagDeleted) != 0, p.merged_into}, lookup);
  return hidden.ok() && *hidden;  // the lookup above never fails
}

void HqStore::RefreshMerges(const Id16& person, const Id16& old_into, const Id16& new_into) {
  // As core::State: the persons merged into this one, and those on its old and new chains (they
  // may have been, or now be, in a cycle with it).
  if (impl_->merged_from.empty() && old_into.IsZero() && new_into.IsZero()) return;
  std::set<Id16> affected;
  if (auto it = impl_->merged_from.find(person); it != impl_->merged_from.end())
    affected.insert(it->second.begin(), it->second.end());
  for (Id16 cur : {old_into, new_into}) {
    for (int i = 0;
         i < core::kMaxMergeChain && !cur.IsZero() && cur != person && affected.insert(cur).second;
         ++i) {
      auto it = impl_->persons.find(cur);
      if (it == impl_->persons.end()) break;
      cur = it->second.merged_into;
    }
  }
  affected.erase(person);
  for (const Id16& id : affected) {
    auto it = impl_->persons.find(id);
    if (it == impl_->persons.end()) continue;
    PersonRec& p = it->second;
    bool hidden = HiddenByMerge(id, p);
    if (hidden == ((p.flags & kFlagMerged) != 0)) continue;
    Contribute(id, p, -1);
    p.flags = hidden ? (p.flags | kFlagMerged) : (p.flags & ~kFlagMerged);
    Contribute(id, p, +1);
    Impl::Mark(*it, impl_->dirty_persons);
  }
}

}  // namespace shelter::hq
