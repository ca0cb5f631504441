// A Materializer (core/log/materializer.hpp) that reports every segment as applied, so a node
// opened with it only checks staff PINs and roles and never folds the log into a State:
// shelter-hq's commands and the HQ dashboard, which read the HQ tables instead. Stateless;
// thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/log/materializer.hpp"

namespace shelter::core {

class LoginOnlyMaterializer : public Materializer {
 public:
  std::optional<AppliedTip> Tip(const Id16&) const override {
    return AppliedTip{UINT64_MAX, UINT64_MAX, {}};  // everything counts as applied
  }
  Result<bool> ApplySegment(const SegmentHeader&, const Hash32&, const std::vector<Op>&) override {
    return false;
  }
};

}  // namespace shelter::core
