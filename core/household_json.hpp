// JSON form of a household (the `shelterctl register` input and `--json` output). Parsing is
// strict: unknown keys and wrong types are errors naming the key, never echoing values.
// Thread-safe (pure functions).
#pragma once

#include <string>
#include <string_view>

#include "core/model.hpp"
#include "core/result.hpp"

namespace shelter::core {

// Returns kParse for malformed JSON, kInvalidArgument for a wrong key, type or value. Dates in any
// accepted form are normalised to YYYY-MM-DD. The member marked "head" (or the first) heads it.
Result<Household> HouseholdFromJson(std::string_view json_text);
std::string HouseholdToJson(const Household& h, bool pretty = false);

}  // namespace shelter::core
