// The JSON form of a Population count (sync/hq/hq_queries.hpp), one spelling for the HQ JSON
// export and `shelter-hq summary/shelters --json`. Pure function; thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include "sync/hq/hq_queries.hpp"

namespace shelter::hq {

nlohmann::ordered_json PopulationJson(const Population& p);

}  // namespace shelter::hq
