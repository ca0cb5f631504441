// Which merged persons are hidden: the one rule every device applies (tablets in State, HQ in
// its store), so a tablet and HQ holding the same records show the same persons.
// A person P with a merge link (`_merged = T`) is hidden when T is held and not deleted, except
// that in a cycle of merges (two devices merged A into B and B into A concurrently) the person
// with the smallest id stays visible. Pure; thread-safe.
#pragma once

#include <functional>
#include <optional>

#include "core/base/result.hpp"
#include "core/device/device_cert.hpp"

namespace shelter::core {

// Longer chains are treated as ending where the walk stops.
inline constexpr int kMaxMergeChain = 64;

struct MergeLinkView {
  bool removed = false;  // the record is deleted
  Id16 into;             // zero: not merged
};
// The link of a held person; nullopt when the person is not held.
using MergeLinkLookup = std::function<Result<std::optional<MergeLinkView>>(const Id16&)>;

// Whether `person`, whose own link is `link`, is hidden by its merge. Errors only from `lookup`.
Result<bool> HiddenByMerge(const Id16& person, const MergeLinkView& link,
                           const MergeLinkLookup& lookup);

}  // namespace shelter::core
