// A shelter's JSR1 status report (core/formats/status_report) counted from a Node's state.
// Reads the Node: one thread at a time, like the Node.
#pragma once

#include <cstdint>

#include "core/base/result.hpp"
#include "core/formats/status_report.hpp"
#include "core/node/node.hpp"

namespace shelter::core {

// The counts of `shelter` from the node's state at `as_of_s`; supplies stay unknown and kid is
// this device's. kNotFound for an unknown shelter.
Result<StatusReport> Summarize(Node& node, const Id16& shelter, int64_t as_of_s);

}  // namespace shelter::core
