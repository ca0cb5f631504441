// Where a Node puts the ops of verified, decrypted segments: State on tablets, the headquarters
// store on HQ (sync/hq). Implementations decide their own threading; Node calls from one thread.
#pragma once

#include <optional>
#include <vector>

#include "core/base/bytes.hpp"
#include "core/base/result.hpp"
#include "core/log/op.hpp"
#include "core/log/segment.hpp"

namespace shelter::core {

struct AppliedTip {
  uint64_t number = 0;  // last applied segment number of the device
  uint64_t seq = 0;     // last applied op seq
  Hash32 hash{};        // hash of that segment (the next one must chain to it)
};

class Materializer {
 public:
  virtual ~Materializer() = default;
  virtual std::optional<AppliedTip> Tip(const Id16& device) const = 0;
  // Applies one verified, decrypted segment. Returns false (and changes nothing) when it is already
  // applied or does not chain onto the device's applied tip (a gap: apply its predecessor first).
  virtual Result<bool> ApplySegment(const SegmentHeader& h, const Hash32& hash,
                                    const std::vector<Op>& ops) = 0;
};

}  // namespace shelter::core
