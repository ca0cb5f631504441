// JSON form of a household (the `shelterctl register` input and `--json` output). Parsing is
// strict: unknown keys and wrong types are errors naming the key, never echoing values.
// Thread-safe (pure functions).
#pragma once

#include <string>
#include <string_view>

#include "core/base/result.hpp"
#include "core/model/entities.hpp"

namespace shelter::core {

// The largest household document accepted (50 members of every field leave room to spare);
// callers reading a file check its size against this before reading it.
constexpr size_t kMaxHouseholdJsonBytes = 1u << 20;

// Returns kParse for malformed JSON or a key given twice in one object, kInvalidArgument for a
// wrong key, type or value (a string holding NUL or another control character: only "note" may
// hold line breaks and tabs) or a document over kMaxHouseholdJsonBytes. Dates in any accepted
// form are normalised to YYYY-MM-DD. The member marked "head" (or the first) heads it.
Result<Household> HouseholdFromJson(std::string_view json_text);
std::string HouseholdToJson(const Household& h, bool pretty = false);

}  // namespace shelter::core
