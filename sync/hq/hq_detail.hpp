// Read-only queries the HQ dashboard needs beyond hq_queries.hpp: one shelter's breakdown by
// sex, age band and 要配慮者 code, and a cheap change stamp to poll. A connection is used from one
// thread at a time.
#pragma once

#include <array>
#include <map>
#include <string>

#include "core/formats/status_report.hpp"
#include "sync/hq/sql_conn.hpp"

namespace shelter::hq {

struct ShelterBreakdown {
  // People in the shelter by sex (male, female, other) and age band (core::AgeBand).
  std::array<std::array<int64_t, core::kAgeBands>, 3> in_shelter_by_sex_band{};
  std::map<std::string, int64_t> in_shelter_needs;
  std::map<std::string, int64_t> outside_needs;  // at home, in a car, elsewhere
};

// From synced data only (a JSR1 report carries no breakdown). All zeros for an unknown shelter.
// kIo with the database's message on failure.
Result<ShelterBreakdown> BreakdownOf(SqlConn& db, const std::string& shelter_hex);

// A short text that changes whenever the HQ tables change (a segment applied, master data, a
// status report); a few tiny aggregate reads, cheap enough to poll every few seconds.
Result<std::string> ChangeStamp(SqlConn& db);

}  // namespace shelter::hq
